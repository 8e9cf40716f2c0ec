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
    private final CliTexts texts;
    private int shown;

    ProgressLine(PrintStream out, boolean terminal, ZoneId zone, CliTexts texts) {
        this.out = out;
        this.terminal = terminal;
        this.zone = zone;
        this.texts = texts;
    }

    /** The text for a {@code progress} event, e.g. {@code demo: host is up (3 s)}. */
    static String progress(JsonNode event, ZoneId zone, CliTexts texts) {
        String host = event.path("host").asText("?");
        String phase = event.path("phase").asText("?");
        String text = "reboot".equals(event.path("action").asText()) && phase.equals("command_sent")
                ? texts.get("progress.reboot_command_sent") : switch (phase) {
            case "packet_sent", "packet_resent", "host_up", "service_up", "command_sent", "host_down", "game_saved",
                 "game_stopped" -> texts.get("progress." + phase);
            case "went_down" -> texts.get("progress.went_down");
            case "warning_sent" -> texts.get("progress.warning_sent", event.path("remaining_s").asLong());
            case "game_stop_failed" -> texts.get("progress.game_stop_failed", event.path("reason").asText("?"));
            case "command_failed" -> texts.get("progress.command_failed", event.path("reason").asText("?"));
            case "scheduled" -> texts.get("progress.scheduled", clock(event.path("scheduled_for").asText(null), zone));
            // a phase newer than this client: its API name says more than nothing
            default -> phase;
        };
        return event.hasNonNull("elapsed_s") ? texts.get("progress.timed", host, text, event.get("elapsed_s").asLong())
                : texts.get("progress.untimed", host, text);
    }

    /** The text for a {@code completed} event, e.g. {@code demo: online after 8 s}. */
    static String completed(JsonNode event, CliTexts texts) {
        String host = event.path("host").asText("?");
        String code = event.path("code").asText("?");
        long seconds = event.path("elapsed_s").asLong(0);
        return switch (code) {
            case "ONLINE", "OFFLINE", "STARTUP_TIMEOUT", "SHUTDOWN_TIMEOUT" -> texts.get("completed." + code, host, seconds);
            case "CANCELLED" -> event.hasNonNull("cancelled_by")
                    ? texts.get("completed.CANCELLED_BY", host, event.get("cancelled_by").asText())
                    : texts.get("completed.CANCELLED", host);
            default -> texts.get("completed.other", host, event.path("action").asText(texts.get("completed.operation")), code);
        };
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
        show(progress(event, zone, texts));
    }

    void completed(JsonNode event) {
        finish(completed(event, texts));
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
