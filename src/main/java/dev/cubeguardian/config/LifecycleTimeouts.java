package dev.cubeguardian.config;

import java.time.Duration;

/** How long a wake may take to reach "service online", and a shutdown to reach "host off". */
public record LifecycleTimeouts(Duration startup, Duration shutdown) {
}
