package dev.cubeguardian.config;

import dev.cubeguardian.config.ProbeSettings.ProbeMethod;
import dev.cubeguardian.wol.MacAddress;
import dev.cubeguardian.wol.SecureOnPassword;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** One entry under {@code hosts}: checks every key and fills in the defaults. */
final class HostParser {

    static final Pattern HOST_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    static final List<String> HOST_KEYS =
            List.of("name", "mac", "address", "wol", "probe", "ssh", "minecraft", "timeouts", "idle", "schedule");
    static final List<String> WOL_KEYS = List.of("broadcast", "port", "packets", "interval", "secureon");
    static final List<String> PROBE_KEYS = List.of("method", "port", "timeout");
    static final List<String> MINECRAFT_KEYS = List.of("address", "port", "timeout", "gateway", "rcon");
    static final List<String> TIMEOUT_KEYS = List.of("startup", "shutdown");
    static final List<String> IDLE_KEYS = List.of("enabled", "after", "minimum-uptime", "grace");

    static final Duration MAX_WOL_INTERVAL = Duration.ofSeconds(10);
    static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(2);
    static final Duration MAX_PROBE_TIMEOUT = Duration.ofSeconds(60);
    static final int DEFAULT_MINECRAFT_PORT = 25565;
    static final Duration DEFAULT_MINECRAFT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration MAX_MINECRAFT_TIMEOUT = Duration.ofSeconds(60);
    static final Duration DEFAULT_STARTUP = Duration.ofMinutes(10);
    static final Duration MAX_STARTUP = Duration.ofHours(2);
    static final Duration DEFAULT_SHUTDOWN = Duration.ofMinutes(1);
    static final Duration MAX_SHUTDOWN = Duration.ofHours(1);
    static final Duration MAX_IDLE = Duration.ofHours(24);
    static final Duration MAX_GRACE = Duration.ofHours(1);

    private HostParser() {
    }

    static HostConfig parse(String id, ConfigNode node, Path baseDir) {
        if (!HOST_ID.matcher(id).matches()) {
            throw node.error("'" + id + "' is not a valid host id (expected [a-z0-9][a-z0-9_-]{0,62}:"
                    + " lower-case letters, digits, '_' and '-', at most 63 characters; it is used in MQTT topics)");
        }
        ConfigSection host = node.section(HOST_KEYS);
        String name = host.optional("name").map(ConfigNode::text).orElse(null);
        MacAddress mac = mac(host.required("mac"));
        String address = address(host.required("address"));
        WolSettings wol = host.section("wol", WOL_KEYS).map(HostParser::wol).orElseGet(HostParser::defaultWol);
        ProbeSettings probe = host.section("probe", PROBE_KEYS).map(HostParser::probe)
                .orElseGet(() -> new ProbeSettings(ProbeMethod.ICMP, null, DEFAULT_PROBE_TIMEOUT));
        Optional<SshSettings> ssh = host.section("ssh", SshSectionParser.KEYS)
                .map(section -> SshSectionParser.parse(section, baseDir));
        Optional<MinecraftSettings> minecraft = host.section("minecraft", MINECRAFT_KEYS)
                .map(section -> minecraft(section, address, baseDir));
        LifecycleTimeouts timeouts = host.section("timeouts", TIMEOUT_KEYS).map(HostParser::timeouts)
                .orElseGet(() -> new LifecycleTimeouts(DEFAULT_STARTUP, DEFAULT_SHUTDOWN));
        IdleSettings idle = host.section("idle", IDLE_KEYS).map(HostParser::idle).orElseGet(IdleSettings::disabled);
        List<ScheduleEntry> schedule = host.optional("schedule").map(list -> ScheduleParser.parse(list, ssh.isPresent()))
                .orElse(List.of());
        return new HostConfig(id, name, mac, address, wol, probe, ssh, minecraft, timeouts, idle, schedule);
    }

    private static MacAddress mac(ConfigNode node) {
        try {
            return MacAddress.parse(node.text());
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    private static String address(ConfigNode node) {
        String text = node.text();
        if (!NetworkNames.isHostOrIp(text)) {
            throw node.error("'" + text + "' is not an IP address or DNS name"
                    + " (letters, digits, '.', '-' and ':' for IPv6 only; no brackets, ports or URLs)");
        }
        return text;
    }

    static WolSettings defaultWol() {
        return new WolSettings(WolSettings.DEFAULT_BROADCAST, WolSettings.DEFAULT_PORT,
                WolSettings.DEFAULT_PACKETS, WolSettings.DEFAULT_INTERVAL, null);
    }

    private static WolSettings wol(ConfigSection wol) {
        String broadcast = wol.optional("broadcast").map(node -> {
            String text = node.text();
            // Magic packets are IPv4 broadcasts; IPv6 has no broadcast and a name would need DNS.
            if (!NetworkNames.isIpv4(text)) {
                throw node.error("'" + text + "' is not an IPv4 address (e.g. 192.168.1.255)");
            }
            return text;
        }).orElse(WolSettings.DEFAULT_BROADCAST);
        int port = wol.optional("port").map(n -> n.integer(1, 65535)).orElse(WolSettings.DEFAULT_PORT);
        int packets = wol.optional("packets").map(n -> n.integer(1, 10)).orElse(WolSettings.DEFAULT_PACKETS);
        Duration interval = wol.optional("interval").map(n -> n.duration(MAX_WOL_INTERVAL))
                .orElse(WolSettings.DEFAULT_INTERVAL);
        SecureOnPassword secureOn = wol.optional("secureon").map(node -> {
            try {
                return SecureOnPassword.parse(node.text());
            } catch (IllegalArgumentException e) {
                throw node.error(e.getMessage());
            }
        }).orElse(null);
        return new WolSettings(broadcast, port, packets, interval, secureOn);
    }

    private static ProbeSettings probe(ConfigSection probe) {
        ProbeMethod method = probe.optional("method").map(node -> switch (node.text()) {
            case "icmp" -> ProbeMethod.ICMP;
            case "tcp" -> ProbeMethod.TCP;
            default -> throw node.error("'" + node.text() + "' is not a probe method (expected icmp or tcp)");
        }).orElse(ProbeMethod.ICMP);
        Optional<ConfigNode> portNode = probe.optional("port");
        Integer port = null;
        if (method == ProbeMethod.TCP) {
            port = portNode.orElseThrow(() -> probe.missing("port", "is required when method is tcp"))
                    .integer(1, 65535);
        } else if (portNode.isPresent()) {
            // A port next to icmp reads as if it were used; refuse it rather than ignore it.
            throw portNode.get().error("is only used with method: tcp (icmp has no ports); remove it or set method: tcp");
        }
        Duration timeout = probe.optional("timeout").map(n -> n.positiveDuration(MAX_PROBE_TIMEOUT))
                .orElse(DEFAULT_PROBE_TIMEOUT);
        return new ProbeSettings(method, port, timeout);
    }

    private static MinecraftSettings minecraft(ConfigSection minecraft, String hostAddress, Path baseDir) {
        String address = minecraft.optional("address").map(HostParser::address).orElse(hostAddress);
        int port = minecraft.optional("port").map(n -> n.integer(1, 65535)).orElse(DEFAULT_MINECRAFT_PORT);
        Duration timeout = minecraft.optional("timeout").map(n -> n.positiveDuration(MAX_MINECRAFT_TIMEOUT))
                .orElse(DEFAULT_MINECRAFT_TIMEOUT);
        MinecraftSettings server = new MinecraftSettings(address, port, timeout);
        Optional<GatewaySettings> gateway = minecraft.section("gateway", GatewaySectionParser.KEYS)
                .map(GatewaySectionParser::parse);
        gateway.ifPresent(g -> GatewaySectionParser.checkNotItself(g, server, minecraft.entries().get("gateway")));
        Optional<RconSettings> rcon = minecraft.section("rcon", RconSectionParser.KEYS)
                .map(section -> RconSectionParser.parse(section, baseDir));
        return new MinecraftSettings(address, port, timeout, gateway, rcon);
    }

    private static LifecycleTimeouts timeouts(ConfigSection timeouts) {
        Duration startup = timeouts.optional("startup").map(n -> n.positiveDuration(MAX_STARTUP)).orElse(DEFAULT_STARTUP);
        Duration shutdown = timeouts.optional("shutdown").map(n -> n.positiveDuration(MAX_SHUTDOWN))
                .orElse(DEFAULT_SHUTDOWN);
        return new LifecycleTimeouts(startup, shutdown);
    }

    private static IdleSettings idle(ConfigSection idle) {
        IdleSettings defaults = IdleSettings.disabled();
        boolean enabled = idle.optional("enabled").map(ConfigNode::bool).orElse(defaults.enabled());
        Duration after = idle.optional("after").map(n -> n.positiveDuration(MAX_IDLE)).orElse(defaults.after());
        Duration minimumUptime = idle.optional("minimum-uptime").map(n -> n.duration(MAX_IDLE))
                .orElse(defaults.minimumUptime());
        Duration grace = idle.optional("grace").map(n -> n.duration(MAX_GRACE)).orElse(defaults.grace());
        return new IdleSettings(enabled, after, minimumUptime, grace);
    }
}
