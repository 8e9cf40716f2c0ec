package dev.cubeguardian.probe;

import java.util.List;

/**
 * What a Minecraft server said about itself. Serialized with a snake_case naming strategy this
 * is the public JSON shape ({@code players_online}, {@code latency_ms}, ...).
 *
 * @param reachable     whether the game port accepted a connection
 * @param version       the server's version name, e.g. "1.21.4"; null when not reported
 * @param playersOnline null when not reported
 * @param playersMax    null when not reported
 * @param players       names from the status sample; empty when none were sent (never null)
 * @param motd          the description as plain text, formatting stripped
 * @param latencyMs     ping round trip in whole milliseconds
 * @param protocol      "slp", "legacy", "tcp" (port open, no usable answer) or null when unreachable
 */
public record ServiceStatus(boolean reachable, String version, Integer playersOnline, Integer playersMax,
                            List<String> players, String motd, Long latencyMs, String protocol) {

    public static final String SLP = "slp";
    public static final String LEGACY = "legacy";
    public static final String TCP = "tcp";

    public ServiceStatus {
        players = players == null ? List.of() : List.copyOf(players);
    }

    public static ServiceStatus unreachable() {
        return new ServiceStatus(false, null, null, null, List.of(), null, null, null);
    }

    /** The port accepts connections but nothing on it answered a ping we understand. */
    public static ServiceStatus portOpenOnly() {
        return new ServiceStatus(true, null, null, null, List.of(), null, null, TCP);
    }
}
