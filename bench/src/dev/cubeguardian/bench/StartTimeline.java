package dev.cubeguardian.bench;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a fleet worker's start sends, and when: every message under the worker's base and the Home
 * Assistant prefix, by kind, as it arrives at a subscriber. Benchmark 10 prints it for its largest
 * fleet, so a slow sweep shows what the first states waited behind.
 */
final class StartTimeline implements AutoCloseable {

    private final Client sub;
    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();
    private final Map<String, Boolean> stateSeen = new ConcurrentHashMap<>();

    /** Count, first and last arrival (wall-clock ms) and bytes of one kind of message. */
    static final class Kind {
        final AtomicLong count = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        volatile long first;
        volatile long last;

        void add(long at, int size) {
            if (count.getAndIncrement() == 0) {
                first = at;
            }
            last = at;
            bytes.addAndGet(size);
        }
    }

    StartTimeline(String brokerUrl) throws Exception {
        sub = new Client(brokerUrl, "bench-timeline");
        sub.onMessage((topic, msg) -> {
            long at = System.currentTimeMillis();
            kinds.computeIfAbsent(kind(topic), k -> new Kind()).add(at, msg.getPayload().length);
        });
        sub.subscribe("cubeguardian/#");
        sub.subscribe("homeassistant/#");
    }

    private String kind(String topic) {
        if (topic.startsWith("homeassistant/")) {
            return "Home Assistant configs";
        }
        String[] levels = topic.split("/");
        if (levels.length >= 2 && "bridge".equals(levels[1])) {
            return "bridge";
        }
        if (levels.length >= 3 && "state".equals(levels[2])) {
            return stateSeen.putIfAbsent(levels[1], Boolean.TRUE) == null ? "states, first per host" : "states, again";
        }
        if (levels.length >= 3 && "event".equals(levels[2])) {
            return "events";
        }
        return "other";
    }

    /** A Markdown table of the kinds, times in seconds from the given wall-clock ms. */
    java.util.List<String> table(long fromWallMs) {
        java.util.List<String> out = new java.util.ArrayList<>();
        out.add("| messages | count | MB | first s | last s |");
        out.add("|---|---:|---:|---:|---:|");
        kinds.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out.add(String.format(Locale.ROOT,
                "| %s | %d | %.1f | %.2f | %.2f |", e.getKey(), e.getValue().count.get(), e.getValue().bytes.get() / 1e6,
                (e.getValue().first - fromWallMs) / 1e3, (e.getValue().last - fromWallMs) / 1e3)));
        return out;
    }

    @Override
    public void close() throws Exception {
        sub.close();
    }
}
