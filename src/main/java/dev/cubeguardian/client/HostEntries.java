package dev.cubeguardian.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code hosts} of one {@code bridge/info} (v1 or a worker's), checked before a client shows
 * them: anyone who may publish there could lie. Keeps only hosts with a valid id, each once, at
 * most {@link #MAX_HOSTS}; names are cleaned of control characters (a terminal would run them)
 * and cut; capabilities and service must look like the API's words.
 */
public final class HostEntries {

    /** The API's host id (mqtt-api.md): the only ids a command can be sent to. */
    public static final Pattern HOST_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    /** Per info: far above a homelab, far below what would slow an autocomplete down. */
    public static final int MAX_HOSTS = 1_000;
    static final int MAX_NAME = 100;
    static final int MAX_CAPABILITIES = 16;
    private static final Pattern WORD = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    /**
     * Control characters (a terminal runs ESC sequences) and the bidi controls that reorder what
     * follows; not all format characters, since emoji sequences need the zero-width joiner.
     */
    private static final Pattern UNPRINTABLE = Pattern.compile("[\\p{Cc}\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]");

    private HostEntries() {
    }

    /** The valid hosts of {@code info.hosts}, in its order, cleaned copies. */
    public static List<ObjectNode> of(JsonNode info) {
        List<ObjectNode> kept = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode host : info.path("hosts")) {
            if (kept.size() >= MAX_HOSTS) {
                break;
            }
            ObjectNode clean = clean(host);
            if (clean != null && ids.add(clean.get("id").asText())) {
                kept.add(clean);
            }
        }
        return List.copyOf(kept);
    }

    /** A cleaned copy, or null when the entry has no valid host id. */
    static ObjectNode clean(JsonNode host) {
        if (!host.isObject() || !host.path("id").isTextual()) {
            return null;
        }
        String id = host.get("id").asText();
        // "bridge" is the bridge topics' level: a host with that id could have no state of its own
        if (!HOST_ID.matcher(id).matches() || id.equals("bridge")) {
            return null;
        }
        ObjectNode copy = ((ObjectNode) host).deepCopy();
        copy.put("name", name(host.path("name"), id));
        ArrayNode capabilities = JsonNodeFactory.instance.arrayNode();
        Set<String> seen = new LinkedHashSet<>();
        for (JsonNode capability : host.path("capabilities")) {
            if (capability.isTextual() && WORD.matcher(capability.asText()).matches() && seen.size() < MAX_CAPABILITIES
                    && seen.add(capability.asText())) {
                capabilities.add(capability.asText());
            }
        }
        copy.set("capabilities", capabilities);
        JsonNode service = host.path("service");
        if (service.isTextual() && WORD.matcher(service.asText()).matches()) {
            copy.put("service", service.asText());
        } else {
            copy.putNull("service");
        }
        return copy;
    }

    /** The display name without what a terminal or Discord would interpret, at most {@link #MAX_NAME} characters. */
    static String name(JsonNode name, String id) {
        if (!name.isTextual()) {
            return id;
        }
        String clean = UNPRINTABLE.matcher(name.asText()).replaceAll("").strip();
        if (clean.codePointCount(0, clean.length()) > MAX_NAME) {
            clean = clean.substring(0, clean.offsetByCodePoints(0, MAX_NAME - 1)) + "…";
        }
        return clean.isEmpty() ? id : clean;
    }
}
