package dev.cubeguardian.command;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A warning that a flood would repeat thousands of times a second (measured: 740 lines in one
 * overloaded second): written at most once per period, saying how many it stands for.
 */
final class ThrottledWarning {

    private final Consumer<String> sink;
    private final String message;
    private final long periodNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong suppressed = new AtomicLong();
    private final AtomicLong quietUntil;

    ThrottledWarning(Consumer<String> sink, String message, Duration period, LongSupplier nanoTime) {
        this.sink = sink;
        this.message = message;
        this.periodNanos = period.toNanos();
        this.nanoTime = nanoTime;
        this.quietUntil = new AtomicLong(nanoTime.getAsLong() - 1);
    }

    void warn() {
        long now = nanoTime.getAsLong();
        long until = quietUntil.get();
        if (now - until > 0 && quietUntil.compareAndSet(until, now + periodNanos)) {
            long more = suppressed.getAndSet(0);
            sink.accept(more == 0 ? message : message + " (and " + more + " more since the last warning)");
        } else {
            suppressed.incrementAndGet();
        }
    }
}
