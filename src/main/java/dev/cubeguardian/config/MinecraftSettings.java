package dev.cubeguardian.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The Minecraft Java edition server on (or behind) a host.
 *
 * @param gateway wake on connect (v1.1): where players connect to reach it; empty without one
 * @param rcon    graceful stop and in-game warnings (v1.1); empty without an rcon section
 */
public record MinecraftSettings(String address, int port, Duration timeout, Optional<GatewaySettings> gateway,
                                Optional<RconSettings> rcon) {

    public MinecraftSettings(String address, int port, Duration timeout) {
        this(address, port, timeout, Optional.empty(), Optional.empty());
    }

    public MinecraftSettings(String address, int port, Duration timeout, Optional<GatewaySettings> gateway) {
        this(address, port, timeout, gateway, Optional.empty());
    }
}
