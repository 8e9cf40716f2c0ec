package dev.cubeguardian.probe;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a configured address into an {@link InetAddress}, refusing anything that is not
 * syntactically a host name or IP literal before any resolver sees it. That keeps text such as
 * {@code -c} or {@code 1.2.3.4;rm} away from DNS and, later, from the ping command line.
 */
public final class HostAddresses {

    // RFC 1123 labels; underscores tolerated because homelab DNS and /etc/hosts contain them.
    // A label may not start or end with '-', so nothing accepted here can look like an option.
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}\\.?$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
                    + "(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?");
    private static final Pattern IPV6_LITERAL = Pattern.compile(
            "[0-9A-Fa-f:.]{2,45}(?:%[A-Za-z0-9_.-]{1,64})?");

    private HostAddresses() {
    }

    /** @throws ProbeFailedException when the text is not an address or does not resolve */
    public static InetAddress resolve(String address) throws ProbeFailedException {
        if (address == null || address.isEmpty()) {
            // InetAddress.getByName("") would silently answer with loopback.
            throw new ProbeFailedException("No address given to probe");
        }
        String host = address;
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        boolean looksLikeIpv6 = host.indexOf(':') >= 0;
        if (looksLikeIpv6 ? !IPV6_LITERAL.matcher(host).matches() : !HOST_NAME.matcher(host).matches()) {
            throw new ProbeFailedException("'" + address + "' is not a valid host name or IP address");
        }
        String lower = host.toLowerCase(Locale.ROOT);
        if (lower.equals("invalid") || lower.endsWith(".invalid") || lower.endsWith(".invalid.")) {
            // RFC 6761 6.4: resolver libraries should answer .invalid negatively without asking DNS.
            throw new ProbeFailedException("Cannot resolve host '" + address
                    + "': names under .invalid never exist");
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ProbeFailedException("Cannot resolve host '" + address + "'", e);
        }
    }
}
