package dev.cubeguardian.config;

import java.time.Duration;

/** Idle auto-shutdown; off unless enabled. */
public record IdleSettings(boolean enabled, Duration after, Duration minimumUptime, Duration grace) {

    public static IdleSettings disabled() {
        return new IdleSettings(false, Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofMinutes(2));
    }
}
