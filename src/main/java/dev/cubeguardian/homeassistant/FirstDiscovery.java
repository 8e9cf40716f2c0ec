package dev.cubeguardian.homeassistant;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * When a run's first discovery configs go out, and which may stay out: after the monitor's first
 * sweep (the states first: a config is 1.5 KB, 15 MB for 10,000 hosts, and held a large fleet's
 * first states back by seconds; benchmark 10), and after the broker's replay of the retained
 * configs to route ha-cleanup, so that a restart with an unchanged inventory sends none again.
 *
 * <p>MQTT marks no end of a retained replay: it is taken as over once ha-cleanup is subscribed
 * and no config has come for {@link #QUIET}. Guessing too early costs only configs sent again
 * (as every start did before); {@link #LONGEST} bounds the wait for a replay that never ends.
 */
final class FirstDiscovery {

    static final Duration QUIET = Duration.ofMillis(300);
    static final Duration LONGEST = Duration.ofSeconds(10);
    private static final long POLL_MS = 50;

    private final Supplier<CompletionStage<Void>> sweep;
    private final BooleanSupplier cleanupSubscribed;
    private final LongSupplier nanos;
    private final Set<String> unchangedOnBroker = ConcurrentHashMap.newKeySet();
    private volatile long lastSeen;
    private volatile boolean open = true;

    FirstDiscovery(Supplier<CompletionStage<Void>> sweep, BooleanSupplier cleanupSubscribed, LongSupplier nanos) {
        this.sweep = sweep;
        this.cleanupSubscribed = cleanupSubscribed;
        this.nanos = nanos;
        this.lastSeen = nanos.getAsLong();
    }

    /** Route ha-cleanup saw a retained config of this host; {@code unchanged}: the one this run would publish. */
    void seen(String hostId, boolean unchanged) {
        if (!open) {
            return;
        }
        lastSeen = nanos.getAsLong();
        if (unchanged) {
            unchangedOnBroker.add(hostId);
        } else {
            unchangedOnBroker.remove(hostId);
        }
    }

    /** From now on every config is published: what was seen on the broker may be gone (it restarted). */
    void forgetUnchanged() {
        open = false;
        unchangedOnBroker.clear();
    }

    /** Whether the broker holds this host's config as this run would publish it. */
    boolean unchangedOnBroker(String hostId) {
        return unchangedOnBroker.contains(hostId);
    }

    /** Runs {@code publish} once the sweep is over and the replay seems over, off the caller's thread. */
    void whenReady(Runnable publish) {
        sweep.get().thenRun(() -> poll(publish, nanos.getAsLong() + LONGEST.toNanos(), 0));
    }

    /** {@code subscribedAt}: when ha-cleanup was first seen subscribed (0: not yet). */
    private void poll(Runnable publish, long giveUp, long subscribedAt) {
        long now = nanos.getAsLong();
        if (subscribedAt == 0 && cleanupSubscribed.getAsBoolean()) {
            subscribedAt = now;
        }
        boolean quiet = subscribedAt != 0 && now - Math.max(lastSeen, subscribedAt) >= QUIET.toNanos();
        if (quiet || now - giveUp >= 0) {
            // the common pool: the sweep ends on a probe thread, which must not spend a second publishing
            CompletableFuture.runAsync(() -> {
                try {
                    publish.run();
                } finally {
                    open = false;
                    unchangedOnBroker.clear();
                }
            });
            return;
        }
        long since = subscribedAt;
        // the check itself runs on the JDK's delay thread: it is two reads
        Executor later = CompletableFuture.delayedExecutor(POLL_MS, TimeUnit.MILLISECONDS, Runnable::run);
        later.execute(() -> poll(publish, giveUp, since));
    }
}
