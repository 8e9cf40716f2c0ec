package dev.cubeguardian.http;

import dev.cubeguardian.command.ResultFactory;
import dev.cubeguardian.state.HostLifecycle;
import dev.cubeguardian.state.HostState;
import dev.cubeguardian.state.HostTracker;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Every host's state as the retained {@code <base>/<host>/state} says it, read from the worker's
 * memory (the trackers) instead of the broker: the same JSON, without a subscription per request.
 * A host not probed yet is {@code "state": "unknown"} with nothing else known.
 */
final class HostStates {

    private final HostLifecycle lifecycle;
    private final BiFunction<String, String, ZonedDateTime> nextScheduled;
    private final Map<String, Boolean> scheduled;

    HostStates(HostLifecycle lifecycle, BiFunction<String, String, ZonedDateTime> nextScheduled, Map<String, Boolean> scheduled) {
        this.lifecycle = lifecycle;
        this.nextScheduled = nextScheduled;
        this.scheduled = scheduled;
    }

    /** host id → its state message, in inventory order. */
    Map<String, Object> all() {
        Map<String, Object> hosts = new LinkedHashMap<>();
        for (HostTracker tracker : lifecycle.trackers()) {
            hosts.put(tracker.hostId(), of(tracker));
        }
        return hosts;
    }

    /** Null for a host the worker does not have. */
    Map<String, Object> one(String hostId) {
        HostTracker tracker = lifecycle.tracker(hostId);
        return tracker == null ? null : of(tracker);
    }

    private Map<String, Object> of(HostTracker tracker) {
        Map<String, Object> json;
        synchronized (tracker) {
            if (tracker.state() == HostState.UNKNOWN && tracker.snapshot().last() == null) {
                json = new LinkedHashMap<>();
                json.put("v", 1);
                json.put("host", tracker.hostId());
                json.put("state", "unknown");
                return json;
            }
            json = tracker.snapshot().toJson();
        }
        if (Boolean.TRUE.equals(scheduled.get(tracker.hostId()))) {
            json.put("next_wake", format(nextScheduled.apply(tracker.hostId(), "wake")));
            json.put("next_shutdown", format(nextScheduled.apply(tracker.hostId(), "shutdown")));
        }
        return json;
    }

    private static String format(ZonedDateTime at) {
        return at == null ? null : ResultFactory.TIMESTAMP.format(at);
    }
}
