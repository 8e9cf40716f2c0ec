package dev.cubeguardian.state;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The end of the monitor's first sweep: every host of the inventory has had its first probe's
 * answer. The hosts still waiting are kept until then, and the set is empty afterwards.
 */
final class FirstSweep {

    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    FirstSweep(Collection<String> hostIds) {
        waiting.addAll(hostIds);
        if (waiting.isEmpty()) {
            done.complete(null);
        }
    }

    /** A probe of this host answered. */
    void observed(String hostId) {
        if (!done.isDone() && waiting.remove(hostId) && waiting.isEmpty()) {
            done.complete(null);
        }
    }

    /**
     * Completes with the sweep, or after {@code bound} at the latest (a standby never probes; a
     * host's probes can take longer than expected). Each call has its own bound.
     */
    CompletionStage<Void> done(Duration bound) {
        return done.copy().completeOnTimeout(null, bound.toMillis(), TimeUnit.MILLISECONDS);
    }
}
