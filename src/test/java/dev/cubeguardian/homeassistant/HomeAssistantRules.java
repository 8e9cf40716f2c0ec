package dev.cubeguardian.homeassistant;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Home Assistant's rules for device-based MQTT discovery, written down from the documentation
 * (home-assistant/home-assistant.io, source/_integrations/):
 * <ul>
 * <li>mqtt.markdown, "Device discovery payload", "Discovery topic", "Supported abbreviations"
 * (and the device registry and origin abbreviation lists), "Using Availability topics";</li>
 * <li>button.mqtt.markdown, binary_sensor.mqtt.markdown, sensor.mqtt.markdown, switch.mqtt.markdown:
 * the configuration variables, their required flags and constraints;</li>
 * <li>binary_sensor.markdown: the binary sensor device classes; button.markdown: the button
 * device classes ({@code identify}, {@code restart}, {@code update});</li>
 * </ul>
 * and from its code (home-assistant/core, homeassistant/components/mqtt/):
 * <ul>
 * <li>discovery.py: a component that is only {@code {"p": ...}} is a removal
 * ({@code _parse_device_payload}, "If the dict is empty after removing the platform");</li>
 * <li>schemas.py: {@code DEVICE_DISCOVERY_SCHEMA}, {@code COMPONENT_CONFIG_SCHEMA},
 * {@code MQTT_ORIGIN_INFO_SCHEMA} ({@code support_url}: {@code cv.configuration_url}) and
 * {@code SHARED_OPTIONS}, the root options a component inherits;</li>
 * <li>config.py: {@code SCHEMA_BASE}, every component's own {@code qos}, default 0;</li>
 * <li>sensor.py, switch.py: a template result of {@code None} (const.py {@code PAYLOAD_NONE})
 * means unknown; a switch's state is {@code state_on}/{@code state_off}, else
 * {@code payload_on}/{@code payload_off}; a sensor's state is restored at HA's start only with
 * {@code expire_after}.</li>
 * </ul>
 * A payload is checked after expanding abbreviations; every key must be a documented one.
 */
final class HomeAssistantRules {

    /** Documented abbreviations (mqtt.markdown), the subset relevant to the three platforms used here. */
    static final Map<String, String> ABBREVIATIONS = Map.ofEntries(
            Map.entry("avty", "availability"), Map.entry("avty_mode", "availability_mode"),
            Map.entry("avty_t", "availability_topic"), Map.entry("avty_tpl", "availability_template"),
            Map.entry("cmd_t", "command_topic"), Map.entry("cmd_tpl", "command_template"),
            Map.entry("cmps", "components"), Map.entry("dev", "device"), Map.entry("dev_cla", "device_class"),
            Map.entry("e", "encoding"), Map.entry("en", "enabled_by_default"), Map.entry("ent_cat", "entity_category"),
            Map.entry("ent_pic", "entity_picture"), Map.entry("exp_aft", "expire_after"), Map.entry("frc_upd", "force_update"),
            Map.entry("ic", "icon"), Map.entry("json_attr_t", "json_attributes_topic"),
            Map.entry("json_attr_tpl", "json_attributes_template"), Map.entry("o", "origin"), Map.entry("obj_id", "object_id"),
            Map.entry("off_dly", "off_delay"), Map.entry("ops", "options"), Map.entry("opt", "optimistic"),
            Map.entry("p", "platform"), Map.entry("stat_on", "state_on"), Map.entry("stat_off", "state_off"),
            Map.entry("pl_avail", "payload_available"), Map.entry("pl_not_avail", "payload_not_available"),
            Map.entry("pl_off", "payload_off"), Map.entry("pl_on", "payload_on"), Map.entry("pl_prs", "payload_press"),
            Map.entry("ret", "retain"), Map.entry("stat_cla", "state_class"), Map.entry("stat_t", "state_topic"),
            Map.entry("sug_dsp_prc", "suggested_display_precision"), Map.entry("t", "topic"),
            Map.entry("uniq_id", "unique_id"), Map.entry("unit_of_meas", "unit_of_measurement"),
            Map.entry("val_tpl", "value_template"), Map.entry("lrst_val_tpl", "last_reset_value_template"));
    static final Map<String, String> DEVICE_ABBREVIATIONS = Map.of("cu", "configuration_url", "cns", "connections",
            "ids", "identifiers", "mf", "manufacturer", "mdl", "model", "mdl_id", "model_id", "hw", "hw_version",
            "sw", "sw_version", "sa", "suggested_area", "sn", "serial_number");
    static final Map<String, String> ORIGIN_ABBREVIATIONS = Map.of("sw", "sw_version", "url", "support_url");

    /** "Supported shared options" of a device discovery payload, plus the three mappings. */
    static final Set<String> ROOT = Set.of("device", "origin", "components", "availability", "availability_mode",
            "availability_template", "availability_topic", "payload_available", "payload_not_available",
            "command_topic", "state_topic", "qos", "encoding");
    static final Set<String> DEVICE = Set.of("configuration_url", "connections", "hw_version", "identifiers",
            "manufacturer", "model", "model_id", "name", "serial_number", "suggested_area", "sw_version", "via_device");
    static final Set<String> ORIGIN = Set.of("name", "sw_version", "support_url");
    static final Set<String> AVAILABILITY_ITEM = Set.of("payload_available", "payload_not_available", "topic", "value_template");

    /** Configuration variables every one of the three entity pages lists. */
    private static final Set<String> ENTITY_COMMON = Set.of("availability", "availability_mode", "availability_template",
            "availability_topic", "device", "device_class", "enabled_by_default", "encoding", "entity_category",
            "entity_picture", "icon", "json_attributes_template", "json_attributes_topic", "name", "object_id",
            "payload_available", "payload_not_available", "platform", "qos", "unique_id");
    static final Map<String, Set<String>> PLATFORM_KEYS = Map.of(
            "button", union(ENTITY_COMMON, Set.of("command_template", "command_topic", "payload_press", "retain")),
            "switch", union(ENTITY_COMMON, Set.of("command_template", "command_topic", "optimistic", "payload_off",
                    "payload_on", "retain", "state_off", "state_on", "state_topic", "value_template")),
            "binary_sensor", union(ENTITY_COMMON, Set.of("expire_after", "force_update", "off_delay", "payload_off",
                    "payload_on", "state_topic", "value_template")),
            "sensor", union(ENTITY_COMMON, Set.of("expire_after", "force_update", "last_reset_value_template", "options",
                    "suggested_display_precision", "state_class", "state_topic", "unit_of_measurement", "value_template")));
    /** Required: platform (device discovery), the platform's required topic, unique_id (required with device-based discovery). */
    static final Map<String, Set<String>> PLATFORM_REQUIRED = Map.of(
            "button", Set.of("platform", "unique_id", "command_topic"),
            "switch", Set.of("platform", "unique_id", "command_topic"),
            "binary_sensor", Set.of("platform", "unique_id", "state_topic"),
            "sensor", Set.of("platform", "unique_id", "state_topic"));
    static final Set<String> BINARY_SENSOR_CLASSES = Set.of("battery", "battery_charging", "carbon_monoxide", "cold",
            "connectivity", "door", "garage_door", "gas", "heat", "light", "lock", "moisture", "motion", "moving",
            "occupancy", "opening", "plug", "power", "presence", "problem", "running", "safety", "smoke", "sound",
            "tamper", "update", "vibration", "window");
    static final Set<String> BUTTON_CLASSES = Set.of("identify", "restart", "update");
    static final Set<String> ENTITY_CATEGORIES = Set.of("config", "diagnostic");
    static final Set<String> STATE_CLASSES = Set.of("measurement", "total", "total_increasing");
    static final Pattern DISCOVERY_ID = Pattern.compile("[a-zA-Z0-9_-]+");
    /**
     * schemas.py {@code SHARED_OPTIONS}: the root options a component without its own inherits
     * (discovery.py {@code _merge_common_device_options}). No {@code qos}: a root qos was not
     * passed on until home-assistant/core#170195 (issue #170166, reported on 2026.5.1).
     */
    static final Set<String> SHARED_OPTIONS = Set.of("availability", "availability_mode", "availability_template",
            "availability_topic", "command_topic", "payload_available", "payload_not_available", "state_topic");
    /** config.py {@code SCHEMA_BASE}: {@code vol.Optional(CONF_QOS, default=DEFAULT_QOS)}, const.py {@code DEFAULT_QOS = 0}. */
    static final int DEFAULT_QOS = 0;
    /** const.py {@code PAYLOAD_NONE}: a template rendering this leaves a sensor or switch unknown. */
    static final String PAYLOAD_NONE = "None";
    /** config_validation.py {@code CONFIGURATION_URL_PROTOCOL_SCHEMA_LIST} and voluptuous {@code Url()}: scheme and netloc. */
    private static final Pattern CONFIGURATION_URL = Pattern.compile("(?i)(https?|homeassistant)://[^/?#]+([/?#].*)?");

    /** The fields of a retained {@code <base>/<host>/state} message (docs/mqtt-api.md) a template may read. */
    static final Set<String> STATE_FIELDS = Set.of("v", "host", "state", "since", "updated", "host_reachable",
            "host_latency_ms", "service", "service.reachable", "service.version", "service.players_online",
            "service.players_max", "service.players", "service.motd", "service.latency_ms", "service.rcon", "last_version", "shutdown_at",
            "idle", "idle.enabled", "idle.until", "next_wake", "next_shutdown");
    private static final Pattern VALUE_JSON = Pattern.compile("value_json((?:\\.[a-z_]+)+)");

    private HomeAssistantRules() {
    }

    /**
     * Checks a device discovery message; returns the components it configures (not those it
     * removes with a bare platform) with keys expanded, by component id.
     */
    static Map<String, Map<String, JsonNode>> check(String topic, JsonNode payload, String prefix) {
        List<String> problems = new ArrayList<>();
        Matcher matcher = Pattern.compile(Pattern.quote(prefix) + "/device/([^/]+)/config").matcher(topic);
        if (!matcher.matches() || !DISCOVERY_ID.matcher(matcher.group(1)).matches()) {
            problems.add("topic " + topic + " is not <prefix>/device/<object_id>/config with object_id [a-zA-Z0-9_-]");
        }
        Map<String, JsonNode> root = expand(payload, ABBREVIATIONS, ROOT, "root", problems);
        for (String required : List.of("device", "origin", "components")) {
            if (!root.containsKey(required)) {
                problems.add("root: missing required " + required);
            }
        }
        Map<String, JsonNode> device = root.containsKey("device")
                ? expand(root.get("device"), DEVICE_ABBREVIATIONS, DEVICE, "device", problems) : Map.of();
        JsonNode ids = device.get("identifiers");
        if (ids == null || (ids.isArray() ? ids.isEmpty() : !ids.isTextual()) || (ids.isArray() && !ids.get(0).isTextual())) {
            problems.add("device: identifiers (or connections) must be present");
        }
        Map<String, JsonNode> origin = root.containsKey("origin")
                ? expand(root.get("origin"), ORIGIN_ABBREVIATIONS, ORIGIN, "origin", problems) : Map.of();
        if (!origin.containsKey("name")) {
            problems.add("origin: name is required");
        }
        if (origin.containsKey("support_url") && !CONFIGURATION_URL.matcher(origin.get("support_url").asText()).matches()) {
            // the whole device config is refused (DEVICE_DISCOVERY_SCHEMA), every component with it
            problems.add("origin: support_url " + origin.get("support_url") + " fails cv.configuration_url");
        }
        if (root.containsKey("availability")) {
            JsonNode list = root.get("availability");
            if (!list.isArray() || list.isEmpty()) {
                problems.add("availability must be a non-empty list");
            } else {
                for (JsonNode item : list) {
                    Map<String, JsonNode> entry = expand(item, ABBREVIATIONS, AVAILABILITY_ITEM, "availability", problems);
                    if (!entry.containsKey("topic")) {
                        problems.add("availability: topic is required");
                    }
                }
            }
            if (root.containsKey("availability_topic")) {
                problems.add("availability and availability_topic must not be used together");
            }
        }
        Map<String, Map<String, JsonNode>> components = new java.util.LinkedHashMap<>();
        JsonNode cmps = root.get("components");
        if (cmps != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = cmps.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                String where = "cmps." + entry.getKey();
                if (!DISCOVERY_ID.matcher(entry.getKey()).matches()) {
                    problems.add(where + ": component id must be [a-zA-Z0-9_-]");
                }
                String platform = entry.getValue().path("p").asText(entry.getValue().path("platform").asText(null));
                if (platform == null || !PLATFORM_KEYS.containsKey(platform)) {
                    problems.add(where + ": platform missing or not one of " + PLATFORM_KEYS.keySet());
                    continue;
                }
                Map<String, JsonNode> component = expand(entry.getValue(), ABBREVIATIONS, PLATFORM_KEYS.get(platform), where, problems);
                if (component.size() == 1) {
                    // {"p": ...} alone: HA removes the component if it has it, else ignores it
                    continue;
                }
                for (String required : PLATFORM_REQUIRED.get(platform)) {
                    if (!component.containsKey(required) || component.get(required).asText().isEmpty()) {
                        problems.add(where + ": missing required " + required);
                    }
                }
                checkComponent(where, platform, component, problems);
                components.put(entry.getKey(), component);
            }
        }
        Set<String> uniqueIds = new java.util.HashSet<>();
        components.values().forEach(c -> {
            if (c.containsKey("unique_id") && !uniqueIds.add(c.get("unique_id").asText())) {
                problems.add("unique_id " + c.get("unique_id").asText() + " is used twice");
            }
        });
        if (!problems.isEmpty()) {
            fail("not a valid Home Assistant device discovery payload on " + topic + ":\n  " + String.join("\n  ", problems)
                    + "\n" + payload);
        }
        return components;
    }

    private static void checkComponent(String where, String platform, Map<String, JsonNode> c, List<String> problems) {
        JsonNode deviceClass = c.get("device_class");
        if (platform.equals("binary_sensor") && deviceClass != null && !BINARY_SENSOR_CLASSES.contains(deviceClass.asText())) {
            problems.add(where + ": device_class " + deviceClass + " is not a binary sensor device class");
        }
        if (platform.equals("button") && deviceClass != null && !BUTTON_CLASSES.contains(deviceClass.asText())) {
            problems.add(where + ": device_class " + deviceClass + " is not a button device class");
        }
        if (c.containsKey("options")) {
            if (deviceClass == null || !deviceClass.asText().equals("enum")) {
                problems.add(where + ": options needs device_class enum");
            }
            if (!c.get("options").isArray() || c.get("options").isEmpty()) {
                problems.add(where + ": options must be a non-empty list");
            }
            if (c.containsKey("state_class") || c.containsKey("unit_of_measurement")) {
                problems.add(where + ": options cannot be used with state_class or unit_of_measurement");
            }
        }
        if (c.containsKey("state_class") && !STATE_CLASSES.contains(c.get("state_class").asText())) {
            problems.add(where + ": unknown state_class " + c.get("state_class"));
        }
        if (c.containsKey("entity_category")) {
            String category = c.get("entity_category").asText();
            if (!ENTITY_CATEGORIES.contains(category) || (!platform.equals("button") && !category.equals("diagnostic"))) {
                problems.add(where + ": entity_category " + category + " (sensors: diagnostic only)");
            }
        }
        if (c.containsKey("icon") && !c.get("icon").asText().matches("mdi:[a-z0-9-]+")) {
            problems.add(where + ": icon must look like mdi:name");
        }
        if (c.containsKey("qos") && !Set.of(0, 1, 2).contains(c.get("qos").asInt(-1))) {
            problems.add(where + ": qos must be 0, 1 or 2");
        }
        for (String key : List.of("value_template", "json_attributes_template")) {
            if (c.containsKey(key)) {
                checkTemplate(where + "." + key, c.get(key).asText(), problems);
            }
        }
        if (c.containsKey("json_attributes_template") && !c.get("json_attributes_template").asText().contains("| tojson")) {
            problems.add(where + ": json_attributes_template must render a JSON dictionary (| tojson)");
        }
        if (platform.equals("switch") && c.containsKey("value_template")) {
            // switch.py _is_on_map: any other result leaves the switch as it was
            Set<String> states = Set.of(text(c, "state_on", text(c, "payload_on", "ON")),
                    text(c, "state_off", text(c, "payload_off", "OFF")), PAYLOAD_NONE);
            Matcher literal = Pattern.compile("'([^']*)'").matcher(c.get("value_template").asText());
            while (literal.find()) {
                if (!states.contains(literal.group(1))) {
                    problems.add(where + ": value_template can render '" + literal.group(1) + "', not one of " + states);
                }
            }
        }
    }

    private static String text(Map<String, JsonNode> c, String key, String otherwise) {
        return c.containsKey(key) ? c.get(key).asText() : otherwise;
    }

    /**
     * The qos HA uses for a component (its subscriptions and what it publishes), in a release
     * that passes a root qos on ({@code rootQosShared}) or one that does not.
     */
    static int effectiveQos(JsonNode payload, String componentId, boolean rootQosShared) {
        JsonNode component = payload.path("cmps").path(componentId);
        if (component.has("qos")) {
            return component.get("qos").asInt();
        }
        boolean inherited = rootQosShared || SHARED_OPTIONS.contains("qos");
        return inherited && payload.has("qos") ? payload.get("qos").asInt() : DEFAULT_QOS;
    }

    /** A Jinja expression that reads only fields the state message has. */
    static void checkTemplate(String where, String template, List<String> problems) {
        if (!template.startsWith("{{") || !template.endsWith("}}")
                || count(template, "{{") != 1 || count(template, "}}") != 1 || template.contains("{%")) {
            problems.add(where + ": not one {{ expression }}: " + template);
        }
        if (count(template, "(") != count(template, ")") || count(template, "[") != count(template, "]")
                || count(template, "'") % 2 != 0) {
            problems.add(where + ": unbalanced brackets or quotes: " + template);
        }
        Matcher fields = VALUE_JSON.matcher(template);
        boolean any = false;
        while (fields.find()) {
            any = true;
            String field = fields.group(1).substring(1);
            if (!STATE_FIELDS.contains(field)) {
                problems.add(where + ": value_json." + field + " is not a field of the state message");
            }
        }
        if (!any) {
            problems.add(where + ": reads nothing from value_json");
        }
        if (template.contains("states(") || template.contains("this.state") || template.contains("entity_id")) {
            // sensor.py restores a state at HA's start only with expire_after: after an HA
            // restart the entity's own earlier state is unknown
            problems.add(where + ": reads the entity's own earlier state, lost when Home Assistant restarts");
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    private static Map<String, JsonNode> expand(JsonNode node, Map<String, String> abbreviations, Set<String> allowed,
            String where, List<String> problems) {
        Map<String, JsonNode> expanded = new java.util.LinkedHashMap<>();
        if (node == null || !node.isObject()) {
            problems.add(where + ": must be a JSON object");
            return expanded;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = abbreviations.getOrDefault(entry.getKey(), entry.getKey());
            if (!allowed.contains(key)) {
                problems.add(where + ": '" + entry.getKey() + "' is not a documented option here");
            }
            if (expanded.put(key, entry.getValue()) != null) {
                problems.add(where + ": '" + key + "' given twice (full and abbreviated)");
            }
        }
        return expanded;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    // used by tests that check the checker itself
    static void assertRejected(String topic, JsonNode payload, String prefix, String expectedProblem) {
        try {
            check(topic, payload, prefix);
        } catch (AssertionError expected) {
            assertTrue(expected.getMessage().contains(expectedProblem), expected.getMessage());
            return;
        }
        fail("accepted, expected: " + expectedProblem);
    }

    static void assertTopicIn(String topic, Set<Pattern> api) {
        assertTrue(api.stream().anyMatch(p -> p.matcher(topic).matches()), topic + " is not a CubeGuardian API topic");
    }
}
