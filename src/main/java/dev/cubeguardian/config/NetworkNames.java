package dev.cubeguardian.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Syntax checks for addresses from the inventory. They end up in probes, SSH and log lines, so
 * only names made of letters, digits, dots, hyphens (and colons for IPv6) get through; nothing
 * that a shell or an option parser could read as something else. No DNS lookups happen here.
 */
final class NetworkNames {

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
    private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");

    private NetworkNames() {
    }

    /** An IPv4 literal, IPv6 literal (no brackets, no zone) or DNS name. */
    static boolean isHostOrIp(String text) {
        if (text == null || text.isEmpty() || text.length() > 253) {
            return false;
        }
        if (text.indexOf(':') >= 0) {
            return isIpv6(text);
        }
        // "192.168.1" or "300.1.1.1" would pass as DNS names but are surely mistyped addresses.
        if (DIGITS_AND_DOTS.matcher(text).matches()) {
            return isIpv4(text);
        }
        String name = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv4(String text) {
        if (text == null || !IPV4.matcher(text).matches()) {
            return false;
        }
        for (String part : text.split("\\.")) {
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv6(String text) {
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        String head = doubleColon >= 0 ? text.substring(0, doubleColon) : text;
        String tail = doubleColon >= 0 ? text.substring(doubleColon + 2) : "";
        List<String> groups = new ArrayList<>();
        if (!head.isEmpty()) {
            groups.addAll(List.of(head.split(":", -1)));
        }
        if (!tail.isEmpty()) {
            groups.addAll(List.of(tail.split(":", -1)));
        }
        // Only the very last group may be an embedded IPv4 address (::ffff:192.0.2.1).
        int last = doubleColon >= 0 && tail.isEmpty() ? -1 : groups.size() - 1;
        int width = 0;
        for (int i = 0; i < groups.size(); i++) {
            String group = groups.get(i);
            if (i == last && group.indexOf('.') >= 0) {
                if (!isIpv4(group)) {
                    return false;
                }
                width += 2;
            } else if (HEX_GROUP.matcher(group).matches()) {
                width++;
            } else {
                return false;
            }
        }
        return doubleColon >= 0 ? width <= 7 : width == 8;
    }
}
