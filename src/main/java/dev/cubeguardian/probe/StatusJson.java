package dev.cubeguardian.probe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** Reads the JSON of a modern Status Response into a {@link ServiceStatus}. */
public final class StatusJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StatusJson() {
    }

    /** @throws MalformedPacketException not JSON, or not a JSON object */
    public static ServiceStatus parse(String json, Long latencyMs) throws MalformedPacketException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedPacketException("status response is not valid JSON", e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedPacketException("status response is not a JSON object");
        }
        JsonNode version = root.path("version");
        JsonNode players = root.path("players");
        return new ServiceStatus(true,
                text(version.path("name")),
                integer(players.path("online")),
                integer(players.path("max")),
                sampleNames(players.path("sample")),
                ChatText.toPlainText(root.get("description")),
                latencyMs,
                ServiceStatus.SLP,
                root.path("favicon").isTextual() ? root.get("favicon").asText() : null);
    }

    private static String text(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? ChatText.stripFormatting(node.asText()) : null;
    }

    private static Integer integer(JsonNode node) {
        return node.isIntegralNumber() && node.canConvertToInt() ? node.intValue() : null;
    }

    // Servers also use the sample for hover text lines; those carry formatting we strip too.
    private static List<String> sampleNames(JsonNode sample) {
        List<String> names = new ArrayList<>();
        if (sample.isArray()) {
            for (JsonNode entry : sample) {
                String name = text(entry.path("name"));
                if (name != null) {
                    names.add(name);
                }
            }
        }
        return names;
    }
}
