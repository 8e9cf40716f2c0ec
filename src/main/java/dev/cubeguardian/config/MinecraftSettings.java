package dev.cubeguardian.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The Minecraft Java edition server on (or behind) a host.
 *
 * @param gateway wake on connect (v1.1): where players connect to reach it; empty without one
 */
public record MinecraftSettings(String address, int port, Duration timeout, Optional<GatewaySettings> gateway) {

    public MinecraftSettings(String address, int port, Duration timeout) {
        this(address, port, timeout, Optional.empty());
    }
}
