package dev.cubeguardian.store;

import java.util.Map;
import java.util.Optional;

/**
 * The work the worker follows for each host (a wake until online, a shutdown until off, an
 * idle countdown, a game countdown), kept so a restart picks it up where it was. Values are
 * small JSON documents owned by their users; this store only keeps them. Never throws.
 */
public interface FollowedWorkStore {

    /** What was saved under {@code kind} ("host", "countdown") for each host. */
    Map<String, byte[]> load(String kind);

    /** Saves (or, with null, forgets) one host's entry, on disk before this returns. */
    void save(String kind, String host, byte[] value);

    FollowedWorkStore NONE = new FollowedWorkStore() {
        @Override
        public Map<String, byte[]> load(String kind) {
            return Map.of();
        }

        @Override
        public void save(String kind, String host, byte[] value) {
        }
    };

    default Optional<byte[]> load(String kind, String host) {
        return Optional.ofNullable(load(kind).get(host));
    }
}
