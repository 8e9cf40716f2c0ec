package dev.cubeguardian.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The hosts a worker owns, in file order. {@code source} is null for the built-in demo. */
public record Inventory(Path source, Map<String, HostConfig> hosts) {

    public Inventory {
        hosts = Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
    }

    public Optional<HostConfig> host(String id) {
        return Optional.ofNullable(hosts.get(id));
    }
}
