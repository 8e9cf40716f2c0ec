package dev.cubeguardian.homeassistant;

import dev.cubeguardian.config.HostConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entities ({@code cmps}) of one host's device discovery config.
 *
 * <p>Every component id the worker can ever publish for a host is in every config: those the
 * host does not have (any more) as {@code {"p": "<platform>"}}. Home Assistant only removes a
 * component of a device when it comes like that; one that is simply left out keeps its entity
 * (home-assistant/core, homeassistant/components/mqtt/discovery.py: only the listed components
 * are processed, and one whose config is empty after taking out the platform is removed). So a
 * host that lost its {@code ssh} section loses its buttons in HA too.
 *
 * <p>Every component carries {@code qos: 1}: HA subscribes and publishes (button presses, switch
 * commands) at each component's own qos, default 0; releases before the fix of
 * home-assistant/core#170166 ignore a qos at the root of a device config.
 */
final class HostComponents {

    /**
     * Every component id with its platform. The unique_id of each is {@code <device id>_<component id>}:
     * no id here ends in {@code _} plus another id, so unique_ids cannot collide across hosts.
     */
    static final Map<String, String> ALL = orderedMap(
            "wake", "button", "shutdown", "button", "cancel", "button", "reboot", "button", "idle", "switch",
            "power", "binary_sensor", "state", "sensor", "players_online", "sensor", "version", "sensor",
            "shutdown_at", "sensor", "wake_next", "sensor", "shutdown_next", "sensor");
    /** Every value {@code <base>/<host>/state} can carry in {@code state} (docs/mqtt-api.md). */
    static final List<String> STATES = List.of("off", "waking", "starting", "online", "stopping", "unreachable", "unknown");
    /** What a button press publishes: a valid command payload (docs/mqtt-api.md), logged by the worker. */
    static final String PAYLOAD_PRESS = "{\"requested_by\":\"homeassistant\"}";
    /** The idle switch's commands: {@code <base>/<host>/cmd/idle} of the API's "More actions". */
    static final String IDLE_ON = "{\"enabled\":true}";
    static final String IDLE_OFF = "{\"enabled\":false}";
    /** What a template renders for "no value": HA's PAYLOAD_NONE (sensor and switch then show unknown). */
    static final String NONE = "None";

    private final String baseTopic;

    HostComponents(String baseTopic) {
        this.baseTopic = baseTopic;
    }

    Map<String, Object> of(HostConfig host, String deviceId) {
        String stateTopic = baseTopic + "/" + host.id() + "/state";
        String commands = baseTopic + "/" + host.id() + "/cmd/";
        boolean ssh = host.ssh().isPresent();
        boolean minecraft = host.minecraft().isPresent();
        Map<String, Map<String, Object>> present = new LinkedHashMap<>();

        present.put("wake", button("Wake", "mdi:power", commands + "wake"));
        if (ssh) {
            present.put("shutdown", button("Shut down", "mdi:power-off", commands + "shutdown"));
            present.put("cancel", button("Cancel shutdown", "mdi:cancel", commands + "cancel"));
            // v1.1: button.markdown's "restart" device class; HA then shows it as a restart button
            Map<String, Object> restart = button("Restart", "mdi:restart", commands + "reboot");
            restart.put("device_class", "restart");
            present.put("reboot", restart);
        }
        if (host.idle().enabled()) {
            Map<String, Object> idle = component("Idle shutdown");
            idle.put("icon", "mdi:sleep");
            idle.put("command_topic", commands + "idle");
            idle.put("payload_on", IDLE_ON);
            idle.put("payload_off", IDLE_OFF);
            idle.put("state_topic", stateTopic);
            idle.put("state_on", "ON");
            idle.put("state_off", "OFF");
            // unknown until the worker's state says how idle shutdown stands
            idle.put("value_template", "{{ ('ON' if value_json.idle.enabled else 'OFF') if value_json.idle else '" + NONE + "' }}");
            present.put("idle", idle);
        }

        Map<String, Object> power = component("Power");
        power.put("device_class", "power");
        power.put("state_topic", stateTopic);
        // the confirmed state, not the latest single probe: one lost ping does not flip it
        power.put("value_template", "{{ 'ON' if value_json.state in ['starting', 'online', 'stopping'] else 'OFF' }}");
        present.put("power", power);

        Map<String, Object> state = component("State");
        state.put("device_class", "enum");
        state.put("options", STATES);
        state.put("icon", "mdi:server");
        state.put("state_topic", stateTopic);
        state.put("value_template", "{{ value_json.state }}");
        state.put("json_attributes_topic", stateTopic);
        state.put("json_attributes_template", "{{ {'since': value_json.since} | tojson }}");
        present.put("state", state);

        if (minecraft) {
            Map<String, Object> players = component("Players online");
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
            present.put("players_online", players);

            Map<String, Object> serverVersion = component("Server version");
            serverVersion.put("entity_category", "diagnostic");
            serverVersion.put("icon", "mdi:minecraft");
            serverVersion.put("state_topic", stateTopic);
            // the worker keeps the last version seen while the server is down; HA does not keep
            // a sensor's state across its own restart, so the retained state message must
            serverVersion.put("value_template", "{{ value_json.last_version if value_json.last_version else '" + NONE + "' }}");
            present.put("version", serverVersion);
        }

        if (ssh) {
            // v1.1: when a scheduled shutdown is due (with RCON, when the game is stopped); unknown when none is
            Map<String, Object> shutdownAt = component("Scheduled shutdown");
            shutdownAt.put("device_class", "timestamp");
            shutdownAt.put("icon", "mdi:timer-sand");
            shutdownAt.put("state_topic", stateTopic);
            shutdownAt.put("value_template", "{{ value_json.shutdown_at if value_json.shutdown_at else '" + NONE + "' }}");
            present.put("shutdown_at", shutdownAt);
        }

        // v1.1 schedules: when the host next wakes or shuts down by itself; only for hosts with such entries
        if (scheduled(host, "wake")) {
            present.put("wake_next", timestamp("Next scheduled wake", "mdi:calendar-clock", stateTopic, "next_wake"));
        }
        if (scheduled(host, "shutdown")) {
            present.put("shutdown_next", timestamp("Next scheduled shutdown", "mdi:calendar-remove", stateTopic, "next_shutdown"));
        }

        Map<String, Object> components = new LinkedHashMap<>();
        ALL.forEach((id, platform) -> {
            Map<String, Object> component = new LinkedHashMap<>();
            component.put("p", platform);
            if (present.containsKey(id)) {
                component.put("unique_id", deviceId + "_" + id);
                component.putAll(present.get(id));
                component.put("qos", 1);
            }
            components.put(id, component);
        });
        return components;
    }

    private static boolean scheduled(HostConfig host, String action) {
        return host.schedule().stream().anyMatch(entry -> entry.action().equals(action));
    }

    /** A timestamp sensor on a field of the state message; unknown while the field is null. */
    private static Map<String, Object> timestamp(String name, String icon, String stateTopic, String field) {
        Map<String, Object> sensor = component(name);
        sensor.put("device_class", "timestamp");
        sensor.put("icon", icon);
        sensor.put("state_topic", stateTopic);
        sensor.put("value_template", "{{ value_json." + field + " if value_json." + field + " else '" + NONE + "' }}");
        return sensor;
    }

    private static Map<String, Object> button(String name, String icon, String commandTopic) {
        Map<String, Object> button = component(name);
        button.put("icon", icon);
        button.put("command_topic", commandTopic);
        button.put("payload_press", PAYLOAD_PRESS);
        return button;
    }

    private static Map<String, Object> component(String name) {
        Map<String, Object> component = new LinkedHashMap<>();
        component.put("name", name);
        return component;
    }

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
