package dev.cubeguardian.discord;

import com.fasterxml.jackson.databind.JsonNode;

/** The bot's activity line: the main host's state and player count (pure). */
public final class PresenceText {

    private PresenceText() {
    }

    public static String of(Texts texts, String hostName, JsonNode state, boolean workerOnline) {
        if (!workerOnline) {
            return texts.get("presence.worker_offline");
        }
        if (state == null) {
            return texts.get("presence.no_state", hostName);
        }
        String name = state.path("state").asText("unknown");
        JsonNode service = state.path("service");
        if (name.equals("online") && service.path("reachable").asBoolean(false) && service.path("players_online").isNumber()) {
            return texts.get("presence.online_players", hostName, service.path("players_online").asInt(),
                    ProgressRenderer.text(service.path("players_max"), "?"));
        }
        return texts.get("presence.state", hostName, StatusRenderer.stateName(texts, name));
    }
}
