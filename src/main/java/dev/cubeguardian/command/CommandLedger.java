package dev.cubeguardian.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cubeguardian.logging.ThrottledWarning;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers the result of every command that ran with a client id, so that a repeated id for
 * the same host and action within the retention window is answered from here, not run again.
 *
 * <p>Bounded in bytes as well as in entries: a flood of unique ids must not push the heap into
 * a full-GC loop (100,000 result objects were ~160 MB live, more than the image's heap). Each
 * result is kept as its JSON bytes (~0.5 KB, a third of the object graph) and counted with its
 * key and overhead; past either bound the oldest go first, and that is logged, since a retry
 * of an id forgotten early would run again.
 */
public final class CommandLedger {

    private static final Logger LOG = LoggerFactory.getLogger(CommandLedger.class);
    public static final Duration RETENTION = Duration.ofMinutes(10);
    /** Default bound of what the entries hold: keys, JSON results and per-entry overhead. */
    public static final long DEFAULT_MAX_BYTES = 16L << 20;
    /** Estimated: LinkedHashMap node, entry record, Instant, key String and array headers on a 64-bit JVM. */
    private static final int ENTRY_OVERHEAD_BYTES = 120;
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private record Entry(byte[] result, Instant recordedAt, int bytes) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final dev.cubeguardian.store.LedgerStore store;
    private Instant prunedAt;
    private final Clock clock;
    private final int capacity;
    private final long maxBytes;
    private long bytes;
    private long forgottenEarly;
    private final ThrottledWarning forgettingEarly = new ThrottledWarning(LOG::warn,
            "Command memory full: forgetting answered ids younger than 10 minutes (a retry of one of them would run again)",
            Duration.ofMinutes(1), System::nanoTime);

    public CommandLedger(Clock clock, int capacity) {
        this(clock, capacity, DEFAULT_MAX_BYTES);
    }

    public CommandLedger(Clock clock, int capacity, long maxBytes) {
        this(clock, capacity, maxBytes, dev.cubeguardian.store.LedgerStore.NONE);
    }

    /**
     * @param store where answers are kept across restarts (v1.1); what it holds from the last 10
     *              minutes is remembered again at once
     */
    public CommandLedger(Clock clock, int capacity, long maxBytes, dev.cubeguardian.store.LedgerStore store) {
        this.clock = clock;
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.store = store;
        this.prunedAt = clock.instant();
        Instant since = clock.instant().minus(RETENTION);
        store.prune(since);
        for (dev.cubeguardian.store.LedgerStore.Saved saved : store.load(since)) {
            remember(saved.key(), saved.result(), saved.recordedAt());
        }
        if (!entries.isEmpty()) {
            LOG.info("Command memory: {} answered ids of the last 10 minutes read back from disk", entries.size());
        }
    }

    /** Cheaper than {@link #find}: nothing is decoded. */
    public synchronized boolean contains(String host, String action, String id) {
        purgeExpired();
        return entries.containsKey(key(host, action, id));
    }

    public synchronized Optional<CommandResult> find(String host, String action, String id) {
        purgeExpired();
        Entry entry = entries.get(key(host, action, id));
        return entry == null ? Optional.empty() : Optional.of(decode(entry.result()));
    }

    /** The records made by {@code work} on this thread reach the disk in one commit, when it ends (see {@link dev.cubeguardian.store.LedgerStore#inOneCommit}). */
    public void inOneCommit(Runnable work) {
        store.inOneCommit(work);
    }

    public synchronized void record(String host, String action, String id, CommandResult result) {
        purgeExpired();
        String key = key(host, action, id);
        byte[] json = encode(result);
        Instant now = clock.instant();
        // on disk first: the command is acknowledged to the broker after this returns
        store.save(key, now, json);
        remember(key, json, now);
    }

    private void remember(String key, byte[] json, Instant at) {
        // re-recorded keys move to the end, so the map stays in recording order for purge and eviction
        Entry replaced = entries.remove(key);
        if (replaced != null) {
            bytes -= replaced.bytes();
        }
        Entry entry = new Entry(json, at, ENTRY_OVERHEAD_BYTES + key.length() + json.length);
        entries.put(key, entry);
        bytes += entry.bytes();
        Iterator<Map.Entry<String, Entry>> oldestFirst = entries.entrySet().iterator();
        while ((entries.size() > capacity || bytes > maxBytes) && oldestFirst.hasNext()) {
            Map.Entry<String, Entry> oldest = oldestFirst.next();
            bytes -= oldest.getValue().bytes();
            oldestFirst.remove();
            store.forget(oldest.getKey());
            forgottenEarly++;
            forgettingEarly.warn();
        }
    }

    /** Writes to the disk store that failed since the start. */
    public long storeFailures() {
        return store.failures();
    }

    public synchronized int size() {
        purgeExpired();
        return entries.size();
    }

    /** What the entries hold, as counted against the byte bound. */
    public synchronized long bytes() {
        purgeExpired();
        return bytes;
    }

    /** Ids forgotten before their 10 minutes were up, because a bound was reached. */
    public synchronized long forgottenEarly() {
        return forgottenEarly;
    }

    private void purgeExpired() {
        Instant cutoff = clock.instant().minus(RETENTION);
        if (clock.instant().isAfter(prunedAt.plus(PRUNE_EVERY))) {
            // the disk copy is trimmed in one go now and then, not one delete per expired id
            prunedAt = clock.instant();
            store.prune(cutoff);
        }
        Iterator<Entry> oldestFirst = entries.values().iterator();
        while (oldestFirst.hasNext()) {
            Entry oldest = oldestFirst.next();
            if (!oldest.recordedAt().isBefore(cutoff)) {
                break;
            }
            bytes -= oldest.bytes();
            oldestFirst.remove();
        }
    }

    private static byte[] encode(CommandResult result) {
        try {
            return JSON.writeValueAsBytes(result);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CommandResult decode(byte[] json) {
        try {
            return JSON.readValue(json, CommandResult.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String key(String host, String action, String id) {
        return host + '\u0000' + action + '\u0000' + id;
    }
}
