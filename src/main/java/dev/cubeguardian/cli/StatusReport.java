package dev.cubeguardian.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Formats the announced hosts (the {@code hosts} of {@code bridge/info}, or their union over
 * several workers' infos) and the retained host states as a table, or one host's details.
 */
final class StatusReport {

    private static final List<String> COLUMNS = List.of("host", "name", "state", "since", "players", "version");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    /** Scheduled times are whole minutes. */
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    /** The scheduled actions the status shows, from bridge/info's next_schedule (v1.1). */
    private static final List<String> SCHEDULED = List.of("wake", "shutdown");
    private static final String NONE = "-";
    /** The host states of the MQTT API (mqtt-api.md). */
    static final Set<String> STATES = Set.of("off", "waking", "starting", "online", "stopping", "unreachable", "unknown");

    private StatusReport() {
    }

    /** One row per host of {@code bridge/info}, in its order; {@code states} maps host id to its retained state (may lack some). */
    static List<String> table(JsonNode info, Map<String, JsonNode> states, ZoneId zone, CliTexts texts) {
        // a worker with schedules (v1.1): one more column, the soonest scheduled wake or shutdown
        boolean schedules = false;
        for (JsonNode host : info.path("hosts")) {
            schedules |= host.path("next_schedule").isArray();
        }
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(COLUMNS.stream().map(c -> texts.get("status." + c)).toList());
        if (schedules) {
            header.add(texts.get("status.scheduled"));
        }
        rows.add(header);
        for (JsonNode host : info.path("hosts")) {
            String id = host.path("id").asText();
            JsonNode state = states.get(id);
            List<String> row = new ArrayList<>(List.of(id, host.path("name").asText(id), stateOf(state, texts),
                    state == null ? NONE : localTime(state.path("since").asText(null), zone),
                    players(state), version(state)));
            if (schedules) {
                row.add(soonest(host, zone, texts));
            }
            rows.add(row);
        }
        return columns(rows);
    }

    /** Left-aligned columns two spaces apart, no trailing blanks. */
    static List<String> columns(List<List<String>> rows) {
        int[] widths = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                if (i > 0) {
                    line.append("  ");
                }
                line.append(row.get(i));
                if (i < row.size() - 1) {
                    line.append(" ".repeat(widths[i] - row.get(i).length()));
                }
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    /** The details of one host: {@code host} is its entry in {@code bridge/info}, {@code state} its retained state or null. */
    static List<String> details(JsonNode host, JsonNode state, ZoneId zone, CliTexts texts) {
        return details(host, state, null, zone, texts);
    }

    /** The same, with a last Workers row when {@code owners} (the workers that announce it, v1.1) is not null. */
    static List<String> details(JsonNode host, JsonNode state, String owners, ZoneId zone, CliTexts texts) {
        String id = host.path("id").asText();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of(texts.get("detail.host"), id));
        rows.add(List.of(texts.get("detail.name"), host.path("name").asText(id)));
        rows.add(List.of(texts.get("detail.state"), state == null ? texts.get("detail.no_state")
                : texts.get("detail.state_since", stateOf(state, texts), localTime(state.path("since").asText(null), zone))));
        if (state != null) {
            rows.add(List.of(texts.get("detail.updated"), localTime(state.path("updated").asText(null), zone)));
            rows.add(List.of(texts.get("detail.reachable"), !state.path("host_reachable").asBoolean() ? texts.get("detail.no")
                    : state.hasNonNull("host_latency_ms") ? texts.get("detail.yes_latency", state.get("host_latency_ms").asText())
                    : texts.get("detail.yes")));
        }
        String serviceKind = host.hasNonNull("service") ? host.get("service").asText() : null;
        JsonNode service = state == null ? null : state.get("service");
        if (serviceKind == null) {
            rows.add(List.of(texts.get("detail.service"), texts.get("detail.no_service")));
        } else if (service == null || service.isNull()) {
            rows.add(List.of(texts.get("detail.service"), serviceKind));
        } else {
            rows.add(List.of(texts.get("detail.service"), texts.get(service.path("reachable").asBoolean()
                    ? "detail.service_reachable" : "detail.service_unreachable", serviceKind)));
            rows.add(List.of(texts.get("detail.version"), version(state)));
            rows.add(List.of(texts.get("detail.players"), players(state) + names(service.path("players"))));
            if (service.hasNonNull("motd")) {
                rows.add(List.of(texts.get("detail.motd"), service.get("motd").asText()));
            }
        }
        JsonNode idle = state == null ? null : state.get("idle");
        if (idle != null && idle.isObject()) {
            // v1.1: the idle shutdown switch (cmd/idle); until is when it turns itself back on
            OffsetDateTime until = idle.path("until").isTextual() ? time(idle.get("until").asText()) : null;
            rows.add(List.of(texts.get("detail.idle"), idle.path("enabled").asBoolean(true) ? texts.get("detail.idle_on")
                    : until == null ? texts.get("detail.idle_off")
                    : texts.get("detail.idle_off_until", MINUTE.format(until.atZoneSameInstant(zone)))));
        }
        if (host.path("next_schedule").isArray()) {
            for (String action : SCHEDULED) {
                OffsetDateTime at = nextScheduled(host, action);
                rows.add(List.of(texts.get("detail.next_" + action), at == null ? NONE : MINUTE.format(at.atZoneSameInstant(zone))));
            }
        }
        List<String> capabilities = new ArrayList<>();
        host.path("capabilities").forEach(c -> capabilities.add(c.asText()));
        rows.add(List.of(texts.get("detail.actions"), capabilities.isEmpty() ? NONE : String.join(", ", capabilities)));
        if (owners != null) {
            rows.add(List.of(texts.get("detail.workers"), owners));
        }
        return columns(rows);
    }

    /** The soonest scheduled wake or shutdown of a host: "wake 2026-12-04 18:00", or "-". */
    private static String soonest(JsonNode host, ZoneId zone, CliTexts texts) {
        String action = null;
        OffsetDateTime soonest = null;
        for (String candidate : SCHEDULED) {
            OffsetDateTime at = nextScheduled(host, candidate);
            if (at != null && (soonest == null || at.isBefore(soonest))) {
                action = candidate;
                soonest = at;
            }
        }
        return soonest == null ? NONE : texts.get("scheduled." + action, MINUTE.format(soonest.atZoneSameInstant(zone)));
    }

    /** The soonest time among a host's next_schedule entries with this action; null when it has none (or none readable). */
    static OffsetDateTime nextScheduled(JsonNode host, String action) {
        OffsetDateTime soonest = null;
        for (JsonNode entry : host.path("next_schedule")) {
            if (action.equals(entry.path("action").asText()) && entry.path("at").isTextual()) {
                try {
                    OffsetDateTime at = OffsetDateTime.parse(entry.get("at").asText());
                    soonest = soonest == null || at.isBefore(soonest) ? at : soonest;
                } catch (DateTimeParseException notATime) {
                    // a newer worker's format this client cannot read: shown as not known
                }
            }
        }
        return soonest;
    }

    /** A timestamp of the worker's, or null when this client cannot read it (a newer worker's format). */
    private static OffsetDateTime time(String text) {
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException notATime) {
            return null;
        }
    }

    private static String names(JsonNode players) {
        List<String> names = new ArrayList<>();
        players.forEach(p -> names.add(p.asText()));
        return names.isEmpty() ? "" : " (" + String.join(", ", names) + ")";
    }

    /** The state in the user's language; a state newer than this client is shown as the API names it. */
    private static String stateOf(JsonNode state, CliTexts texts) {
        String name = state == null ? "unknown" : state.path("state").asText("unknown");
        return STATES.contains(name) ? texts.get("state." + name) : name;
    }

    static String players(JsonNode state) {
        JsonNode service = state == null ? null : state.get("service");
        if (service == null || !service.hasNonNull("players_online")) {
            return NONE;
        }
        return service.get("players_online").asText()
                + (service.hasNonNull("players_max") ? "/" + service.get("players_max").asText() : "");
    }

    static String version(JsonNode state) {
        JsonNode service = state == null ? null : state.get("service");
        return service == null || !service.hasNonNull("version") ? NONE : service.get("version").asText();
    }

    static String localTime(String timestamp, ZoneId zone) {
        if (timestamp == null) {
            return NONE;
        }
        try {
            return LOCAL.format(Instant.parse(timestamp).atZone(zone));
        } catch (DateTimeParseException notATime) {
            return timestamp;
        }
    }
}
