package dev.cubeguardian.state;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which hosts' retained states are due again, a few each tick, so that none goes longer than
 * the refresh period without one.
 *
 * <p>Why not all at once: 10,000 states a minute in one burst sat in the outbox together until
 * the broker had them, long enough to be promoted to the old generation (JFR's old-object
 * samples, benchmark 10). Here a cursor visits every host once per {@code refresh - margin}
 * and republishes the host when waiting for its next visit would make its state older
 * than the refresh period; a state published in between (a change, a reconnect) moves its host's
 * next republication on. In the steady state each host is republished once per visit period,
 * spread evenly over it.
 */
final class StateRefresh {

    private final String[] hosts;
    private final Map<String, Integer> index;
    /** Per host: clock milliseconds of its last published state; 0 for never. */
    private final AtomicLongArray publishedAt;
    private final long refreshMs;
    private final long visitMs;
    private final long tickMs;
    private long startMs = -1;
    /** Visits made since the first tick; the cursor is this modulo the number of hosts. */
    private long visits;

    StateRefresh(List<String> hostIds, Duration refresh, Duration tick) {
        this.hosts = hostIds.toArray(String[]::new);
        this.index = new java.util.HashMap<>(hosts.length * 2);
        for (int i = 0; i < hosts.length; i++) {
            index.put(hosts[i], i);
        }
        this.publishedAt = new AtomicLongArray(hosts.length);
        this.refreshMs = refresh.toMillis();
        this.tickMs = Math.max(1, tick.toMillis());
        // two ticks of slack for the timer's own delays, at most half the period
        long margin = Math.min(2 * tickMs, refreshMs / 2);
        this.visitMs = Math.max(tickMs, refreshMs - margin);
    }

    /** A state of this host went out (any reason): its next refresh is a period from now. */
    void published(String hostId, long nowMs) {
        Integer i = index.get(hostId);
        if (i != null) {
            publishedAt.set(i, Math.max(1, nowMs));   // 0 means never
        }
    }

    /** Whether a state of this host went out in this run. */
    boolean everPublished(String hostId) {
        Integer i = index.get(hostId);
        return i != null && publishedAt.get(i) != 0;
    }

    /**
     * One tick: the hosts among this tick's share of the cursor whose state would be older than
     * the refresh period by their next visit. Hosts never published are left out (nothing to
     * say yet: no probe has answered).
     */
    synchronized List<String> due(long nowMs) {
        List<String> due = new ArrayList<>();
        if (hosts.length == 0) {
            return due;
        }
        if (startMs < 0) {
            startMs = nowMs - tickMs;   // the first tick visits a tick's share already
        }
        // n visits per visit period, by the clock: a small inventory is not visited faster
        long target = Math.max(0, nowMs - startMs) * hosts.length / visitMs;
        // after a pause (a clock jump, a stalled timer) one round at most, not a storm of catch-up
        visits = Math.max(visits, target - hosts.length);
        for (; visits < target; visits++) {
            int i = (int) (visits % hosts.length);
            long at = publishedAt.get(i);
            // its next visit comes a visit period later, a tick more at worst (visits happen on ticks)
            if (at != 0 && nowMs - at + visitMs + tickMs > refreshMs) {
                due.add(hosts[i]);
            }
        }
        return due;
    }
}
