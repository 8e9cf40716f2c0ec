package dev.cubeguardian.config;

import java.time.Duration;

/** How the host itself is probed. {@code port} is null for icmp. */
public record ProbeSettings(ProbeMethod method, Integer port, Duration timeout) {

    public enum ProbeMethod {
        ICMP, TCP;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
