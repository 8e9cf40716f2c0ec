package dev.cubeguardian.config;

import dev.cubeguardian.wol.SecureOnPassword;
import java.time.Duration;

/** Where and how the magic packets go. {@code secureOn} is null when not set. */
public record WolSettings(String broadcast, int port, int packets, Duration interval, SecureOnPassword secureOn) {

    public static final String DEFAULT_BROADCAST = "255.255.255.255";
    public static final int DEFAULT_PORT = 9;
    public static final int DEFAULT_PACKETS = 3;
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);
}
