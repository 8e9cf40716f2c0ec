package dev.cubeguardian.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code minecraft.rcon}: checks every key of the graceful stop and fills in the defaults. */
final class RconSectionParser {

    static final List<String> KEYS = List.of("port", "password-file", "timeout", "warnings", "stop-game", "stop-timeout");
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);
    static final Duration MAX_STOP_TIMEOUT = Duration.ofMinutes(30);
    /** A warning longer before the shutdown than the longest delay a shutdown may have is never said. */
    static final Duration MAX_WARNING = Duration.ofMinutes(1440);
    static final int MAX_WARNINGS = 10;

    private RconSectionParser() {
    }

    static RconSettings parse(ConfigSection rcon, Path baseDir) {
        int port = rcon.optional("port").map(n -> n.integer(1, 65535)).orElse(RconSettings.DEFAULT_PORT);
        Path passwordFile = SshSectionParser.readableFile(rcon.required("password-file"), baseDir);
        Duration timeout = rcon.optional("timeout").map(n -> n.positiveDuration(MAX_TIMEOUT)).orElse(RconSettings.DEFAULT_TIMEOUT);
        List<Duration> warnings = rcon.optional("warnings").map(RconSectionParser::warnings).orElse(RconSettings.DEFAULT_WARNINGS);
        boolean stopGame = rcon.optional("stop-game").map(ConfigNode::bool).orElse(true);
        Duration stopTimeout = rcon.optional("stop-timeout").map(n -> n.positiveDuration(MAX_STOP_TIMEOUT))
                .orElse(RconSettings.DEFAULT_STOP_TIMEOUT);
        return new RconSettings(port, passwordFile, timeout, warnings, stopGame, stopTimeout);
    }

    private static List<Duration> warnings(ConfigNode node) {
        List<ConfigNode> items = node.items();
        if (items.size() > MAX_WARNINGS) {
            throw node.error("has " + items.size() + " warnings; at most " + MAX_WARNINGS);
        }
        List<Duration> warnings = new ArrayList<>();
        for (ConfigNode item : items) {
            Duration warning = item.positiveDuration(MAX_WARNING);
            if (warnings.contains(warning)) {
                throw item.error("is listed twice");
            }
            warnings.add(warning);
        }
        return warnings;
    }
}
