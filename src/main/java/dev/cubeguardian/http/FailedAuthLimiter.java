package dev.cubeguardian.http;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down token guessing: each client address may fail authentication {@link #BURST} times,
 * then once per {@link #REFILL_MS}; beyond that it gets 429 without its token being looked at.
 * Addresses are kept in a bounded map (oldest forgotten first), so a flood of addresses costs
 * at most {@link #MAX_ADDRESSES} small entries.
 */
final class FailedAuthLimiter {

    static final int BURST = 10;
    static final long REFILL_MS = 6_000;
    static final int MAX_ADDRESSES = 4096;

    private final Clock clock;
    private final Map<String, double[]> buckets = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, double[]> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    FailedAuthLimiter(Clock clock) {
        this.clock = clock;
    }

    /** False while this address has used up its failures. */
    synchronized boolean mayTry(String address) {
        double[] bucket = buckets.get(address);
        return bucket == null || tokens(bucket) >= 1;
    }

    synchronized void failed(String address) {
        double[] bucket = buckets.computeIfAbsent(address, a -> new double[] {BURST, clock.millis()});
        bucket[0] = Math.max(0, tokens(bucket) - 1);
        bucket[1] = clock.millis();
    }

    /** Seconds until this address may try again. */
    synchronized long retryAfterSeconds(String address) {
        double[] bucket = buckets.get(address);
        if (bucket == null) {
            return 0;
        }
        double missing = Math.max(0, 1 - tokens(bucket));
        return (long) Math.ceil(missing * REFILL_MS / 1000.0);
    }

    synchronized int tracked() {
        return buckets.size();
    }

    private double tokens(double[] bucket) {
        double refilled = bucket[0] + (clock.millis() - bucket[1]) / (double) REFILL_MS;
        return Math.min(BURST, refilled);
    }
}
