package dev.cubeguardian.probe;

import java.time.Duration;

/** A fixed point in time that several steps of one operation share, so their waits add up to one budget. */
final class Deadline {

    private final long expiresAtNanos;

    private Deadline(long expiresAtNanos) {
        this.expiresAtNanos = expiresAtNanos;
    }

    static Deadline after(Duration timeout) {
        return new Deadline(System.nanoTime() + timeout.toNanos());
    }

    /** Milliseconds left, rounded up so that a last fraction of a millisecond still counts. */
    long remainingMillis() {
        long nanos = expiresAtNanos - System.nanoTime();
        return nanos <= 0 ? 0 : (nanos + 999_999) / 1_000_000;
    }

    boolean passed() {
        return remainingMillis() == 0;
    }

    /** For APIs where 0 means "wait forever": never 0, and fits an int. */
    int remainingTimeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, remainingMillis()));
    }
}
