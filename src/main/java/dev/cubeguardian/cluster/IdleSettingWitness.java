package dev.cubeguardian.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cubeguardian.state.HostLifecycle;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.camel.Exchange;

/**
 * A {@code cmd/idle} reaches one member of a share group, the active one. The others read the
 * setting from its retained state messages (route {@code group-witness}), so the member that
 * takes over keeps idle shutdown off where a user turned it off. A standby started after the
 * command gets it too: the state is retained.
 */
public final class IdleSettingWitness {

    /** A state message is a few hundred bytes; anything far larger is not one of ours. */
    static final int MAX_STATE_BYTES = 64 << 10;

    private final String baseTopic;
    private final HostLifecycle lifecycle;
    private final ObjectMapper json;

    public IdleSettingWitness(String baseTopic, HostLifecycle lifecycle, ObjectMapper json) {
        this.baseTopic = baseTopic;
        this.lifecycle = lifecycle;
        this.json = json;
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
        JsonNode idle = state == null ? null : state.path("idle");
        if (idle == null || !state.path("v").isInt() || state.path("v").asInt() != 1 || !host.equals(state.path("host").asText(null))
                || !idle.path("enabled").isBoolean()) {
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
