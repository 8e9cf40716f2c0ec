package dev.cubeguardian.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * At most one gateway wake per host per {@code gateway.wake-cooldown}: a login storm, or a
 * server list refreshing every few seconds, sends one magic packet, not hundreds.
 */
final class WakeCooldown {

    private final Duration cooldown;
    private final Clock clock;
    private Instant lastWake;

    WakeCooldown(Duration cooldown, Clock clock) {
        this.cooldown = cooldown;
        this.clock = clock;
    }

    /** True for the one caller that may wake now; it must then send the wake. */
    synchronized boolean tryClaim() {
        Instant now = clock.instant();
        if (lastWake != null && now.isBefore(lastWake.plus(cooldown))) {
            return false;
        }
        lastWake = now;
        return true;
    }

    /** The cooldown: at most one wake per this window. */
    Duration window() {
        return cooldown;
    }

    /** When the last wake was claimed (its id is made from it); now when none was. */
    synchronized Instant lastClaim() {
        return lastWake == null ? clock.instant() : lastWake;
    }

    /** How long ago the last gateway wake was sent; null when none was. */
    synchronized Duration sinceLastWake() {
        return lastWake == null ? null : Duration.between(lastWake, clock.instant());
    }
}
