package dev.cubeguardian.store;

import java.time.Instant;
import java.util.List;

/**
 * Where the command memory keeps answered ids across restarts. Never throws: a store that
 * cannot write (a full disk, a read-only directory) reports it and the worker keeps answering
 * from memory.
 */
public interface LedgerStore extends AutoCloseable {

    /** One remembered answer: the ledger's key, when it was answered, the result's JSON. */
    record Saved(String key, Instant recordedAt, byte[] result) {
    }

    /** Everything remembered and younger than {@code since}, oldest first. */
    List<Saved> load(Instant since);

    /** Kept (and on disk, for a process that is killed next) before this returns. */
    void save(String key, Instant recordedAt, byte[] result);

    /**
     * Runs {@code work}, in which this thread's saves are kept but not committed one by one,
     * then commits them together: a round of checks answered from one probe costs one commit,
     * not one each. Whoever acknowledges those commands to the broker does so after this returns.
     */
    default void inOneCommit(Runnable work) {
        work.run();
    }

    void forget(String key);

    /** Drops what is older than {@code before}; called now and then, not per command. */
    void prune(Instant before);

    /** Writes that failed since the start (the store is then behind the memory). */
    long failures();

    @Override
    void close();

    /** No store: the memory of v1, lost with the process. */
    LedgerStore NONE = new LedgerStore() {
        @Override
        public List<Saved> load(Instant since) {
            return List.of();
        }

        @Override
        public void save(String key, Instant recordedAt, byte[] result) {
        }

        @Override
        public void forget(String key) {
        }

        @Override
        public void prune(Instant before) {
        }

        @Override
        public long failures() {
            return 0;
        }

        @Override
        public void close() {
        }
    };
}
