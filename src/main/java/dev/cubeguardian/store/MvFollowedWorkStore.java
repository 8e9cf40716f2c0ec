package dev.cubeguardian.store;

import dev.cubeguardian.logging.ThrottledWarning;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link FollowedWorkStore} in the worker's MVStore: one map per kind, host id to JSON. */
final class MvFollowedWorkStore implements FollowedWorkStore {

    private static final Logger LOG = LoggerFactory.getLogger(MvFollowedWorkStore.class);

    private final MVStore store;
    private final ThrottledWarning writeFailed = new ThrottledWarning(LOG::warn,
            "Could not write the followed work to disk: a restart now would forget a wake, shutdown or countdown under way",
            Duration.ofMinutes(1), System::nanoTime);

    MvFollowedWorkStore(MVStore store) {
        this.store = store;
    }

    private MVMap<String, byte[]> map(String kind) {
        return store.openMap("followed-" + kind);
    }

    @Override
    public synchronized Map<String, byte[]> load(String kind) {
        try {
            return new HashMap<>(map(kind));
        } catch (RuntimeException e) {
            LOG.error("Could not read the followed work ({}): nothing is resumed", e.getMessage());
            return Map.of();
        }
    }

    @Override
    public synchronized void save(String kind, String host, byte[] value) {
        try {
            if (value == null) {
                map(kind).remove(host);
            } else {
                map(kind).put(host, value);
            }
            store.commit();
        } catch (RuntimeException e) {
            writeFailed.warn();
        }
    }
}
