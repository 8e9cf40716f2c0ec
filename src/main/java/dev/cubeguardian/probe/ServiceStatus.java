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
 * @param favicon       the server's icon as sent ({@code data:image/png;base64,...}), for the
 *                      gateway to show while the server sleeps; null when none was sent. Not part
 *                      of the public JSON (a state message is no place for 10 KB of picture)
 * @param rcon          v1.1, hosts with {@code minecraft.rcon}: "ok", "auth_failed" or "unreachable";
 *                      null for the others (and then absent from the JSON)
 */
public record ServiceStatus(boolean reachable, String version, Integer playersOnline, Integer playersMax,
                            List<String> players, String motd, Long latencyMs, String protocol, String favicon,
                            String rcon) {

    /** Vanilla icons are 64x64 PNGs, a few KB; anything far larger is not kept. */
    public static final int MAX_FAVICON_CHARS = 64 * 1024;
    public static final String FAVICON_PREFIX = "data:image/png;base64,";

    public static final String SLP = "slp";
    public static final String LEGACY = "legacy";
    public static final String TCP = "tcp";

    public ServiceStatus {
        players = players == null ? List.of() : List.copyOf(players);
        if (favicon != null && (favicon.length() > MAX_FAVICON_CHARS || !favicon.startsWith(FAVICON_PREFIX))) {
            favicon = null;
        }
    }

    public ServiceStatus(boolean reachable, String version, Integer playersOnline, Integer playersMax,
                         List<String> players, String motd, Long latencyMs, String protocol) {
        this(reachable, version, playersOnline, playersMax, players, motd, latencyMs, protocol, null, null);
    }

    public ServiceStatus(boolean reachable, String version, Integer playersOnline, Integer playersMax,
                         List<String> players, String motd, Long latencyMs, String protocol, String favicon) {
        this(reachable, version, playersOnline, playersMax, players, motd, latencyMs, protocol, favicon, null);
    }

    /**
     * What RCON added: its health, and (when it works) the complete player list from {@code list},
     * which replaces the status ping's sample (at most 12 names) and its count.
     */
    public ServiceStatus withRcon(String rconHealth, List<String> allPlayers) {
        if (allPlayers == null) {
            return new ServiceStatus(reachable, version, playersOnline, playersMax, players, motd, latencyMs, protocol,
                    favicon, rconHealth);
        }
        return new ServiceStatus(reachable, version, allPlayers.size(), playersMax, allPlayers, motd, latencyMs, protocol,
                favicon, rconHealth);
    }

    public static ServiceStatus unreachable() {
        return new ServiceStatus(false, null, null, null, List.of(), null, null, null);
    }

    /** The port accepts connections but nothing on it answered a ping we understand. */
    public static ServiceStatus portOpenOnly() {
        return new ServiceStatus(true, null, null, null, List.of(), null, null, TCP);
    }
}
