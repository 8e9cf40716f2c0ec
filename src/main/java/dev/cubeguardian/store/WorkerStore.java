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
 */
public final class WorkerStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerStore.class);
    public static final String FILE = "commands.mv.db";

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
            return new WorkerStore(openFile(file));
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

    private static MVStore openFile(Path file) {
        return new MVStore.Builder()
                .fileName(file.toString())
                // commits are ours, one per change; no background thread writing behind our back
                .autoCommitDisabled()
                .open();
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
