package dev.cubeguardian.homeassistant;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.config.HostConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Home Assistant is told about one host: a device-based discovery message on
 * {@code <prefix>/device/<object_id>/config} (see docs/home-assistant.md). Pure: no MQTT here.
 *
 * <p>Keys follow the MQTT integration's documentation: the structural keys of device-based
 * discovery in their documented abbreviations ({@code dev}, {@code o}, {@code cmps}, {@code p}),
 * every other option under its full documented name.
 */
public final class DiscoveryConfig {

    /** Every value {@code <base>/<host>/state} can carry in {@code state} (docs/mqtt-api.md). */
    public static final List<String> STATES = List.of("off", "waking", "starting", "online", "stopping", "unreachable", "unknown");
    /** What a button press publishes: a valid command payload (docs/mqtt-api.md), logged by the worker. */
    public static final String PAYLOAD_PRESS = "{\"requested_by\":\"homeassistant\"}";
    static final String ORIGIN_NAME = "CubeGuardian";

    private static final Pattern NOT_ID = Pattern.compile("[^A-Za-z0-9_-]");

    private final String prefix;
    private final String baseTopic;
    private final String version;
    private final String supportUrl;
    private final String node;
    private final Pattern wakeTopic;

    public DiscoveryConfig(String prefix, String baseTopic, String version, String supportUrl) {
        this.prefix = prefix;
        this.baseTopic = baseTopic;
        this.version = version;
        this.supportUrl = supportUrl;
        // HA's object ids are [a-zA-Z0-9_-]; the base topic keeps ids apart when workers share a broker
        this.node = NOT_ID.matcher(baseTopic).replaceAll("_");
        this.wakeTopic = Pattern.compile(Pattern.quote(baseTopic + "/") + "([a-z0-9][a-z0-9_-]{0,62})" + Pattern.quote("/cmd/wake"));
    }

    /** {@code <base topic made id-safe>_<host>}: the discovery topic's object id, device identifier and unique_id prefix. */
    public String objectId(String hostId) {
        return node + "_" + hostId;
    }

    public String topic(String hostId) {
        return prefix + "/device/" + objectId(hostId) + "/config";
    }

    /** Topic filter that matches every device-based discovery config, ours and others'. */
    public String topicFilter() {
        return prefix + "/device/+/config";
    }

    public String statusTopic() {
        return prefix + "/status";
    }

    public Map<String, Object> payload(HostConfig host) {
        String id = objectId(host.id());
        String stateTopic = baseTopic + "/" + host.id() + "/state";
        boolean minecraft = host.minecraft().isPresent();

        Map<String, Object> device = new LinkedHashMap<>();
        device.put("identifiers", List.of(id));
        device.put("name", host.displayName());
        device.put("manufacturer", ORIGIN_NAME);
        device.put("model", minecraft ? "Host with Minecraft server" : "Host");
        device.put("sw_version", version);

        Map<String, Object> origin = new LinkedHashMap<>();
        origin.put("name", ORIGIN_NAME);
        origin.put("sw_version", version);
        if (supportUrl != null) {
            origin.put("support_url", supportUrl);
        }

        Map<String, Object> components = new LinkedHashMap<>();
        components.put("wake", button(id + "_wake", "Wake", "mdi:power", baseTopic + "/" + host.id() + "/cmd/wake"));
        if (host.ssh().isPresent()) {
            components.put("shutdown", button(id + "_shutdown", "Shut down", "mdi:power-off",
                    baseTopic + "/" + host.id() + "/cmd/shutdown"));
        }
        Map<String, Object> power = component("binary_sensor", id + "_power", "Power");
        power.put("device_class", "power");
        power.put("state_topic", stateTopic);
        // the confirmed state, not the latest single probe: one lost ping does not flip it
        power.put("value_template", "{{ 'ON' if value_json.state in ['starting', 'online', 'stopping'] else 'OFF' }}");
        components.put("power", power);

        Map<String, Object> state = component("sensor", id + "_state", "State");
        state.put("device_class", "enum");
        state.put("options", STATES);
        state.put("icon", "mdi:server");
        state.put("state_topic", stateTopic);
        state.put("value_template", "{{ value_json.state }}");
        state.put("json_attributes_topic", stateTopic);
        state.put("json_attributes_template", "{{ {'since': value_json.since} | tojson }}");
        components.put("state", state);

        if (minecraft) {
            Map<String, Object> players = component("sensor", id + "_players_online", "Players online");
            players.put("state_class", "measurement");
            players.put("icon", "mdi:account-multiple");
            players.put("state_topic", stateTopic);
            // a server that does not answer has nobody on it
            players.put("value_template", "{{ value_json.service.players_online"
                    + " if value_json.service and value_json.service.players_online is not none else 0 }}");
            players.put("json_attributes_topic", stateTopic);
            players.put("json_attributes_template", "{{ {'players': value_json.service.players if value_json.service else [],"
                    + " 'players_max': value_json.service.players_max if value_json.service else none,"
                    + " 'motd': value_json.service.motd if value_json.service else none} | tojson }}");
            components.put("players_online", players);

            Map<String, Object> serverVersion = component("sensor", id + "_version", "Server version");
            serverVersion.put("entity_category", "diagnostic");
            serverVersion.put("icon", "mdi:minecraft");
            serverVersion.put("state_topic", stateTopic);
            // keeps the last version seen while the server is down
            serverVersion.put("value_template", "{{ value_json.service.version"
                    + " if value_json.service and value_json.service.version else states(entity_id) }}");
            components.put("version", serverVersion);
        }

        Map<String, Object> availability = new LinkedHashMap<>();
        availability.put("topic", baseTopic + "/bridge/state");
        availability.put("payload_available", "online");
        availability.put("payload_not_available", "offline");

        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("dev", device);
        payload.put("o", origin);
        payload.put("availability", List.of(availability));
        payload.put("qos", 1);
        payload.put("cmps", components);
        return payload;
    }

    /**
     * The host a retained discovery config on {@code topic} was published for by a worker with
     * this base topic, recognised by its Wake button's command topic; empty for anybody else's.
     */
    public Optional<String> publishedHost(String topic, JsonNode payload) {
        if (payload == null || !mightBeOurs(topic)) {
            return Optional.empty();
        }
        JsonNode wake = payload.path("cmps").path("wake");
        String commandTopic = wake.path("command_topic").asText(wake.path("cmd_t").asText(""));
        Matcher matcher = wakeTopic.matcher(commandTopic);
        if (!matcher.matches() || !topic.equals(topic(matcher.group(1)))) {
            return Optional.empty();
        }
        return Optional.of(matcher.group(1));
    }

    /** Cheap test before parsing: the topic has this worker's object id prefix. */
    public boolean mightBeOurs(String topic) {
        return topic != null && topic.startsWith(prefix + "/device/" + node + "_") && topic.endsWith("/config");
    }

    private static Map<String, Object> button(String uniqueId, String name, String icon, String commandTopic) {
        Map<String, Object> button = component("button", uniqueId, name);
        button.put("icon", icon);
        button.put("command_topic", commandTopic);
        button.put("payload_press", PAYLOAD_PRESS);
        return button;
    }

    private static Map<String, Object> component(String platform, String uniqueId, String name) {
        Map<String, Object> component = new LinkedHashMap<>();
        component.put("p", platform);
        component.put("unique_id", uniqueId);
        component.put("name", name);
        return component;
    }
}
