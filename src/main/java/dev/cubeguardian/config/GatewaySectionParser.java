package dev.cubeguardian.config;

import dev.cubeguardian.config.GatewaySettings.WakeOn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code minecraft.gateway}: checks every key of wake on connect and fills in the defaults. */
final class GatewaySectionParser {

    static final List<String> KEYS = List.of("listen", "wake-on", "allow", "wake-cooldown",
            "motd-sleeping", "motd-starting", "proxy-protocol");
    // Java edition names: 3 to 16 of these; offline servers accept shorter ones, so 1 is allowed.
    static final Pattern PLAYER_NAME = Pattern.compile("[A-Za-z0-9_]{1,16}");
    private static final Pattern BRACKETED = Pattern.compile("\\[([0-9A-Fa-f:.]+)]:([0-9]{1,5})");
    private static final Pattern PLAIN = Pattern.compile("([^:\\[\\]]+):([0-9]{1,5})");
    static final Duration MAX_COOLDOWN = Duration.ofHours(24);
    // What a server list shows is at most a couple of lines; a page of text is a mistake.
    static final int MAX_MOTD_CHARS = 256;

    private GatewaySectionParser() {
    }

    static GatewaySettings parse(ConfigSection gateway) {
        ConfigNode listenNode = gateway.required("listen");
        String[] listen = listen(listenNode);
        WakeOn wakeOn = gateway.optional("wake-on").map(node -> switch (node.text()) {
            case "login" -> WakeOn.LOGIN;
            case "status" -> WakeOn.STATUS;
            case "never" -> WakeOn.NEVER;
            default -> throw node.error("'" + node.text() + "' is not a wake-on value (expected login, status or never)");
        }).orElse(WakeOn.LOGIN);
        List<String> allow = gateway.optional("allow").map(GatewaySectionParser::allow).orElse(List.of());
        Duration cooldown = gateway.optional("wake-cooldown").map(n -> n.duration(MAX_COOLDOWN))
                .orElse(GatewaySettings.DEFAULT_WAKE_COOLDOWN);
        String sleeping = gateway.optional("motd-sleeping").map(GatewaySectionParser::motd).orElse(null);
        String starting = gateway.optional("motd-starting").map(GatewaySectionParser::motd).orElse(null);
        boolean proxyProtocol = gateway.optional("proxy-protocol").map(ConfigNode::bool).orElse(false);
        return new GatewaySettings(listen[0], Integer.parseInt(listen[1]), wakeOn, allow, cooldown,
                sleeping, starting, proxyProtocol);
    }

    /** Refuses a gateway that would hand every player back to itself. */
    static void checkNotItself(GatewaySettings gateway, MinecraftSettings minecraft, ConfigNode gatewayNode) {
        if (gateway.listenPort() != minecraft.port()) {
            return;
        }
        String listen = canonical(gateway.listenHost());
        String server = canonical(minecraft.address());
        boolean wildcard = listen.equals("0.0.0.0") || listen.equals("::");
        boolean serverIsLocal = server.startsWith("127.") || server.equals("::1");
        if (listen.equals(server) || wildcard && serverIsLocal) {
            throw gatewayNode.error("listen " + gateway.listen() + " is where minecraft.address:port ("
                    + minecraft.address() + ":" + minecraft.port() + ") already is: the gateway would proxy players to"
                    + " itself. Give the real server another port, or the gateway another address");
        }
    }

    /**
     * One spelling per address, to compare two of them: lower case, "localhost" as 127.0.0.1
     * (what the JVM binds for it), an IPv6 literal in one form whatever its spelling (:: and ::1
     * as such). A DNS name stays as written.
     */
    static String canonical(String address) {
        String text = address.toLowerCase(Locale.ROOT);
        if (text.equals("localhost")) {
            return "127.0.0.1";
        }
        if (NetworkNames.isIpv6(text)) {
            try {
                // a literal: parsed, never looked up
                byte[] raw = java.net.InetAddress.getByName(text).getAddress();
                if (raw.length == 4) {
                    return java.net.InetAddress.getByAddress(raw).getHostAddress();
                }
                if (java.util.Arrays.equals(raw, new byte[16])) {
                    return "::";
                }
                if (java.net.InetAddress.getByAddress(raw).isLoopbackAddress()) {
                    return "::1";
                }
                return java.net.InetAddress.getByAddress(raw).getHostAddress();
            } catch (java.net.UnknownHostException notALiteral) {
                return text;
            }
        }
        return text;
    }

    private static String[] listen(ConfigNode node) {
        String text = node.text().trim();
        Matcher bracketed = BRACKETED.matcher(text);
        Matcher plain = PLAIN.matcher(text);
        String host;
        String port;
        if (bracketed.matches()) {
            host = bracketed.group(1);
            port = bracketed.group(2);
            if (!NetworkNames.isIpv6(host)) {
                throw node.error("'" + host + "' in brackets is not an IPv6 address");
            }
        } else if (plain.matches()) {
            host = plain.group(1);
            port = plain.group(2);
            if (!NetworkNames.isIpv4(host) && !host.equalsIgnoreCase("localhost")) {
                throw node.error("'" + host + "' is not an address to listen on (an IPv4 address such as 0.0.0.0 or"
                        + " 127.0.0.1, [::] or another IPv6 address in brackets, or localhost)");
            }
        } else {
            throw node.error("'" + text + "' is not host:port (e.g. 0.0.0.0:25565, [::]:25565, 127.0.0.1:25566)");
        }
        int number = Integer.parseInt(port);
        if (number < 1 || number > 65535) {
            throw node.error("port " + port + " is out of range (1..65535)");
        }
        return new String[] {host, port};
    }

    private static List<String> allow(ConfigNode node) {
        List<String> names = new ArrayList<>();
        for (ConfigNode item : node.items()) {
            String name = item.text();
            if (!PLAYER_NAME.matcher(name).matches()) {
                throw item.error("'" + name + "' is not a Minecraft player name (1 to 16 letters, digits or '_')");
            }
            names.add(name);
        }
        return names;
    }

    /** Plain text (with section-sign colour codes if wanted), or a JSON text component: {"text": ..., "color": ...}. */
    private static String motd(ConfigNode node) {
        String text = node.text();
        if (text.length() > MAX_MOTD_CHARS * 4) {
            throw node.error("is " + text.length() + " characters long; a server list shows at most a couple of lines"
                    + " (at most " + MAX_MOTD_CHARS + ", or " + (MAX_MOTD_CHARS * 4) + " as a JSON text component)");
        }
        String trimmed = text.strip();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                JSON.readTree(trimmed);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw node.error("starts like a JSON text component but is not valid JSON (" + e.getOriginalMessage()
                        + "); write plain text, or a component such as {\"text\": \"Sleeping\", \"color\": \"gold\"}");
            }
        } else if (text.length() > MAX_MOTD_CHARS) {
            throw node.error("is " + text.length() + " characters long; a server list shows at most a couple of lines"
                    + " (at most " + MAX_MOTD_CHARS + ")");
        }
        return text;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
}
