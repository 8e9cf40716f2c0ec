package dev.cubeguardian.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * SSH access for shutdown, cancel and reboot. {@code keyPassphraseFile} is null for an unencrypted key.
 * The command templates come from the inventory only; {@code {delay_minutes}} is their only
 * placeholder, and only in {@code shutdownCommand}.
 */
public record SshSettings(
        int port,
        String user,
        Path keyFile,
        Path keyPassphraseFile,
        Path knownHostsFile,
        String shutdownCommand,
        String shutdownNowCommand,
        String cancelCommand,
        String rebootCommand,
        Duration timeout) {

    public static final String DELAY_PLACEHOLDER = "{delay_minutes}";
}
