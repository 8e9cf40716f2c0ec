package dev.cubeguardian.homeassistant;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Home Assistant's test of a URL in a discovery message's origin ({@code support_url}), so that
 * the worker refuses at start what HA would refuse in every device config. One bad URL makes HA
 * drop the whole device discovery message ({@code DEVICE_DISCOVERY_SCHEMA} fails), for every host.
 *
 * <p>Ported from home-assistant/core: {@code homeassistant/components/mqtt/schemas.py}
 * ({@code MQTT_ORIGIN_INFO_SCHEMA}: {@code support_url} is {@code cv.configuration_url}) and
 * {@code homeassistant/helpers/config_validation.py} ({@code configuration_url} = {@code url()}
 * with {@code CONFIGURATION_URL_PROTOCOL_SCHEMA_LIST}: the scheme of {@code urlparse} is one of
 * {@code http}, {@code https}, {@code homeassistant}, then voluptuous' {@code Url()}: scheme and
 * netloc both non-empty). {@code urlparse} is CPython's {@code urllib.parse.urlsplit}; its own
 * refusals ({@code ValueError}: brackets, NFKC) make the URL invalid too. Where CPython releases
 * differ (the bracket checks grew stricter), the stricter one is taken, and an upper-case
 * {@code [V...]} IPvFuture is refused as older releases do: refused by one HA means refused.
 */
public final class HomeAssistantUrl {

    private static final Set<String> SCHEMES = Set.of("http", "https", "homeassistant");
    private static final String SCHEME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.";
    private static final Pattern IPV_FUTURE = Pattern.compile("v[a-fA-F0-9]+\\..+", Pattern.DOTALL);
    private static final String HEX = "0123456789abcdefABCDEF";

    private HomeAssistantUrl() {
    }

    /** Why Home Assistant refuses the URL; empty when it accepts it. */
    public static Optional<String> problem(String url) {
        // urlsplit: leading C0 controls and spaces are stripped, tab, CR and LF removed anywhere
        int start = 0;
        while (start < url.length() && url.charAt(start) <= ' ') {
            start++;
        }
        String rest = url.substring(start).replace("\t", "").replace("\r", "").replace("\n", "");
        String scheme = "";
        int colon = rest.indexOf(':');
        if (colon > 0 && isAsciiLetter(rest.charAt(0)) && rest.substring(0, colon).chars().allMatch(c -> SCHEME_CHARS.indexOf(c) >= 0)) {
            scheme = rest.substring(0, colon).toLowerCase(Locale.ROOT);
            rest = rest.substring(colon + 1);
        }
        if (!SCHEMES.contains(scheme)) {
            return Optional.of("the scheme must be http, https or homeassistant");
        }
        if (!rest.startsWith("//")) {
            return Optional.of("'" + scheme + ":' must be followed by // and a host");
        }
        int end = rest.length();
        for (char delimiter : new char[] {'/', '?', '#'}) {
            int at = rest.indexOf(delimiter, 2);
            end = at >= 0 ? Math.min(end, at) : end;
        }
        String netloc = rest.substring(2, end);
        Optional<String> brackets = bracketProblem(netloc);
        if (brackets.isPresent()) {
            return brackets;
        }
        if (changesUnderNfkc(netloc)) {
            return Optional.of("the host has characters that become one of / ? # @ : under Unicode NFKC normalization");
        }
        return netloc.isEmpty() ? Optional.of("there is no host after " + scheme + "://") : Optional.empty();
    }

    private static Optional<String> bracketProblem(String netloc) {
        boolean open = netloc.indexOf('[') >= 0;
        boolean close = netloc.indexOf(']') >= 0;
        if (open != close) {
            return Optional.of("unbalanced [ ] (Invalid IPv6 URL)");
        }
        if (!open) {
            return Optional.empty();
        }
        // older releases: the first [...] of the whole netloc must be an address
        String first = netloc.substring(netloc.indexOf('[') + 1);
        first = first.indexOf(']') >= 0 ? first.substring(0, first.indexOf(']')) : first;
        if (!isBracketedHost(first)) {
            return Optional.of("'" + first + "' in [ ] is not an IPv6 address");
        }
        // newer ones (_check_bracketed_netloc): the host after any user info, [ ] only around all of it
        String hostAndPort = netloc.substring(netloc.lastIndexOf('@') + 1);
        int bracket = hostAndPort.indexOf('[');
        String host;
        if (bracket > 0) {
            return Optional.of("nothing may come before [ (Invalid IPv6 URL)");
        } else if (bracket == 0) {
            String bracketed = hostAndPort.substring(1);
            int shut = bracketed.indexOf(']');
            host = shut >= 0 ? bracketed.substring(0, shut) : bracketed;
            String port = shut >= 0 ? bracketed.substring(shut + 1) : "";
            if (!port.isEmpty() && !port.startsWith(":")) {
                return Optional.of("only :port may follow ] (Invalid IPv6 URL)");
            }
        } else {
            int portColon = hostAndPort.indexOf(':');
            host = portColon >= 0 ? hostAndPort.substring(0, portColon) : hostAndPort;
        }
        return isBracketedHost(host) ? Optional.empty() : Optional.of("'" + host + "' is not an IPv6 address, yet the host part has [ ]");
    }

    /** {@code _check_bracketed_host}: an IPvFuture literal or an IPv6 address (not IPv4). */
    private static boolean isBracketedHost(String host) {
        return host.startsWith("v") ? IPV_FUTURE.matcher(host).matches() : isIpv6(host);
    }

    /** {@code _checknetloc}: characters like U+2100 that NFKC turns into a URL delimiter. */
    private static boolean changesUnderNfkc(String netloc) {
        if (netloc.chars().allMatch(c -> c < 128)) {
            return false;
        }
        String ignored = netloc.replace("@", "").replace(":", "").replace("#", "").replace("?", "");
        String normalized = Normalizer.normalize(ignored, Normalizer.Form.NFKC);
        return !normalized.equals(ignored) && normalized.chars().anyMatch(c -> "/?#@:".indexOf(c) >= 0);
    }

    /** Python's {@code ipaddress.IPv6Address}, scope id included; a bracketed IPv4 address is refused. */
    static boolean isIpv6(String address) {
        int percent = address.indexOf('%');
        String text = percent < 0 ? address : address.substring(0, percent);
        if (percent >= 0 && (percent == address.length() - 1 || address.indexOf('%', percent + 1) >= 0)) {
            return false;
        }
        String[] split = text.split(":", -1);
        if (text.isEmpty() || split.length < 3) {
            return false;
        }
        java.util.List<String> parts = new java.util.ArrayList<>(Arrays.asList(split));
        if (parts.get(parts.size() - 1).contains(".")) {
            if (!isIpv4(parts.remove(parts.size() - 1))) {
                return false;
            }
            parts.add("0");
            parts.add("0");
        }
        if (parts.size() > 9) {
            return false;
        }
        int skip = -1;
        for (int i = 1; i < parts.size() - 1; i++) {
            if (parts.get(i).isEmpty()) {
                if (skip >= 0) {
                    return false;
                }
                skip = i;
            }
        }
        int from = 0;
        int to = parts.size();
        if (skip >= 0) {
            int high = skip;
            int low = parts.size() - skip - 1;
            if (parts.get(0).isEmpty() && --high != 0) {
                return false;
            }
            if (parts.get(parts.size() - 1).isEmpty() && --low != 0) {
                return false;
            }
            if (8 - (high + low) < 1) {
                return false;
            }
            from = parts.get(0).isEmpty() ? 1 : 0;
            to = parts.get(parts.size() - 1).isEmpty() ? parts.size() - 1 : parts.size();
        } else if (parts.size() != 8) {
            return false;
        }
        for (int i = from; i < to; i++) {
            String hextet = parts.get(i);
            if (i != skip && (hextet.isEmpty() || hextet.length() > 4 || !hextet.chars().allMatch(c -> HEX.indexOf(c) >= 0))) {
                return false;
            }
        }
        return true;
    }

    /** Python's {@code ipaddress.IPv4Address}: four decimal octets, no leading zeros. */
    private static boolean isIpv4(String address) {
        String[] octets = address.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String octet : octets) {
            if (octet.isEmpty() || octet.length() > 3 || !octet.chars().allMatch(c -> c >= '0' && c <= '9')
                    || octet.length() > 1 && octet.charAt(0) == '0' || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return c < 128 && Character.isLetter(c);
    }
}
