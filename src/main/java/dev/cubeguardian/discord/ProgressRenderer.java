package dev.cubeguardian.discord;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.discord.bus.HostInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the result and events of one command into the card the user sees, one step per line.
 * Pure: it is fed the MQTT API's JSON and returns what to show; no Discord, no MQTT.
 */
public final class ProgressRenderer {

    /**
     * Discord lets a reply be edited for 15 minutes; the bot follows for 14 (its follow timeout).
     * A countdown longer than this plus the game's stop would outlive the reply.
     */
    static final long MAX_FOLLOWED_DELAY_MINUTES = 10;
    private static final java.util.Set<String> STOP_FAILURES = java.util.Set.of("rcon_unreachable", "rcon_auth_failed", "stop_timeout");

    private final Texts texts;
    private final HostInfo host;
    private final String action;
    private final String userId;
    private final List<String> lines = new ArrayList<>();
    private String title;
    private Card.Tone tone = Card.Tone.PENDING;
    private List<Card.Action> buttons = List.of();
    private String commandId;
    private boolean finished;
    private boolean resultSeen;

    /** @param action the API action: wake, shutdown, cancel, reboot or idle */
    public ProgressRenderer(Texts texts, HostInfo host, String action, String userId) {
        this.texts = texts;
        this.host = host;
        this.action = action;
        this.userId = userId;
        this.title = texts.get("title." + action + ".pending", host.name());
    }

    public boolean finished() {
        return finished;
    }

    /** The first card: the command is on its way. */
    public Card sending(String id) {
        commandId = id;
        lines.add(texts.get("progress.sending"));
        return card();
    }

    public Card unavailable(boolean brokerDown) {
        lines.clear();
        return fail(texts.get(brokerDown ? "error.broker_down" : "error.worker_offline"));
    }

    public Card resultTimeout(Duration waited) {
        return fail(texts.get("error.result_timeout", texts.duration(waited)));
    }

    public Card followTimeout(Duration waited) {
        finished = true;
        tone = Card.Tone.INFO;
        lines.add(texts.get("progress.follow_timeout", texts.duration(waited)));
        return card();
    }

    /** The command's result: the first answer from the worker. */
    public Card onResult(JsonNode result) {
        resultSeen = true;
        lines.remove(texts.get("progress.sending"));
        String code = result.path("code").asText("");
        if (!result.path("success").asBoolean(false)) {
            if (code.equals("PLAYERS_ONLINE")) {
                return confirmForce(result.path("details"));
            }
            if (code.equals("PLAYERS_UNKNOWN")) {
                return confirmForceUnknown();
            }
            return fail(texts.get("error.result", result.path("message").asText(code)));
        }
        switch (code) {
            case "WOL_SENT" -> lines.add(texts.get("progress.packet_sent"));
            case "SHUTDOWN_SENT" -> {
                tone = Card.Tone.STOPPING;
                lines.add(texts.get("progress.shutdown_sent"));
            }
            case "SHUTDOWN_SCHEDULED" -> {
                Instant at = instant(result.at("/details/scheduled_for").asText(null));
                long minutes = result.at("/details/delay_minutes").asLong();
                tone = Card.Tone.STOPPING;
                title = texts.get("title.shutdown.scheduled", host.name());
                lines.add(texts.get("progress.shutdown_scheduled", texts.duration(Duration.ofMinutes(minutes)),
                        at == null ? "?" : "<t:" + at.getEpochSecond() + ":t>"));
                lines.add(texts.get("progress.cancel_hint"));
                // a game stopped over RCON counts down in the game: the card follows it while Discord lets us edit it
                finished = !host.gameStop() || minutes > MAX_FOLLOWED_DELAY_MINUTES;
            }
            case "REBOOT_SENT" -> {
                tone = Card.Tone.STOPPING;
                lines.add(texts.get("progress.reboot_sent"));
            }
            case "IDLE_UPDATED" -> {
                finished = true;
                return IdleCards.updated(texts, host, result.path("details"), footer());
            }
            case "SHUTDOWN_CANCELLED" -> {
                tone = Card.Tone.SUCCESS;
                title = texts.get("title.cancel.done", host.name());
                lines.add(texts.get("progress.cancelled"));
                finished = true;
            }
            default -> {
                lines.add(texts.get("error.result", result.path("message").asText(code)));
                finished = true;
            }
        }
        return card();
    }

    /**
     * A host event after the result. {@code state} is the host's retained state at that point
     * (used for the final line of a wake); events of other operations give null (nothing to show).
     */
    public Card onEvent(JsonNode event, JsonNode state) {
        if (!resultSeen || finished) {
            return null;
        }
        String type = event.path("type").asText("");
        if (!action.equals(event.path("action").asText(null))) {
            return null;
        }
        Duration elapsed = Duration.ofSeconds(event.path("elapsed_s").asLong());
        if (type.equals("progress")) {
            switch (event.path("phase").asText("")) {
                case "packet_resent" -> lines.add(texts.get("progress.packet_resent", texts.duration(elapsed)));
                case "host_up" -> lines.add(texts.get("progress.host_up", texts.duration(elapsed)));
                case "host_down" -> lines.add(texts.get("progress.host_down", texts.duration(elapsed)));
                case "warning_sent" -> lines.add(texts.get("progress.warning_sent",
                        texts.duration(Duration.ofSeconds(event.path("remaining_s").asLong()))));
                case "game_saved" -> lines.add(texts.get("progress.game_saved"));
                case "game_stopped" -> lines.add(texts.get("progress.game_stopped"));
                case "game_stop_failed" -> lines.add(texts.get("progress.game_stop_failed."
                        + (STOP_FAILURES.contains(event.path("reason").asText()) ? event.path("reason").asText() : "other")));
                case "command_sent" -> {
                    if (action.equals("reboot")) {
                        return null; // REBOOT_SENT already said so
                    }
                    lines.add(texts.get("progress.shutdown_sent"));
                }
                case "went_down" -> lines.add(texts.get("progress.went_down", texts.duration(elapsed)));
                default -> {
                    return null;
                }
            }
            return card();
        }
        if (!type.equals("completed")) {
            return null;
        }
        finished = true;
        switch (event.path("code").asText("")) {
            case "ONLINE" -> {
                tone = Card.Tone.SUCCESS;
                title = texts.get(action.equals("reboot") ? "title.reboot.done" : "title.wake.done", host.name());
                lines.add(onlineLine(state, elapsed));
            }
            case "STARTUP_TIMEOUT" -> {
                tone = Card.Tone.FAILURE;
                title = texts.get(action.equals("reboot") ? "title.reboot.failed" : "title.wake.failed", host.name());
                // a reboot tells "never went down" (the command did nothing visible) from "did not come back"
                String key = !action.equals("reboot") ? "progress.startup_timeout"
                        : event.path("went_down").asBoolean(true) ? "progress.reboot_not_back" : "progress.reboot_never_down";
                lines.add(texts.get(key, texts.duration(elapsed)));
            }
            case "OFFLINE" -> {
                tone = Card.Tone.OFF;
                title = texts.get("title.shutdown.done", host.name());
                lines.add(texts.get("progress.offline", texts.duration(elapsed)));
            }
            case "SHUTDOWN_TIMEOUT" -> {
                tone = Card.Tone.FAILURE;
                title = texts.get("title.shutdown.failed", host.name());
                lines.add(texts.get("progress.shutdown_timeout", texts.duration(elapsed)));
            }
            case "CANCELLED" -> {
                tone = Card.Tone.INFO;
                title = texts.get("title.cancel.done", host.name());
                lines.add(texts.get("progress.cancelled"));
            }
            default -> {
                tone = Card.Tone.INFO;
                lines.add(event.path("code").asText());
            }
        }
        return card();
    }

    private String onlineLine(JsonNode state, Duration elapsed) {
        JsonNode service = state == null ? null : state.path("service");
        if (service != null && service.path("reachable").asBoolean(false)) {
            return texts.get("progress.online_minecraft", text(service.path("version"), "?"),
                    text(service.path("players_online"), "?"), text(service.path("players_max"), "?"),
                    texts.duration(elapsed));
        }
        return texts.get("progress.online", host.name(), texts.duration(elapsed));
    }

    private Card confirmForce(JsonNode details) {
        finished = true;
        tone = Card.Tone.WARNING;
        title = texts.get("title." + confirmKey() + ".confirm", host.name());
        List<String> names = new ArrayList<>();
        details.path("players").forEach(p -> names.add(p.asText()));
        int count = details.path("players_online").asInt(names.size());
        lines.add(names.isEmpty() ? texts.get("confirm.players", count)
                : texts.get("confirm.players_named", count, String.join(", ", names)));
        lines.add(texts.get(action.equals("reboot") ? "confirm.question_restart" : "confirm.question"));
        buttons = List.of(forceButton());
        return card();
    }

    /** The worker could not count the players (the game does not answer): the same choice, said so. */
    private Card confirmForceUnknown() {
        finished = true;
        tone = Card.Tone.WARNING;
        title = texts.get("title." + confirmKey() + ".confirm_unknown", host.name());
        lines.add(texts.get("confirm.players_unknown"));
        lines.add(texts.get(action.equals("reboot") ? "confirm.question_restart_unknown" : "confirm.question_unknown"));
        buttons = List.of(forceButton());
        return card();
    }

    private int delayArgument;

    private String confirmKey() {
        return action.equals("reboot") ? "reboot" : "shutdown";
    }

    /** "Stop anyway" or "Restart anyway": the same command again, forced, for the same user only. */
    private Card.Action forceButton() {
        return action.equals("reboot")
                ? new Card.Action("forcerestart:" + host.id() + ":" + userId, texts.get("button.force_restart"), Card.Style.DANGER)
                : new Card.Action("forcestop:" + host.id() + ":" + userId + ":" + delayArgument, texts.get("button.force_stop"),
                        Card.Style.DANGER);
    }

    /** The delay of the shutdown being asked, kept for the "Stop anyway" button. */
    public ProgressRenderer withDelay(int delayMinutes) {
        this.delayArgument = delayMinutes;
        return this;
    }

    private Card fail(String line) {
        finished = true;
        tone = Card.Tone.FAILURE;
        title = texts.get("title." + action + ".failed", host.name());
        lines.add(line);
        return card();
    }

    private Card card() {
        return new Card(title, lines, tone, List.of(), buttons, footer());
    }

    private String footer() {
        return commandId == null ? null : texts.get("footer.command", commandId);
    }

    static String text(JsonNode node, String fallback) {
        return node == null || node.isNull() || node.isMissingNode() ? fallback : node.asText();
    }

    static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
