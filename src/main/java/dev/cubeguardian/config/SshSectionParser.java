package dev.cubeguardian.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** The {@code ssh} section of a host: credentials and the command templates. */
final class SshSectionParser {

    static final List<String> KEYS = List.of("port", "user", "key-file", "key-passphrase-file",
            "known-hosts-file", "shutdown-command", "shutdown-now-command", "cancel-command", "reboot-command", "timeout");

    static final int DEFAULT_PORT = 22;
    static final String DEFAULT_USER = "root";
    static final String DEFAULT_SHUTDOWN = "shutdown -h +" + SshSettings.DELAY_PLACEHOLDER;
    static final String DEFAULT_SHUTDOWN_NOW = "shutdown -h now";
    static final String DEFAULT_CANCEL = "shutdown -c";
    static final String DEFAULT_REBOOT = "reboot";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

    // The portable POSIX user name rule (useradd's default), lower case only.
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");

    private SshSectionParser() {
    }

    static SshSettings parse(ConfigSection ssh, Path baseDir) {
        int port = ssh.optional("port").map(n -> n.integer(1, 65535)).orElse(DEFAULT_PORT);
        String user = ssh.optional("user").map(SshSectionParser::user).orElse(DEFAULT_USER);
        Path keyFile = readableFile(ssh.required("key-file"), baseDir);
        Path passphraseFile = ssh.optional("key-passphrase-file").map(n -> readableFile(n, baseDir)).orElse(null);
        if (!ssh.entries().containsKey("known-hosts-file")) {
            throw ssh.missing("known-hosts-file", "is required: host keys are always verified"
                    + " (create one with: ssh-keyscan HOST > known_hosts, then check the fingerprints)");
        }
        Path knownHosts = readableFile(ssh.required("known-hosts-file"), baseDir);
        String shutdown = command(ssh, "shutdown-command", DEFAULT_SHUTDOWN, true);
        String shutdownNow = command(ssh, "shutdown-now-command", DEFAULT_SHUTDOWN_NOW, false);
        String cancel = command(ssh, "cancel-command", DEFAULT_CANCEL, false);
        // a reboot is always now: a delay would leave the worker following a host that has not gone down yet
        String reboot = command(ssh, "reboot-command", DEFAULT_REBOOT, false);
        Duration timeout = ssh.optional("timeout").map(n -> n.positiveDuration(MAX_TIMEOUT)).orElse(DEFAULT_TIMEOUT);
        return new SshSettings(port, user, keyFile, passphraseFile, knownHosts, shutdown, shutdownNow, cancel, reboot, timeout);
    }

    private static String user(ConfigNode node) {
        String user = node.text();
        if (!USER.matcher(user).matches()) {
            throw node.error("'" + user + "' is not a valid user name (expected [a-z_][a-z0-9_.-]{0,31})");
        }
        return user;
    }

    private static String command(ConfigSection ssh, String key, String fallback, boolean delayAllowed) {
        return ssh.optional(key).map(node -> {
            String command = node.text();
            try {
                CommandTemplates.check(command, delayAllowed);
            } catch (IllegalArgumentException e) {
                throw node.error(e.getMessage());
            }
            return command;
        }).orElse(fallback);
    }

    /**
     * Resolves against the inventory's directory, so the file works the same from any working
     * directory, and checks it now: a missing key should stop the start, not the first shutdown.
     */
    static Path readableFile(ConfigNode node, Path baseDir) {
        String text = node.text();
        if (text.isBlank()) {
            throw node.error("must name a file");
        }
        Path path;
        try {
            path = baseDir.resolve(text).normalize();
        } catch (InvalidPathException e) {
            throw node.error("'" + text + "' is not a valid path");
        }
        String where = Path.of(text).isAbsolute() ? "" : " (relative paths are resolved against " + baseDir + ")";
        if (!Files.exists(path)) {
            throw node.error("file " + path + " does not exist" + where);
        }
        if (!Files.isRegularFile(path)) {
            throw node.error(path + " is not a regular file" + where);
        }
        if (!Files.isReadable(path)) {
            throw node.error("file " + path + " is not readable by this process");
        }
        return path;
    }
}
