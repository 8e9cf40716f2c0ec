package dev.cubeguardian.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the worker keeps on disk under {@code CUBEGUARDIAN_DATA_DIR}, in one H2 MVStore file
 * ({@code commands.mv.db}): the answered commands ({@link #ledger()}) and the work being
 * followed ({@link #followed()}: wakes, shutdowns, idle countdowns, game countdowns).
 *
 * <p>A file that cannot be opened (corrupted, from another program) is moved aside as
 * {@code commands.mv.db.broken-<time>} and a new one started: the worker reports it and runs;
 * ids it answered before are then unknown, which is said in the log. A directory that cannot be
 * written, or a file that another process holds open (locked: two workers given one data
 * directory), leaves the worker with its memory only, said the same way; the file is left alone.
 * A file that may be read but not written (a volume mounted read-only) is read: its answers
 * are honoured and its followed work resumed, and what is answered after is kept in memory only.
 */
public final class WorkerStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerStore.class);
    public static final String FILE = "commands.mv.db";
    static final int PAGE_SPLIT_SIZE = 4096;
    /** A file larger than this at start is rewritten to what it holds (at most 16 MiB of answers). */
    static final long SHRINK_ABOVE_BYTES = 64L << 20;

    private final MVStore store;
    private final LedgerStore ledger;
    private final FollowedWorkStore followed;

    private WorkerStore(MVStore store) {
        this.store = store;
        this.ledger = store == null ? LedgerStore.NONE : new MvLedgerStore(store);
        this.followed = store == null ? FollowedWorkStore.NONE : new MvFollowedWorkStore(store);
    }

    /** Nothing on disk: the demo, unless told otherwise. */
    public static WorkerStore memoryOnly() {
        return new WorkerStore(null);
    }

    /** Opens (or makes) the store in {@code directory}; memory only, with the reason logged, when it cannot. */
    public static WorkerStore open(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            LOG.error("Cannot create the data directory {} ({}): the command memory is not kept across restarts",
                    directory, e.getMessage());
            return memoryOnly();
        }
        Path file = directory.resolve(FILE);
        try {
            return reportedIfReadOnly(new WorkerStore(openFile(file)), file);
        } catch (RuntimeException unreadable) {
            if (unreadable instanceof MVStoreException e && e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
                // another process has it open (two workers on one data directory): it is not broken, leave it to that one
                LOG.error("The command memory {} is in use by another process (another worker with the same data directory?):"
                        + " this worker keeps its memory in memory only, not across restarts; give each worker a"
                        + " CUBEGUARDIAN_DATA_DIR of its own", file);
                return memoryOnly();
            }
            if (!Files.exists(file)) {
                LOG.error("Cannot create the command memory {} ({}): it is not kept across restarts", file, unreadable.getMessage());
                return memoryOnly();
            }
            Path aside = file.resolveSibling(FILE + ".broken-" + Instant.now().toEpochMilli());
            try {
                Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
                LOG.error("The command memory {} could not be read ({}); moved aside to {} and started anew: ids answered"
                        + " before this start are unknown, and a client's retry of one would run again", file,
                        unreadable.getMessage(), aside);
                return new WorkerStore(openFile(file));
            } catch (IOException | RuntimeException cannot) {
                LOG.error("The command memory {} could not be read ({}) nor replaced ({}): it is not kept across restarts",
                        file, unreadable.getMessage(), cannot.getMessage());
                return memoryOnly();
            }
        }
    }

    /**
     * MVStore opens a file it may not write read-only by itself: what it holds is answered and
     * resumed, nothing new is kept. Said once here, with the cause, rather than only as the
     * failed writes that follow.
     */
    private static WorkerStore reportedIfReadOnly(WorkerStore opened, Path file) {
        if (opened.store == null || !opened.store.getFileStore().isReadOnly()) {
            return opened;
        }
        String cause;
        try {
            cause = Files.getFileStore(file).isReadOnly() ? "its file system is mounted read-only" : "this user may not write it";
        } catch (IOException | RuntimeException unknown) {
            cause = "it cannot be written";
        }
        LOG.error("The command memory {} is read-only ({}): its {} answered command(s) and the work it was following are read"
                + " and honoured, but nothing answered from now on is kept across restarts; make {} writable",
                file, cause, opened.ledger.load(Instant.EPOCH).size(), file.getParent());
        return opened;
    }

    private static MVStore openFile(Path file) {
        shrinkIfLarge(file);
        MVStore store = new MVStore.Builder()
                .fileName(file.toString())
                // commits are ours, one per change; no background thread writing behind our back
                .autoCommitDisabled()
                // a commit rewrites each changed page whole: smaller pages, fewer bytes per answer
                .pageSplitSize(PAGE_SPLIT_SIZE)
                .open();
        // what a commit replaced may be reused at once: old versions are of no use to us, and kept
        // 45 s (MVStore's default) a burst of commands grew the file by ~23 KB each
        store.setRetentionTime(0);
        store.setVersionsToKeep(0);
        return store;
    }

    /**
     * MVStore reuses the space of dead chunks but never gives it back to the file system. A file
     * grown far past what it holds (a burst of commands, an older version's settings) is
     * rewritten, live data only, before it is opened (MVStore's compaction tool: a copy beside
     * it, then renames; a crash in between is cleaned up the next time).
     */
    static void shrinkIfLarge(Path file) {
        try {
            // first: a compaction cut short by a crash is finished or undone
            org.h2.mvstore.MVStoreTool.compactCleanUp(file.toString());
            if (!Files.exists(file) || Files.size(file) <= SHRINK_ABOVE_BYTES) {
                return;
            }
            long before = Files.size(file);
            // MVStore's own tool: a copy beside the file, then renames that a crash leaves recoverable
            org.h2.mvstore.MVStoreTool.compact(file.toString(), false);
            LOG.info("Command memory {}: compacted from {} MB to {} MB", file, before >> 20, Files.size(file) >> 20);
        } catch (IOException | RuntimeException e) {
            // the file stays as it is: large, but whole
            LOG.warn("Command memory {}: could not compact it ({})", file, e.getMessage());
        }
    }

    public LedgerStore ledger() {
        return ledger;
    }

    public FollowedWorkStore followed() {
        return followed;
    }

    @Override
    public void close() {
        if (store != null) {
            try {
                store.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing the command memory: {}", e.getMessage());
            }
        }
    }
}
