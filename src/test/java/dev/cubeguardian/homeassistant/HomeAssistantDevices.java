package dev.cubeguardian.homeassistant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Home Assistant holds after a sequence of device discovery messages, the way
 * home-assistant/core homeassistant/components/mqtt/discovery.py processes them: a device config
 * is split into its components, each keyed by {@code (platform, "<object_id> <component id>")};
 * a component whose config is empty once the platform is taken out is removed, a component left
 * out of the config is not touched; an empty message removes every component of the device
 * ({@code _generate_device_config}). Only the bookkeeping: validity is {@link HomeAssistantRules}.
 */
public final class HomeAssistantDevices {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEVICE_TOPIC = Pattern.compile("[^/]+(?:/[^/]+)*/device/([a-zA-Z0-9_-]+)/config");

    /** Component config by {@code "<platform> <object_id> <component id>"}. */
    private final Map<String, JsonNode> entities = new TreeMap<>();

    public void receive(String topic, byte[] payload) {
        Matcher matcher = DEVICE_TOPIC.matcher(topic);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(topic + " is not a device discovery topic");
        }
        String objectId = matcher.group(1);
        if (payload.length == 0) {
            entities.keySet().removeIf(key -> key.split(" ")[1].equals(objectId));
            return;
        }
        JsonNode config;
        try {
            config = JSON.readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = config.path("cmps").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> component = it.next();
            String platform = component.getValue().path("p").asText(component.getValue().path("platform").asText());
            String key = platform + " " + objectId + " " + component.getKey();
            if (component.getValue().size() == 1) {
                entities.remove(key);
            } else {
                entities.put(key, component.getValue());
            }
        }
    }

    public void receive(String topic, JsonNode payload) {
        try {
            receive(topic, JSON.writeValueAsBytes(payload));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The component ids HA has for the device with this object id. */
    public java.util.Set<String> components(String objectId) {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        entities.keySet().forEach(key -> {
            String[] parts = key.split(" ");
            if (parts[1].equals(objectId)) {
                ids.add(parts[2]);
            }
        });
        return ids;
    }

    /** Every unique_id HA holds, with how many entities claim it (HA refuses all but the first). */
    public Map<String, Integer> uniqueIds() {
        Map<String, Integer> ids = new TreeMap<>();
        entities.values().forEach(c -> ids.merge(c.path("unique_id").asText(c.path("uniq_id").asText()), 1, Integer::sum));
        return ids;
    }
}
