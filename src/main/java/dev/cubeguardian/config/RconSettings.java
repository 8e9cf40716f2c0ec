package dev.cubeguardian.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Graceful game stop and in-game warnings over Minecraft RCON (v1.1, {@code minecraft.rcon}).
 * The password stays in its file and is read when needed: it is never held in a setting that
 * could be logged or printed.
 *
 * @param warnings  how long before a delayed shutdown each warning is said, longest first
 * @param stopGame  save the world and stop the game before the host's shutdown
 * @param stopTimeout how long to wait for the game port to close after {@code stop}; also how much
 *                  later than the delay the host's own backstop shutdown is scheduled
 */
public record RconSettings(int port, Path passwordFile, Duration timeout, List<Duration> warnings, boolean stopGame,
                           Duration stopTimeout) {

    public static final int DEFAULT_PORT = 25575;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final List<Duration> DEFAULT_WARNINGS = List.of(Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofSeconds(10));
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofMinutes(2);

    public RconSettings {
        warnings = warnings.stream().sorted(java.util.Comparator.reverseOrder()).distinct().toList();
    }
}
