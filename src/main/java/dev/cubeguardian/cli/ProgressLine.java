package dev.cubeguardian.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Shows the progress of a followed wake or shutdown: on a terminal one line rewritten in place
 * (carriage return), otherwise one plain line per event.
 */
final class ProgressLine {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final PrintStream out;
    private final boolean terminal;
    private final ZoneId zone;
    private int shown;

    ProgressLine(PrintStream out, boolean terminal, ZoneId zone) {
        this.out = out;
        this.terminal = terminal;
        this.zone = zone;
    }

    /** The text for a {@code progress} event, e.g. {@code demo: host is up (3 s)}. */
    static String progress(JsonNode event, ZoneId zone) {
        String host = event.path("host").asText("?");
        String phase = event.path("phase").asText("?");
        String text = switch (phase) {
            case "packet_sent" -> "magic packet sent";
            case "packet_resent" -> "no answer yet, magic packet sent again";
            case "host_up" -> "host is up";
            case "service_up" -> "game server is up";
            case "command_sent" -> "shutdown command sent";
            case "scheduled" -> "shutdown scheduled for " + clock(event.path("scheduled_for").asText(null), zone);
            case "host_down" -> "host is down";
            default -> phase;
        };
        return host + ": " + text + elapsed(event);
    }

    /** The text for a {@code completed} event, e.g. {@code demo: online after 8 s}. */
    static String completed(JsonNode event) {
        String host = event.path("host").asText("?");
        String code = event.path("code").asText("?");
        long seconds = event.path("elapsed_s").asLong(0);
        return host + ": " + switch (code) {
            case "ONLINE" -> "online after " + seconds + " s";
            case "OFFLINE" -> "off after " + seconds + " s";
            case "STARTUP_TIMEOUT" -> "not online after " + seconds + " s (STARTUP_TIMEOUT)";
            case "SHUTDOWN_TIMEOUT" -> "still answering " + seconds + " s after the shutdown (SHUTDOWN_TIMEOUT)";
            case "CANCELLED" -> "shutdown cancelled" + (event.hasNonNull("cancelled_by")
                    ? " by " + event.get("cancelled_by").asText() : "") + " (CANCELLED)";
            default -> event.path("action").asText("operation") + " completed: " + code;
        };
    }

    private static String elapsed(JsonNode event) {
        return event.hasNonNull("elapsed_s") ? " (" + event.get("elapsed_s").asLong() + " s)" : "";
    }

    static String clock(String timestamp, ZoneId zone) {
        if (timestamp == null) {
            return "?";
        }
        try {
            return CLOCK.format(Instant.parse(timestamp).atZone(zone));
        } catch (DateTimeParseException notATime) {
            return timestamp;
        }
    }

    /** The text that rewrites the current terminal line with {@code text}, blanking what was longer. */
    static String overwrite(String text, int previousLength) {
        return "\r" + text + " ".repeat(Math.max(0, previousLength - text.length()));
    }

    void progress(JsonNode event) {
        show(progress(event, zone));
    }

    /** An intermediate line: kept on a terminal until the next one replaces it. */
    void show(String text) {
        if (terminal) {
            out.print(overwrite(text, shown));
            out.flush();
            shown = text.length();
        } else {
            out.println(text);
        }
    }

    /** The last line: always ends the line. */
    void finish(String text) {
        if (terminal) {
            out.println(overwrite(text, shown));
            shown = 0;
        } else {
            out.println(text);
        }
    }

    /** Ends a half-written terminal line before an error is printed elsewhere. */
    void interrupt() {
        if (terminal && shown > 0) {
            out.println();
            shown = 0;
        }
    }
}
