package dev.cubeguardian.discord;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.client.Announcements;
import dev.cubeguardian.discord.bus.HostInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The status card of one host, from its retained state (pure). */
public final class StatusRenderer {

    private StatusRenderer() {
    }

    public static Card.Tone tone(String state) {
        return switch (state) {
            case "online" -> Card.Tone.SUCCESS;
            case "waking", "starting" -> Card.Tone.PENDING;
            case "stopping" -> Card.Tone.STOPPING;
            case "unreachable" -> Card.Tone.FAILURE;
            default -> Card.Tone.OFF;
        };
    }

    /** The localized name of an API state ("online" -> "en ligne"). */
    public static String stateName(Texts texts, String state) {
        return switch (state) {
            case "off", "waking", "starting", "online", "stopping", "unreachable" -> texts.get("state." + state);
            default -> texts.get("state.unknown");
        };
    }

    /** The card of a v1 worker's host (no Workers field). */
    public static Card render(Texts texts, HostInfo host, JsonNode state, boolean workerOnline, String userId) {
        return render(texts, host, state, workerOnline, List.of(), userId);
    }

    /**
     * @param state the retained state, or null when none has arrived
     * @param workerOnline whether a worker that announces the host is online; false adds a note
     *        that the state may be stale
     * @param workers every worker that announced itself: a Workers field when there are several
     *        or any has a worker id ({@link WorkersField})
     */
    public static Card render(Texts texts, HostInfo host, JsonNode state, boolean workerOnline,
            List<Announcements.Worker> workers, String userId) {
        List<String> lines = new ArrayList<>();
        List<Card.Field> fields = new ArrayList<>();
        String title = texts.get("status.title", host.name(), host.id());
        Card.Tone tone;
        if (state == null) {
            tone = Card.Tone.OFF;
            lines.add(texts.get("status.no_state"));
        } else {
            String name = state.path("state").asText("unknown");
            tone = tone(name);
            lines.add(texts.get("status.state_line", stateName(texts, name)));
            Instant since = ProgressRenderer.instant(state.path("since").asText(null));
            if (since != null) {
                fields.add(new Card.Field(texts.get("status.since"), "<t:" + since.getEpochSecond() + ":R>", true));
            }
            JsonNode service = state.path("service");
            if (host.service() == null || service.isNull() || service.isMissingNode()) {
                fields.add(new Card.Field(texts.get("status.service"), texts.get("status.no_service"), true));
            } else {
                boolean up = service.path("reachable").asBoolean(false);
                fields.add(new Card.Field(texts.get("status.service"), up
                        ? texts.get("status.minecraft_up", ProgressRenderer.text(service.path("version"), "?"))
                        : texts.get("status.minecraft_down"), true));
                if (up) {
                    List<String> names = new ArrayList<>();
                    service.path("players").forEach(p -> names.add(p.asText()));
                    String online = ProgressRenderer.text(service.path("players_online"), "?");
                    String max = ProgressRenderer.text(service.path("players_max"), "?");
                    fields.add(new Card.Field(texts.get("status.players"), names.isEmpty()
                            ? texts.get("status.players_count", online, max)
                            : texts.get("status.players_named", online, max, String.join(", ", names)), false));
                    String motd = ProgressRenderer.text(service.path("motd"), null);
                    if (motd != null && !motd.isBlank()) {
                        fields.add(new Card.Field(texts.get("status.motd"), motd, false));
                    }
                }
            }
        }
        // v1.1 cmd/idle: the state carries the setting for hosts with idle shutdown
        JsonNode idle = state == null ? null : state.path("idle");
        if (idle != null && idle.isObject()) {
            fields.add(new Card.Field(texts.get("status.idle"), IdleCards.setting(texts, idle), true));
        }
        // v1.1 schedules, from bridge/info: Discord shows the time in each reader's own zone
        for (String action : List.of("wake", "shutdown")) {
            Instant at = host.nextScheduled(action);
            if (at != null) {
                fields.add(new Card.Field(texts.get("status.next_" + action),
                        "<t:" + at.getEpochSecond() + ":f> (<t:" + at.getEpochSecond() + ":R>)", true));
            }
        }
        Card.Field workersField = WorkersField.of(texts, workers);
        if (workersField != null) {
            fields.add(workersField);
        }
        if (!workerOnline) {
            lines.add(texts.get(workersField == null ? "status.worker_offline" : "status.workers_offline"));
        }
        List<Card.Action> buttons = new ArrayList<>();
        if (host.can("wake")) {
            buttons.add(new Card.Action("start:" + host.id() + ":" + userId, texts.get("button.start"), Card.Style.SUCCESS));
        }
        if (host.can("shutdown")) {
            buttons.add(new Card.Action("stop:" + host.id() + ":" + userId, texts.get("button.stop"), Card.Style.DANGER));
        }
        buttons.add(new Card.Action("refresh:" + host.id() + ":" + userId, texts.get("button.refresh"), Card.Style.SECONDARY));
        return new Card(title, lines, tone, fields, buttons, null);
    }
}
