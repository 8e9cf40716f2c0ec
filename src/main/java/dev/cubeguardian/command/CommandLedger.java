package dev.cubeguardian.command;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Remembers the result of every command that ran with a client id, so that a repeated id for
 * the same host and action within the retention window is answered from here, not run again.
 * Bounded: past {@code capacity} entries the oldest go first, so a flood of ids cannot exhaust memory.
 */
public final class CommandLedger {

    public static final Duration RETENTION = Duration.ofMinutes(10);

    private record Entry(CommandResult result, Instant recordedAt) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Clock clock;
    private final int capacity;

    public CommandLedger(Clock clock, int capacity) {
        this.clock = clock;
        this.capacity = capacity;
    }

    public synchronized Optional<CommandResult> find(String host, String action, String id) {
        purgeExpired();
        Entry entry = entries.get(key(host, action, id));
        return entry == null ? Optional.empty() : Optional.of(entry.result());
    }

    public synchronized void record(String host, String action, String id, CommandResult result) {
        purgeExpired();
        String key = key(host, action, id);
        // re-recorded keys move to the end, so the map stays in recording order for purge and eviction
        entries.remove(key);
        entries.put(key, new Entry(result, clock.instant()));
        Iterator<Entry> oldestFirst = entries.values().iterator();
        while (entries.size() > capacity && oldestFirst.hasNext()) {
            oldestFirst.next();
            oldestFirst.remove();
        }
    }

    public synchronized int size() {
        return entries.size();
    }

    private void purgeExpired() {
        Instant cutoff = clock.instant().minus(RETENTION);
        Iterator<Entry> oldestFirst = entries.values().iterator();
        while (oldestFirst.hasNext() && oldestFirst.next().recordedAt().isBefore(cutoff)) {
            oldestFirst.remove();
        }
    }

    private static String key(String host, String action, String id) {
        return host + '\u0000' + action + '\u0000' + id;
    }
}
