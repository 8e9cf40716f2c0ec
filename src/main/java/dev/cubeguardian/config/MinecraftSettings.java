package dev.cubeguardian.config;

import java.time.Duration;

/** The Minecraft Java edition server on (or behind) a host. */
public record MinecraftSettings(String address, int port, Duration timeout) {
}
