package dev.cubeguardian.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cubeguardian.state.HostLifecycle;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.camel.Exchange;

/**
 * The share group's standbys read the active member's host states (route {@code group-witness},
 * live and retained) for two things a takeover must not lose:
 * <ul>
 * <li>the idle setting: a {@code cmd/idle} reaches the active member only, so the member that
 * takes over keeps idle shutdown off where a user turned it off (a standby started after the
 * command gets it too: the state is retained);</li>
 * <li>where each host is, which closes the wakes, shutdowns and reboots of {@link PeerWork}
 * the host has finished.</li>
 * </ul>
 */
public final class HostStateWitness {

    /** A state message is a few hundred bytes; anything far larger is not one of ours. */
    static final int MAX_STATE_BYTES = 64 << 10;

    private final String baseTopic;
    private final HostLifecycle lifecycle;
    private final ObjectMapper json;
    private final PeerWork peerWork;

    public HostStateWitness(String baseTopic, HostLifecycle lifecycle, ObjectMapper json, PeerWork peerWork) {
        this.baseTopic = baseTopic;
        this.lifecycle = lifecycle;
        this.json = json;
        this.peerWork = peerWork;
    }

    /** Route group-witness: a host's state, live or retained. */
    public void accept(Exchange exchange) {
        String topic = exchange.getMessage().getHeader("CamelMqttTopic", String.class);
        byte[] payload = exchange.getMessage().getBody(byte[].class);
        if (topic == null || !topic.startsWith(baseTopic + "/") || !topic.endsWith("/state")) {
            return;
        }
        String host = topic.substring(baseTopic.length() + 1, topic.length() - "/state".length());
        learn(host, payload);
    }

    void learn(String host, byte[] payload) {
        if (host.contains("/") || payload == null || payload.length == 0 || payload.length > MAX_STATE_BYTES) {
            return;
        }
        JsonNode state;
        try {
            state = json.readTree(payload);
        } catch (java.io.IOException notJson) {
            return;
        }
        if (state == null || !state.path("v").isInt() || state.path("v").asInt() != 1 || !host.equals(state.path("host").asText(null))) {
            return;
        }
        if (state.path("state").isTextual() && state.path("since").isTextual()) {
            try {
                peerWork.stateSeen(host, state.path("state").asText(), Instant.parse(state.path("since").asText()));
            } catch (DateTimeParseException notATime) {
                // not one of ours: nothing closed
            }
        }
        JsonNode idle = state.path("idle");
        if (!idle.path("enabled").isBoolean()) {
            return;
        }
        Instant until = null;
        if (idle.path("until").isTextual()) {
            try {
                until = Instant.parse(idle.path("until").asText());
            } catch (DateTimeParseException notATime) {
                return;
            }
        } else if (!idle.path("until").isMissingNode() && !idle.path("until").isNull()) {
            return;
        }
        lifecycle.learnIdle(host, idle.path("enabled").asBoolean(), until);
    }
}
