package dev.cubeguardian.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cubeguardian.config.GatewaySettings;
import dev.cubeguardian.probe.ChatText;
import dev.cubeguardian.probe.LegacyResponse;
import dev.cubeguardian.probe.ServiceStatus;
import dev.cubeguardian.state.GatewayView;
import dev.cubeguardian.state.HostState;

/**
 * The server list entry the gateway shows while the real server is not online: the sleeping
 * or starting text, nobody online out of the last seen maximum, the real server's icon and
 * version name, and the client's own protocol number so no "outdated" warning appears.
 */
final class SleepingAnswers {

    /** Shown before the real server was ever seen; the client only shows it on a version mismatch. */
    static final String UNKNOWN_VERSION = "CubeGuardian";
    // 1.6's legacy list reads the protocol as a number; 127 is what modern servers answer with.
    private static final int LEGACY_PROTOCOL = 127;

    private final GatewaySettings settings;
    private final GatewayTexts texts;
    private final ObjectMapper json;

    SleepingAnswers(GatewaySettings settings, GatewayTexts texts, ObjectMapper json) {
        this.settings = settings;
        this.texts = texts;
        this.json = json;
    }

    String motd(HostState state) {
        if (state == HostState.WAKING || state == HostState.STARTING) {
            return settings.motdStarting() != null ? settings.motdStarting() : texts.text("motd.starting");
        }
        if (state == HostState.STOPPING) {
            return texts.text("motd.stopping");
        }
        return settings.motdSleeping() != null ? settings.motdSleeping() : texts.text("motd.sleeping");
    }

    String statusJson(GatewayView view, HostState shownState, int clientProtocol) {
        ServiceStatus seen = view.lastAnswer();
        ObjectNode root = json.createObjectNode();
        ObjectNode version = root.putObject("version");
        version.put("name", seen != null && seen.version() != null ? seen.version() : UNKNOWN_VERSION);
        version.put("protocol", clientProtocol);
        ObjectNode players = root.putObject("players");
        players.put("max", seen != null && seen.playersMax() != null ? seen.playersMax() : 0);
        players.put("online", 0);
        players.putArray("sample");
        root.set("description", component(motd(shownState)));
        if (seen != null && seen.favicon() != null) {
            root.put("favicon", seen.favicon());
        }
        return write(root);
    }

    /** The 0xFF answer to a legacy ping; {@code modern} for 1.4 to 1.6 clients, which sent 0xFE 0x01. */
    String legacyText(GatewayView view, HostState shownState, boolean modern) {
        ServiceStatus seen = view.lastAnswer();
        LegacyResponse response = new LegacyResponse(LEGACY_PROTOCOL,
                seen != null && seen.version() != null ? seen.version() : UNKNOWN_VERSION,
                ChatText.toPlainText(component(motd(shownState))), 0,
                seen != null && seen.playersMax() != null ? seen.playersMax() : 0);
        return modern ? response.toKickText() : response.toPre14KickText();
    }

    /** A login disconnect reason: a JSON text component, the format of every version since 1.7. */
    String disconnectJson(String text) {
        ObjectNode component = json.createObjectNode();
        component.put("text", text);
        return write(component);
    }

    /** A MOTD as configured: a JSON text component is used as it is, plain text becomes {"text": ...}. */
    private JsonNode component(String motd) {
        String trimmed = motd.strip();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                return json.readTree(trimmed);
            } catch (JsonProcessingException e) {
                // checked when the inventory was read; plain text is the safe fallback
            }
        }
        ObjectNode text = json.createObjectNode();
        text.put("text", motd);
        return text;
    }

    private String write(ObjectNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }
}
