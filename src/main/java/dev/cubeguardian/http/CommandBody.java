package dev.cubeguardian.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The MQTT payload for a request body. The body goes to the broker as it came, so the worker
 * parses it with the same rules as any MQTT command; the only change is an id when the body is
 * empty or a JSON object without one: the client then learns the id even when the wait ends in
 * 504, and can retry with it. The id is inserted as text after the opening brace, so every other
 * byte stays as sent; a body that is not a JSON object is not touched (the worker answers it).
 *
 * @param payload the bytes to publish
 * @param id      the id the command carries when the API knows it, else null
 */
record CommandBody(byte[] payload, String id) {

    /** The worker refuses payloads over this size; an inserted id must not push a body over it. */
    static final int MQTT_PAYLOAD_LIMIT = 4096;

    static CommandBody of(byte[] body, ObjectMapper json) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            String id = newId();
            return new CommandBody(("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8), id);
        }
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (java.io.IOException notJson) {
            return new CommandBody(body, null);
        }
        if (tree == null || !tree.isObject()) {
            return new CommandBody(body, null);
        }
        JsonNode given = tree.get("id");
        if (given != null) {
            return new CommandBody(body, given.isTextual() ? given.asText() : null);
        }
        String id = newId();
        String field = "\"id\":\"" + id + "\"";
        int brace = text.indexOf('{');
        String rest = text.substring(brace + 1);
        String inserted = text.substring(0, brace + 1) + field + (rest.strip().startsWith("}") ? "" : ",") + rest;
        byte[] payload = inserted.getBytes(StandardCharsets.UTF_8);
        if (payload.length > MQTT_PAYLOAD_LIMIT && body.length <= MQTT_PAYLOAD_LIMIT) {
            return new CommandBody(body, null);
        }
        return new CommandBody(payload, id);
    }

    private static String newId() {
        return "http-" + UUID.randomUUID();
    }
}
