package dev.cubeguardian.homeassistant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cubeguardian.command.Action;
import dev.cubeguardian.command.Command;
import dev.cubeguardian.command.CommandIds;
import dev.cubeguardian.command.CommandParser;
import dev.cubeguardian.config.HostConfig;
import dev.cubeguardian.config.InvalidSettingException;
import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.config.InventoryLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscoveryConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "cubeguardian";
    /** The topics of docs/mqtt-api.md a discovery config may point at. */
    private static final Set<Pattern> COMMAND_TOPICS = Set.of(Pattern.compile("cubeguardian/[a-z0-9][a-z0-9_-]{0,62}/cmd/(wake|shutdown|cancel|check)"));
    private static final Set<Pattern> STATE_TOPICS = Set.of(Pattern.compile("cubeguardian/[a-z0-9][a-z0-9_-]{0,62}/state"));

    @TempDir
    Path dir;
    private Inventory inventory;
    private final DiscoveryConfig config = new DiscoveryConfig("homeassistant", BASE, "1.2.3", null);

    @BeforeEach
    void inventory() throws Exception {
        Files.writeString(dir.resolve("key"), "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n");
        Files.writeString(dir.resolve("known_hosts"), "192.168.1.10 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDummy\n");
        Path hosts = dir.resolve("hosts.yaml");
        Files.writeString(hosts, """
                hosts:
                  pve:
                    name: Proxmox
                    mac: "AA:BB:CC:DD:EE:FF"
                    address: 192.168.1.10
                    ssh: {user: root, key-file: key, known-hosts-file: known_hosts}
                    minecraft: {address: 192.168.1.20}
                  nas:
                    mac: "AA:BB:CC:DD:EE:01"
                    address: 192.168.1.11
                """);
        inventory = InventoryLoader.load(hosts);
    }

    private HostConfig host(String id) {
        return inventory.host(id).orElseThrow();
    }

    private JsonNode payload(String id) {
        return JSON.valueToTree(config.payload(host(id)));
    }

    @Test
    void aHostWithSshAndMinecraftGetsTheFullDeviceExactly() throws Exception {
        String expected = "{\"dev\":{\"identifiers\":[\"cubeguardian_pve\"],\"name\":\"Proxmox\",\"manufacturer\":\"CubeGuardian\","
                + "\"model\":\"Host with Minecraft server\",\"sw_version\":\"1.2.3\"},"
                + "\"o\":{\"name\":\"CubeGuardian\",\"sw_version\":\"1.2.3\"},"
                + "\"availability\":[{\"topic\":\"cubeguardian/bridge/state\",\"payload_available\":\"online\",\"payload_not_available\":\"offline\"}],"
                + "\"qos\":1,\"cmps\":{"
                + "\"wake\":{\"p\":\"button\",\"unique_id\":\"cubeguardian_pve_wake\",\"name\":\"Wake\",\"icon\":\"mdi:power\","
                + "\"command_topic\":\"cubeguardian/pve/cmd/wake\",\"payload_press\":\"{\\\"requested_by\\\":\\\"homeassistant\\\"}\"},"
                + "\"shutdown\":{\"p\":\"button\",\"unique_id\":\"cubeguardian_pve_shutdown\",\"name\":\"Shut down\",\"icon\":\"mdi:power-off\","
                + "\"command_topic\":\"cubeguardian/pve/cmd/shutdown\",\"payload_press\":\"{\\\"requested_by\\\":\\\"homeassistant\\\"}\"},"
                + "\"power\":{\"p\":\"binary_sensor\",\"unique_id\":\"cubeguardian_pve_power\",\"name\":\"Power\",\"device_class\":\"power\","
                + "\"state_topic\":\"cubeguardian/pve/state\","
                + "\"value_template\":\"{{ 'ON' if value_json.state in ['starting', 'online', 'stopping'] else 'OFF' }}\"},"
                + "\"state\":{\"p\":\"sensor\",\"unique_id\":\"cubeguardian_pve_state\",\"name\":\"State\",\"device_class\":\"enum\","
                + "\"options\":[\"off\",\"waking\",\"starting\",\"online\",\"stopping\",\"unreachable\",\"unknown\"],\"icon\":\"mdi:server\","
                + "\"state_topic\":\"cubeguardian/pve/state\",\"value_template\":\"{{ value_json.state }}\","
                + "\"json_attributes_topic\":\"cubeguardian/pve/state\",\"json_attributes_template\":\"{{ {'since': value_json.since} | tojson }}\"},"
                + "\"players_online\":{\"p\":\"sensor\",\"unique_id\":\"cubeguardian_pve_players_online\",\"name\":\"Players online\","
                + "\"state_class\":\"measurement\",\"icon\":\"mdi:account-multiple\",\"state_topic\":\"cubeguardian/pve/state\","
                + "\"value_template\":\"{{ value_json.service.players_online if value_json.service and value_json.service.players_online is not none else 0 }}\","
                + "\"json_attributes_topic\":\"cubeguardian/pve/state\","
                + "\"json_attributes_template\":\"{{ {'players': value_json.service.players if value_json.service else [],"
                + " 'players_max': value_json.service.players_max if value_json.service else none,"
                + " 'motd': value_json.service.motd if value_json.service else none} | tojson }}\"},"
                + "\"version\":{\"p\":\"sensor\",\"unique_id\":\"cubeguardian_pve_version\",\"name\":\"Server version\","
                + "\"entity_category\":\"diagnostic\",\"icon\":\"mdi:minecraft\",\"state_topic\":\"cubeguardian/pve/state\","
                + "\"value_template\":\"{{ value_json.service.version if value_json.service and value_json.service.version else states(entity_id) }}\"}"
                + "}}";
        assertEquals(expected, JSON.writeValueAsString(config.payload(host("pve"))));
        assertEquals("homeassistant/device/cubeguardian_pve/config", config.topic("pve"));
    }

    @Test
    void everyPayloadFollowsHomeAssistantsDocumentedRules() {
        for (String id : List.of("pve", "nas")) {
            Map<String, Map<String, JsonNode>> components = HomeAssistantRules.check(config.topic(id), payload(id), "homeassistant");
            assertTrue(components.containsKey("wake") && components.containsKey("power") && components.containsKey("state"));
            for (Map<String, JsonNode> component : components.values()) {
                assertTrue(component.get("unique_id").asText().startsWith(config.objectId(id) + "_"));
                if (component.containsKey("command_topic")) {
                    HomeAssistantRules.assertTopicIn(component.get("command_topic").asText(), COMMAND_TOPICS);
                }
                if (component.containsKey("state_topic")) {
                    HomeAssistantRules.assertTopicIn(component.get("state_topic").asText(), STATE_TOPICS);
                    assertEquals(BASE + "/" + id + "/state", component.get("state_topic").asText());
                }
                if (component.containsKey("json_attributes_topic")) {
                    assertEquals(BASE + "/" + id + "/state", component.get("json_attributes_topic").asText());
                }
            }
            JsonNode availability = payload(id).get("availability").get(0);
            assertEquals(BASE + "/bridge/state", availability.get("topic").asText());
            assertEquals("online", availability.get("payload_available").asText());
            assertEquals("offline", availability.get("payload_not_available").asText());
            assertEquals(List.of(config.objectId(id)), JSON.convertValue(payload(id).at("/dev/identifiers"), List.class));
        }
    }

    @Test
    void shutdownOnlyWithSshAndGameSensorsOnlyWithMinecraft() {
        assertEquals(Set.of("wake", "shutdown", "power", "state", "players_online", "version"), fieldNames(payload("pve").get("cmps")));
        assertEquals(Set.of("wake", "power", "state"), fieldNames(payload("nas").get("cmps")));
        assertEquals("nas", payload("nas").at("/dev/name").asText(), "the id when no display name is set");
        assertEquals("Host", payload("nas").at("/dev/model").asText());
    }

    @Test
    void theStateSensorOffersEveryStateTheApiPublishes() {
        assertEquals(DiscoveryConfig.STATES, JSON.convertValue(payload("pve").at("/cmps/state/options"), List.class));
    }

    @Test
    void aButtonPressIsACommandTheWorkerAccepts() {
        CommandParser parser = new CommandParser(BASE, inventory, new CommandIds(), Clock.systemUTC());
        for (String button : List.of("wake", "shutdown")) {
            JsonNode component = payload("pve").at("/cmps/" + button);
            Object parsed = parser.parse(component.get("command_topic").asText(),
                    component.get("payload_press").asText().getBytes(StandardCharsets.UTF_8), new MqttProperties());
            Command command = assertInstanceOf(Command.class, parsed);
            assertEquals("pve", command.host());
            assertEquals(Action.valueOf(button.toUpperCase()), command.action());
            assertEquals("homeassistant", command.requestedBy());
            assertEquals(false, command.force(), "a shutdown from HA still refuses when players are online");
        }
    }

    @Test
    void originCarriesTheSupportUrlWhenConfigured() {
        DiscoveryConfig withUrl = new DiscoveryConfig("ha", "lab/attic", "dev", "https://example.org/cubeguardian");
        JsonNode payload = JSON.valueToTree(withUrl.payload(host("pve")));
        assertEquals("https://example.org/cubeguardian", payload.at("/o/support_url").asText());
        assertEquals("ha/device/lab_attic_pve/config", withUrl.topic("pve"));
        assertEquals("lab/attic/pve/cmd/wake", payload.at("/cmps/wake/command_topic").asText());
        HomeAssistantRules.check(withUrl.topic("pve"), payload, "ha");
    }

    @Test
    void recognisesOnlyConfigsThisWorkerPublished() {
        JsonNode ours = payload("pve");
        assertEquals("pve", config.publishedHost(config.topic("pve"), ours).orElseThrow());
        // another worker (other base topic), another topic, another tool's device
        DiscoveryConfig other = new DiscoveryConfig("homeassistant", "cubeguardian-attic", "1", null);
        assertTrue(config.publishedHost(other.topic("pve"), JSON.valueToTree(other.payload(host("pve")))).isEmpty());
        assertTrue(config.publishedHost(config.topic("nas"), ours).isEmpty(), "topic and content must agree");
        ObjectNode foreign = JSON.createObjectNode();
        foreign.putObject("cmps").putObject("wake").put("command_topic", "zigbee2mqtt/pve/set");
        assertTrue(config.publishedHost(config.topic("pve"), foreign).isEmpty());
        assertTrue(config.publishedHost("homeassistant/device/zigbee_x/config", ours).isEmpty());
    }

    @Test
    void theRuleCheckerItselfCatchesMistakes() {
        ObjectNode noUniqueId = payload("pve").deepCopy();
        ((ObjectNode) noUniqueId.at("/cmps/wake")).remove("unique_id");
        HomeAssistantRules.assertRejected(config.topic("pve"), noUniqueId, "homeassistant", "cmps.wake: missing required unique_id");

        ObjectNode undocumented = payload("pve").deepCopy();
        ((ObjectNode) undocumented.at("/cmps/power")).put("payload_press", "x");
        HomeAssistantRules.assertRejected(config.topic("pve"), undocumented, "homeassistant", "'payload_press' is not a documented option");

        ObjectNode noIdentifiers = payload("pve").deepCopy();
        ((ObjectNode) noIdentifiers.get("dev")).remove("identifiers");
        HomeAssistantRules.assertRejected(config.topic("pve"), noIdentifiers, "homeassistant", "identifiers");

        ObjectNode noOrigin = payload("pve").deepCopy();
        noOrigin.remove("o");
        HomeAssistantRules.assertRejected(config.topic("pve"), noOrigin, "homeassistant", "missing required origin");

        ObjectNode badField = payload("pve").deepCopy();
        ((ObjectNode) badField.at("/cmps/state")).put("value_template", "{{ value_json.status }}");
        HomeAssistantRules.assertRejected(config.topic("pve"), badField, "homeassistant", "value_json.status is not a field");

        ObjectNode enumWithUnit = payload("pve").deepCopy();
        ((ObjectNode) enumWithUnit.at("/cmps/state")).put("unit_of_measurement", "x");
        HomeAssistantRules.assertRejected(config.topic("pve"), enumWithUnit, "homeassistant", "options cannot be used with");

        HomeAssistantRules.assertRejected("homeassistant/device/a.b/config", payload("pve"), "homeassistant", "object_id");
    }

    @Test
    void settingsHaveDefaultsAndRefuseNonsense() {
        HomeAssistantSettings defaults = HomeAssistantSettings.from(key -> null);
        assertEquals(new HomeAssistantSettings(true, "homeassistant", null), defaults);
        assertEquals(new HomeAssistantSettings(false, "ha/lab", "https://x.example"), HomeAssistantSettings.from(Map.of(
                HomeAssistantSettings.ENABLED, "FALSE", HomeAssistantSettings.PREFIX, "ha/lab",
                HomeAssistantSettings.SUPPORT_URL, "https://x.example")::get));
        assertThrows(InvalidSettingException.class, () -> HomeAssistantSettings.from(Map.of(HomeAssistantSettings.ENABLED, "yes")::get));
        assertThrows(InvalidSettingException.class, () -> HomeAssistantSettings.from(Map.of(HomeAssistantSettings.PREFIX, "ha/#")::get));
        assertThrows(InvalidSettingException.class, () -> HomeAssistantSettings.from(Map.of(HomeAssistantSettings.SUPPORT_URL, "ftp://x")::get));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
