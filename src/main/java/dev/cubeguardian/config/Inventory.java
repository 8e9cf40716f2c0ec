package dev.cubeguardian.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The hosts a worker owns, in file order. {@code source} is null for the built-in demo.
 *
 * @param timeZone the zone of every schedule's times (v1.1 {@code time-zone}); the system's when not set
 */
public record Inventory(Path source, Map<String, HostConfig> hosts, java.time.ZoneId timeZone) {

    public Inventory {
        hosts = Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
        timeZone = timeZone == null ? java.time.ZoneId.systemDefault() : timeZone;
    }

    public Inventory(Path source, Map<String, HostConfig> hosts) {
        this(source, hosts, null);
    }

    public Optional<HostConfig> host(String id) {
        return Optional.ofNullable(hosts.get(id));
    }
}
