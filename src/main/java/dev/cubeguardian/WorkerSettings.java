package dev.cubeguardian;

import dev.cubeguardian.config.Durations;
import dev.cubeguardian.config.InvalidSettingException;
import dev.cubeguardian.state.LifecycleSettings;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The worker's own settings. application.properties maps each one to its CUBEGUARDIAN_*
 * environment variable; tests override the properties instead.
 *
 * @param mqttUrl   null: start the embedded broker
 * @param hostsFile null: run the simulated demo homelab
 * @param dataDir   where the command memory is kept across restarts (v1.1); null: in memory only
 *                  (the demo, unless CUBEGUARDIAN_DATA_DIR is set; or CUBEGUARDIAN_DATA_DIR=none)
 * @param identity  this worker among several under one base topic (v1.1); the single v1 worker by default
 */
public record WorkerSettings(
        String mqttUrl,
        String mqttUsername,
        Path mqttPasswordFile,
        Path mqttCaFile,
        String clientId,
        String baseTopic,
        Path hostsFile,
        Locale locale,
        String brokerBind,
        int brokerPort,
        int workerThreads,
        Duration watchdogGrace,
        LifecycleSettings lifecycle,
        Path dataDir,
        dev.cubeguardian.cluster.WorkerIdentity identity) {

    /** Used when CUBEGUARDIAN_HOSTS_FILE is not set and this file exists. */
    public static final Path DEFAULT_HOSTS_FILE = Path.of("config", "hosts.yaml");
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_.-]{1,40}");
    /** CUBEGUARDIAN_DATA_DIR=none (any case): the command memory is kept in memory only, as in v1. */
    public static final String NO_DATA_DIR = "none";

    public static WorkerSettings from(Function<String, String> property) {
        String base = required(property, "cubeguardian.base-topic");
        if (base.isEmpty() || base.contains("+") || base.contains("#") || base.startsWith("$")
                || base.startsWith("/") || base.endsWith("/") || base.contains("//")) {
            throw new InvalidSettingException("CUBEGUARDIAN_BASE_TOPIC '" + base
                    + "' must be a plain topic prefix: no wildcards, no leading $ or /, no empty level");
        }
        String clientId = required(property, "cubeguardian.mqtt.client-id");
        if (!CLIENT_ID.matcher(clientId).matches()) {
            throw new InvalidSettingException("CUBEGUARDIAN_MQTT_CLIENT_ID '" + clientId
                    + "' must be 1 to 40 characters from A-Z a-z 0-9 _ . -");
        }
        String language = required(property, "cubeguardian.locale").toLowerCase(Locale.ROOT);
        if (!language.equals("en") && !language.equals("fr")) {
            throw new InvalidSettingException("CUBEGUARDIAN_LOCALE '" + language + "' is not supported: use en or fr");
        }
        Path hosts = optional(property, "cubeguardian.hosts-file").map(Path::of)
                .or(() -> Files.exists(DEFAULT_HOSTS_FILE) ? Optional.of(DEFAULT_HOSTS_FILE) : Optional.empty())
                .orElse(null);
        return new WorkerSettings(
                optional(property, "cubeguardian.mqtt.url").orElse(null),
                optional(property, "cubeguardian.mqtt.username").orElse(null),
                optional(property, "cubeguardian.mqtt.password-file").map(Path::of).orElse(null),
                optional(property, "cubeguardian.mqtt.ca-file").map(Path::of).orElse(null),
                clientId,
                base,
                hosts,
                Locale.forLanguageTag(language),
                required(property, "cubeguardian.broker.bind"),
                integer(property, "cubeguardian.broker.port", 1, 65535),
                integer(property, "cubeguardian.worker-threads", 1, 256),
                duration(property, "cubeguardian.mqtt.watchdog-grace", Duration.ofSeconds(5), Duration.ofMinutes(10)),
                new LifecycleSettings(
                        duration(property, "cubeguardian.monitor.fast-interval", Duration.ofMillis(100), Duration.ofMinutes(1)),
                        duration(property, "cubeguardian.monitor.steady-interval", Duration.ofSeconds(1), Duration.ofHours(1)),
                        integer(property, "cubeguardian.monitor.down-confirmations", 1, 20),
                        duration(property, "cubeguardian.state.refresh", Duration.ofSeconds(1), Duration.ofHours(24)),
                        duration(property, "cubeguardian.wake.resend-after", Duration.ofSeconds(1), Duration.ofHours(1)),
                        integer(property, "cubeguardian.monitor.threads", 1, 512)),
                dataDir(property, hosts),
                identity(property, base));
    }

    /** CUBEGUARDIAN_WORKER_ID and CUBEGUARDIAN_SHARE_GROUP; both unset: the single worker of v1. */
    private static dev.cubeguardian.cluster.WorkerIdentity identity(Function<String, String> property, String base) {
        Optional<String> worker = optional(property, "cubeguardian.worker-id");
        Optional<String> group = optional(property, "cubeguardian.share-group");
        if (worker.isEmpty()) {
            if (group.isPresent()) {
                throw new InvalidSettingException("CUBEGUARDIAN_SHARE_GROUP is set without CUBEGUARDIAN_WORKER_ID:"
                        + " every worker of a share group needs its own worker id");
            }
            return dev.cubeguardian.cluster.WorkerIdentity.SINGLE;
        }
        if (!dev.cubeguardian.cluster.WorkerIdentity.WORKER_ID.matcher(worker.get()).matches()) {
            throw new InvalidSettingException("CUBEGUARDIAN_WORKER_ID '" + worker.get()
                    + "' must be 1 to 63 characters from a-z 0-9 _ - (starting with a letter or digit), like a host id");
        }
        if (group.isPresent() && !dev.cubeguardian.cluster.WorkerIdentity.SHARE_GROUP.matcher(group.get()).matches()) {
            throw new InvalidSettingException("CUBEGUARDIAN_SHARE_GROUP '" + group.get()
                    + "' must be 1 to 64 characters from A-Z a-z 0-9 _ -");
        }
        if (base.contains(",")) {
            // the worker's subscriptions are a comma-separated list of filters (one per host)
            throw new InvalidSettingException("CUBEGUARDIAN_BASE_TOPIC '" + base
                    + "' must not contain a comma when CUBEGUARDIAN_WORKER_ID is set");
        }
        return new dev.cubeguardian.cluster.WorkerIdentity(worker.get(), group.orElse(null));
    }

    /** data/ beside the inventory by default, as the contract says; the demo keeps nothing unless told; "none": nothing. */
    private static Path dataDir(Function<String, String> property, Path hosts) {
        Optional<String> set = optional(property, "cubeguardian.data-dir");
        if (set.isPresent()) {
            return set.get().equalsIgnoreCase(NO_DATA_DIR) ? null : Path.of(set.get());
        }
        return hosts == null ? null : hosts.toAbsolutePath().getParent().resolve("data");
    }

    public boolean embeddedBroker() {
        return mqttUrl == null;
    }

    public boolean demo() {
        return hostsFile == null;
    }

    private static Optional<String> optional(Function<String, String> property, String key) {
        String value = property.apply(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static String required(Function<String, String> property, String key) {
        return optional(property, key).orElseThrow(() -> new InvalidSettingException(
                environmentName(key) + " is set but empty: unset it to use the default"));
    }

    private static int integer(Function<String, String> property, String key, int min, int max) {
        String text = required(property, key);
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the allowed range
        }
        throw new InvalidSettingException(environmentName(key) + " = '" + text + "' must be an integer from " + min + " to " + max);
    }

    private static Duration duration(Function<String, String> property, String key, Duration min, Duration max) {
        String text = required(property, key);
        try {
            Duration value = Durations.parse(text);
            if (value.compareTo(min) >= 0 && value.compareTo(max) <= 0) {
                return value;
            }
        } catch (IllegalArgumentException ignored) {
            // reported below with the allowed range
        }
        throw new InvalidSettingException(environmentName(key) + " = '" + text + "' must be a duration (500ms, 30s, 10m) from "
                + Durations.format(min) + " to " + Durations.format(max));
    }

    /** cubeguardian.mqtt.client-id is read from CUBEGUARDIAN_MQTT_CLIENT_ID, and so on. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
