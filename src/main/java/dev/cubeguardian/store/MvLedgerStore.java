package dev.cubeguardian.store;

import dev.cubeguardian.logging.ThrottledWarning;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command memory in H2's MVStore ({@code <data dir>/commands.mv.db}): an append-only file
 * of checksummed chunks, so a write torn by a crash leaves the last complete version readable.
 * Every answer is committed before the worker acknowledges its command to the broker; a commit
 * reaches the operating system at once, which is what survives a killed process (kill -9).
 *
 * <p>Opened by {@link WorkerStore}, which also handles a file that cannot be read.
 */
public final class MvLedgerStore implements LedgerStore {

    private static final Logger LOG = LoggerFactory.getLogger(MvLedgerStore.class);

    private final MVStore store;
    private final MVMap<String, byte[]> answers;
    private final AtomicLong failures = new AtomicLong();
    /** Commits since the last compaction (one per save, or one per batch of saves). */
    private int savesSinceCompaction;
    /** True on a thread inside {@link #inOneCommit}: its saves wait for the one commit at the end. */
    private final ThreadLocal<Boolean> committingLater = ThreadLocal.withInitial(() -> Boolean.FALSE);
    static final int COMPACT_EVERY_COMMITS = 1_000;
    static final int COMPACT_FILL_RATE = 90;
    static final int COMPACT_WRITE_BYTES = 64 << 20;
    private final ThrottledWarning writeFailed = new ThrottledWarning(LOG::warn,
            "Could not write the command memory to disk (full disk? read-only directory?): answers are kept in memory"
                    + " only, and a restart now would forget them", Duration.ofMinutes(1), System::nanoTime);

    private MvLedgerStore(MVStore store, boolean unused) {
        this.store = store;
        this.answers = store.openMap("answers");
    }

    /** The ledger's map in the worker's store. */
    MvLedgerStore(MVStore store) {
        this(store, true);
    }

    @Override
    public synchronized List<Saved> load(Instant since) {
        List<Saved> saved = new ArrayList<>();
        try {
            for (Map.Entry<String, byte[]> entry : answers.entrySet()) {
                ByteBuffer value = ByteBuffer.wrap(entry.getValue());
                Instant at = Instant.ofEpochMilli(value.getLong());
                if (!at.isBefore(since)) {
                    byte[] result = new byte[value.remaining()];
                    value.get(result);
                    saved.add(new Saved(entry.getKey(), at, result));
                }
            }
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            LOG.error("Could not read the whole command memory ({}); {} answers recovered", e.getMessage(), saved.size());
        }
        saved.sort(Comparator.comparing(Saved::recordedAt));
        return saved;
    }

    @Override
    public synchronized void save(String key, Instant recordedAt, byte[] result) {
        try {
            answers.put(key, ByteBuffer.allocate(8 + result.length).putLong(recordedAt.toEpochMilli()).put(result).array());
            if (!committingLater.get()) {
                commit();
            }
        } catch (RuntimeException e) {
            failed();
        }
    }

    @Override
    public void inOneCommit(Runnable work) {
        if (committingLater.get()) {
            work.run();
            return;
        }
        committingLater.set(true);
        try {
            work.run();
        } finally {
            committingLater.set(false);
            synchronized (this) {
                try {
                    commit();
                } catch (RuntimeException e) {
                    failed();
                }
            }
        }
    }

    private void commit() {
        store.commit();
        if (++savesSinceCompaction >= COMPACT_EVERY_COMMITS) {
            compact();
        }
    }

    @Override
    public synchronized void forget(String key) {
        try {
            answers.remove(key);
        } catch (RuntimeException e) {
            failed();
        }
    }

    @Override
    public synchronized void prune(Instant before) {
        try {
            List<String> old = new ArrayList<>();
            for (Map.Entry<String, byte[]> entry : answers.entrySet()) {
                if (ByteBuffer.wrap(entry.getValue()).getLong() < before.toEpochMilli()) {
                    old.add(entry.getKey());
                }
            }
            old.forEach(answers::remove);
            store.commit();
            compact();
        } catch (RuntimeException e) {
            failed();
        }
    }

    /**
     * Rewrites chunks that are mostly dead, so the file stays near a few times what it holds
     * (MVStore's own background compaction is off with our own commits). Measured: 100,000
     * commands with 36,000 answers kept left 4 GB without it, about 45 MB with it.
     */
    private void compact() {
        savesSinceCompaction = 0;
        store.compact(COMPACT_FILL_RATE, COMPACT_WRITE_BYTES);
    }

    private void failed() {
        failures.incrementAndGet();
        writeFailed.warn();
    }

    @Override
    public long failures() {
        return failures.get();
    }

    @Override
    public void close() {
        // the worker's store closes the file (WorkerStore)
    }
}
