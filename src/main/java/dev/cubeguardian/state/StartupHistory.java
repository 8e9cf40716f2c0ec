package dev.cubeguardian.state;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * How long a host's last few start-ups took (wake sent until the game answered), for telling a
 * player at the gateway when to come back. The median of a few, so one slow boot after an
 * update does not make every later estimate pessimistic.
 */
final class StartupHistory {

    static final int KEPT = 5;

    private final Deque<Duration> recent = new ArrayDeque<>(KEPT);

    void record(Duration took) {
        if (took.isNegative()) {
            return;
        }
        if (recent.size() == KEPT) {
            recent.removeFirst();
        }
        recent.addLast(took);
    }

    Optional<Duration> estimate() {
        if (recent.isEmpty()) {
            return Optional.empty();
        }
        List<Duration> sorted = new ArrayList<>(recent);
        sorted.sort(null);
        return Optional.of(sorted.get(sorted.size() / 2));
    }
}
