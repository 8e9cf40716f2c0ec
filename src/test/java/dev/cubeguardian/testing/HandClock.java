package dev.cubeguardian.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * A clock the test moves by hand: timers, cooldowns and deadlines are checked to the
 * millisecond without sleeping. Thread-safe for a test thread moving it while the code reads it.
 */
public final class HandClock extends Clock {

    public static final Instant DEFAULT_START = Instant.parse("2026-11-25T16:00:00Z");

    private volatile Instant now;

    public HandClock() {
        this(DEFAULT_START);
    }

    public HandClock(Instant start) {
        this.now = start;
    }

    public void advance(Duration step) {
        now = now.plus(step);
    }

    public void set(Instant time) {
        now = time;
    }

    public void set(ZonedDateTime time) {
        now = time.toInstant();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
