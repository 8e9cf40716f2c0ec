package dev.cubeguardian.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Wake on connect (v1.1, {@code minecraft.gateway}): where players connect, and what the worker
 * does for them while the real server sleeps.
 *
 * @param listenHost   an IP literal (or "localhost") to bind; IPv6 without brackets
 * @param allow        player names that may wake the host; empty: anyone. Compared ignoring case,
 *                     as Minecraft does for names
 * @param motdSleeping the server list text while off; null: the localised default
 * @param motdStarting the server list text while waking or starting; null: the localised default
 */
public record GatewaySettings(String listenHost, int listenPort, WakeOn wakeOn, List<String> allow,
                              Duration wakeCooldown, String motdSleeping, String motdStarting, boolean proxyProtocol) {

    public static final Duration DEFAULT_WAKE_COOLDOWN = Duration.ofSeconds(60);

    /** What wakes the host: a login (default), already a server list ping, or nothing. */
    public enum WakeOn {
        LOGIN, STATUS, NEVER;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public GatewaySettings {
        allow = List.copyOf(allow);
    }

    public boolean allows(String player) {
        return allow.isEmpty() || allow.stream().anyMatch(name -> name.equalsIgnoreCase(player));
    }

    /** host:port as people write it, brackets around IPv6. */
    public String listen() {
        return (listenHost.contains(":") ? "[" + listenHost + "]" : listenHost) + ":" + listenPort;
    }
}
