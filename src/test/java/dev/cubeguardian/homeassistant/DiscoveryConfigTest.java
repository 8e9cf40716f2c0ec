package dev.cubeguardian.homeassistant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    private static final Set<Pattern> COMMAND_TOPICS = Set.of(Pattern.compile("cubeguardian/[a-z0-9][a-z0-9_-]{0,62}/cmd/(wake|shutdown|cancel|check|idle|reboot)"));
    private static final String SSH = "    ssh: {user: root, key-file: key, known-hosts-file: known_hosts}\n";
    private static final String GAME = "    minecraft: {address: 192.168.1.20}\n";
    private static final String IDLE = "    idle: {enabled: true}\n";
    private static final String SCHEDULE = "    schedule: [{cron: \"0 18 * * FRI\", action: wake}, {cron: \"0 2 * * *\", action: shutdown}]\n";
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
                  mc:
                    mac: "AA:BB:CC:DD:EE:02"
                    address: 192.168.1.12
                    ssh: {user: root, key-file: key, known-hosts-file: known_hosts}
                    minecraft: {address: 192.168.1.12}
                    idle: {enabled: true}
                    schedule:
                      - {cron: "0 18 * * FRI", action: wake}
                      - {cron: "0 2 * * *", action: shutdown, delay_minutes: 10}
                """);
        inventory = InventoryLoader.load(hosts);
    }

    /** The same host id configured differently, as after an edit of the inventory. */
    private HostConfig edited(String id, String yaml) throws Exception {
        Path hosts = dir.resolve("edited.yaml");
        Files.writeString(hosts, "hosts:\n  " + id + ":\n    mac: \"AA:BB:CC:DD:EE:FF\"\n    address: 192.168.1.10\n" + yaml);
        return InventoryLoader.load(hosts).host(id).orElseThrow();
    }

    private HostConfig host(String id) {
        return inventory.host(id).orElseThrow();
    }

    private JsonNode payload(String id) {
        return JSON.valueToTree(config.payload(host(id)));
    }

    @Test
    void aHostWithSshAndMinecraftGetsTheFullDeviceExactly() throws Exception {
        String press = "\"payload_press\":\"{\\\"requested_by\\\":\\\"homeassistant\\\"}\"";
        String expected = "{\"dev\":{\"identifiers\":[\"cubeguardian_pve\"],\"name\":\"Proxmox\",\"manufacturer\":\"CubeGuardian\","
                + "\"model\":\"Host with Minecraft server\",\"sw_version\":\"1.2.3\"},"
                + "\"o\":{\"name\":\"CubeGuardian\",\"sw_version\":\"1.2.3\"},"
                + "\"availability\":[{\"topic\":\"cubeguardian/bridge/state\",\"payload_available\":\"online\",\"payload_not_available\":\"offline\"}],"
                + "\"cmps\":{"
                + "\"wake\":{\"p\":\"button\",\"unique_id\":\"cubeguardian_pve_wake\",\"name\":\"Wake\",\"icon\":\"mdi:power\","
                + "\"command_topic\":\"cubeguardian/pve/cmd/wake\"," + press + ",\"qos\":1},"
                + "\"shutdown\":{\"p\":\"button\",\"unique_id\":\"cubeguardian_pve_shutdown\",\"name\":\"Shut down\",\"icon\":\"mdi:power-off\","
                + "\"command_topic\":\"cubeguardian/pve/cmd/shutdown\"," + press + ",\"qos\":1},"
                + "\"cancel\":{\"p\":\"button\",\"unique_id\":\"cubeguardian_pve_cancel\",\"name\":\"Cancel shutdown\",\"icon\":\"mdi:cancel\","
                + "\"command_topic\":\"cubeguardian/pve/cmd/cancel\"," + press + ",\"qos\":1},"
                + "\"reboot\":{\"p\":\"button\",\"unique_id\":\"cubeguardian_pve_reboot\",\"name\":\"Restart\",\"icon\":\"mdi:restart\","
                + "\"command_topic\":\"cubeguardian/pve/cmd/reboot\"," + press + ",\"device_class\":\"restart\",\"qos\":1},"
                + "\"idle\":{\"p\":\"switch\"},"
                + "\"power\":{\"p\":\"binary_sensor\",\"unique_id\":\"cubeguardian_pve_power\",\"name\":\"Power\",\"device_class\":\"power\","
                + "\"state_topic\":\"cubeguardian/pve/state\","
                + "\"value_template\":\"{{ 'ON' if value_json.state in ['starting', 'online', 'stopping'] else 'OFF' }}\",\"qos\":1},"
                + "\"state\":{\"p\":\"sensor\",\"unique_id\":\"cubeguardian_pve_state\",\"name\":\"State\",\"device_class\":\"enum\","
                + "\"options\":[\"off\",\"waking\",\"starting\",\"online\",\"stopping\",\"unreachable\",\"unknown\"],\"icon\":\"mdi:server\","
                + "\"state_topic\":\"cubeguardian/pve/state\",\"value_template\":\"{{ value_json.state }}\","
                + "\"json_attributes_topic\":\"cubeguardian/pve/state\",\"json_attributes_template\":\"{{ {'since': value_json.since} | tojson }}\",\"qos\":1},"
                + "\"players_online\":{\"p\":\"sensor\",\"unique_id\":\"cubeguardian_pve_players_online\",\"name\":\"Players online\","
                + "\"state_class\":\"measurement\",\"icon\":\"mdi:account-multiple\",\"state_topic\":\"cubeguardian/pve/state\","
                + "\"value_template\":\"{{ value_json.service.players_online if value_json.service and value_json.service.players_online is not none else 0 }}\","
                + "\"json_attributes_topic\":\"cubeguardian/pve/state\","
                + "\"json_attributes_template\":\"{{ {'players': value_json.service.players if value_json.service else [],"
                + " 'players_max': value_json.service.players_max if value_json.service else none,"
                + " 'motd': value_json.service.motd if value_json.service else none} | tojson }}\",\"qos\":1},"
                + "\"version\":{\"p\":\"sensor\",\"unique_id\":\"cubeguardian_pve_version\",\"name\":\"Server version\","
                + "\"entity_category\":\"diagnostic\",\"icon\":\"mdi:minecraft\",\"state_topic\":\"cubeguardian/pve/state\","
                + "\"value_template\":\"{{ value_json.last_version if value_json.last_version else 'None' }}\",\"qos\":1},"
                + "\"shutdown_at\":{\"p\":\"sensor\",\"unique_id\":\"cubeguardian_pve_shutdown_at\",\"name\":\"Scheduled shutdown\","
                + "\"device_class\":\"timestamp\",\"icon\":\"mdi:timer-sand\",\"state_topic\":\"cubeguardian/pve/state\","
                + "\"value_template\":\"{{ value_json.shutdown_at if value_json.shutdown_at else 'None' }}\",\"qos\":1},"
                + "\"wake_next\":{\"p\":\"sensor\"},\"shutdown_next\":{\"p\":\"sensor\"}"
                + "}}";
        assertEquals(expected, JSON.writeValueAsString(config.payload(host("pve"))));
        assertEquals("homeassistant/device/cubeguardian_pve/config", config.topic("pve"));
    }

    @Test
    void aHostWithIdleShutdownGetsARuntimeSwitchExactly() throws Exception {
        assertEquals("{\"p\":\"switch\",\"unique_id\":\"cubeguardian_mc_idle\",\"name\":\"Idle shutdown\",\"icon\":\"mdi:sleep\","
                + "\"command_topic\":\"cubeguardian/mc/cmd/idle\","
                + "\"payload_on\":\"{\\\"enabled\\\":true}\",\"payload_off\":\"{\\\"enabled\\\":false}\","
                + "\"state_topic\":\"cubeguardian/mc/state\",\"state_on\":\"ON\",\"state_off\":\"OFF\","
                + "\"value_template\":\"{{ ('ON' if value_json.idle.enabled else 'OFF') if value_json.idle else 'None' }}\",\"qos\":1}",
                JSON.writeValueAsString(payload("mc").at("/cmps/idle")));
        // the API's cmd/idle payloads (docs/mqtt-api.md, "More actions"): a JSON object with a boolean
        JsonNode on = JSON.readTree(payload("mc").at("/cmps/idle/payload_on").asText());
        JsonNode off = JSON.readTree(payload("mc").at("/cmps/idle/payload_off").asText());
        assertEquals(List.of("enabled"), List.copyOf(fieldNames(on)));
        assertTrue(on.get("enabled").isBoolean() && on.get("enabled").asBoolean());
        assertTrue(off.get("enabled").isBoolean() && !off.get("enabled").asBoolean());
        assertEquals(Set.of("wake", "shutdown", "cancel", "reboot", "idle", "power", "state", "players_online", "version", "shutdown_at",
                "wake_next", "shutdown_next"), HomeAssistantRules.check(config.topic("mc"), payload("mc"), "homeassistant").keySet());
    }

    @Test
    void theIdleSwitchShowsUnknownUntilTheStateSaysHowIdleShutdownStands() {
        // switch.py: the rendered value is looked up in {state_on: on, state_off: off, "None": unknown}
        HomeAssistantRules.check(config.topic("mc"), payload("mc"), "homeassistant");
        ObjectNode renderingJson = payload("mc").deepCopy();
        ((ObjectNode) renderingJson.at("/cmps/idle")).put("value_template", "{{ value_json.idle.enabled | tojson }}");
        HomeAssistantRules.check(config.topic("mc"), renderingJson, "homeassistant");
        ObjectNode renderingOther = payload("mc").deepCopy();
        ((ObjectNode) renderingOther.at("/cmps/idle")).put("value_template", "{{ 'true' if value_json.idle.enabled else 'false' }}");
        HomeAssistantRules.assertRejected(config.topic("mc"), renderingOther, "homeassistant", "can render 'true'");
    }

    @Test
    void everyPayloadFollowsHomeAssistantsDocumentedRules() {
        for (String id : List.of("pve", "nas", "mc")) {
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
    void shutdownButtonsOnlyWithSshGameSensorsOnlyWithMinecraftTheSwitchOnlyWithIdleShutdown() {
        Set<String> all = HostComponents.ALL.keySet();
        assertEquals(all, fieldNames(payload("pve").get("cmps")), "every component id, always");
        assertEquals(all, fieldNames(payload("nas").get("cmps")));
        assertEquals(Set.of("wake", "shutdown", "cancel", "reboot", "power", "state", "players_online", "version", "shutdown_at"),
                HomeAssistantRules.check(config.topic("pve"), payload("pve"), "homeassistant").keySet());
        assertEquals(Set.of("wake", "power", "state"), HomeAssistantRules.check(config.topic("nas"), payload("nas"), "homeassistant").keySet());
        assertEquals("{\"p\":\"button\"}", payload("nas").at("/cmps/shutdown").toString());
        assertEquals("{\"p\":\"sensor\"}", payload("nas").at("/cmps/players_online").toString());
        assertEquals("nas", payload("nas").at("/dev/name").asText(), "the id when no display name is set");
        assertEquals("Host", payload("nas").at("/dev/model").asText());
    }

    @Test
    void aHostThatLostItsSshSectionHasItsButtonsRemoved() throws Exception {
        HomeAssistantDevices ha = new HomeAssistantDevices();
        ha.receive(config.topic("pve"), JSON.valueToTree(config.payload(edited("pve", SSH + GAME + IDLE))));
        assertTrue(ha.components("cubeguardian_pve").containsAll(Set.of("shutdown", "cancel", "reboot", "idle")));

        ha.receive(config.topic("pve"), JSON.valueToTree(config.payload(edited("pve", GAME + IDLE))));

        assertEquals(Set.of("wake", "idle", "power", "state", "players_online", "version"), ha.components("cubeguardian_pve"));
    }

    @Test
    void aHostThatLostItsMinecraftAndIdleSectionsHasItsGameSensorsAndSwitchRemoved() throws Exception {
        HomeAssistantDevices ha = new HomeAssistantDevices();
        ha.receive(config.topic("pve"), JSON.valueToTree(config.payload(edited("pve", SSH + GAME + IDLE))));

        ha.receive(config.topic("pve"), JSON.valueToTree(config.payload(edited("pve", SSH))));

        assertEquals(Set.of("wake", "shutdown", "cancel", "reboot", "power", "state", "shutdown_at"), ha.components("cubeguardian_pve"));
        // and they come back when the sections do
        ha.receive(config.topic("pve"), JSON.valueToTree(config.payload(edited("pve", SSH + GAME + IDLE + SCHEDULE))));
        assertEquals(HostComponents.ALL.keySet(), ha.components("cubeguardian_pve"));
    }

    @Test
    void aHostWithAScheduledWakeAndShutdownGetsTheirTimestampSensorsExactly() throws Exception {
        assertEquals("{\"p\":\"sensor\",\"unique_id\":\"cubeguardian_mc_wake_next\",\"name\":\"Next scheduled wake\","
                + "\"device_class\":\"timestamp\",\"icon\":\"mdi:calendar-clock\",\"state_topic\":\"cubeguardian/mc/state\","
                + "\"value_template\":\"{{ value_json.next_wake if value_json.next_wake else 'None' }}\",\"qos\":1}",
                JSON.writeValueAsString(payload("mc").at("/cmps/wake_next")));
        assertEquals("{\"p\":\"sensor\",\"unique_id\":\"cubeguardian_mc_shutdown_next\",\"name\":\"Next scheduled shutdown\","
                + "\"device_class\":\"timestamp\",\"icon\":\"mdi:calendar-remove\",\"state_topic\":\"cubeguardian/mc/state\","
                + "\"value_template\":\"{{ value_json.next_shutdown if value_json.next_shutdown else 'None' }}\",\"qos\":1}",
                JSON.writeValueAsString(payload("mc").at("/cmps/shutdown_next")));
    }

    @Test
    void scheduleSensorsOnlyForTheActionsTheHostsScheduleHas() throws Exception {
        HomeAssistantDevices ha = new HomeAssistantDevices();
        ha.receive(config.topic("pve"), JSON.valueToTree(config.payload(edited("pve",
                "    schedule: [{cron: \"0 18 * * FRI\", action: wake}, {cron: \"*/5 * * * *\", action: check}]\n"))));
        assertEquals(Set.of("wake", "power", "state", "wake_next"), ha.components("cubeguardian_pve"), "a wake, no shutdown");
        ha.receive(config.topic("pve"), JSON.valueToTree(config.payload(edited("pve", SSH
                + "    schedule: [{cron: \"0 2 * * *\", action: shutdown}, {cron: \"0 3 * * *\", action: cancel}]\n"))));
        assertEquals(Set.of("wake", "shutdown", "cancel", "reboot", "power", "state", "shutdown_at", "shutdown_next"), ha.components("cubeguardian_pve"));
        ha.receive(config.topic("pve"), JSON.valueToTree(config.payload(edited("pve", SSH
                + "    schedule: [{cron: \"*/5 * * * *\", action: check}]\n"))));
        assertEquals(Set.of("wake", "shutdown", "cancel", "reboot", "power", "state", "shutdown_at"), ha.components("cubeguardian_pve"),
                "removed with the entries");
    }

    @Test
    void noComponentIdEndsInAnotherSoUniqueIdsCannotCollideAcrossHosts() {
        // host "pve" with component "next_wake" would be host "pve_next" with component "wake"
        for (String id : HostComponents.ALL.keySet()) {
            for (String other : HostComponents.ALL.keySet()) {
                assertFalse(id.endsWith("_" + other), id + " ends in _" + other);
            }
        }
    }

    @Test
    void everyButtonPressAndEverySubscriptionIsAtQos1InEveryHomeAssistantRelease() {
        for (String id : List.of("pve", "nas", "mc")) {
            JsonNode payload = payload(id);
            for (String component : HomeAssistantRules.check(config.topic(id), payload, "homeassistant").keySet()) {
                assertEquals(1, HomeAssistantRules.effectiveQos(payload, component, false), id + " " + component + ", root qos ignored");
                assertEquals(1, HomeAssistantRules.effectiveQos(payload, component, true), id + " " + component + ", root qos shared");
            }
        }
    }

    @Test
    void theServerVersionSensorSurvivesAHomeAssistantRestart() {
        // HA does not restore an MQTT sensor's state (no expire_after): the retained state must carry the version
        JsonNode version = payload("pve").at("/cmps/version");
        assertTrue(version.get("value_template").asText().contains("value_json.last_version"));
        ObjectNode ownState = payload("pve").deepCopy();
        ((ObjectNode) ownState.at("/cmps/version")).put("value_template",
                "{{ value_json.service.version if value_json.service and value_json.service.version else states(entity_id) }}");
        HomeAssistantRules.assertRejected(config.topic("pve"), ownState, "homeassistant", "lost when Home Assistant restarts");
    }

    @Test
    void theStateSensorOffersEveryStateTheApiPublishes() {
        assertEquals(HostComponents.STATES, JSON.convertValue(payload("pve").at("/cmps/state/options"), List.class));
    }

    @Test
    void aButtonPressIsACommandTheWorkerAccepts() {
        CommandParser parser = new CommandParser(BASE, inventory, new CommandIds(), Clock.systemUTC());
        for (String button : List.of("wake", "shutdown", "cancel", "reboot")) {
            JsonNode component = payload("pve").at("/cmps/" + button);
            Object parsed = parser.parse(component.get("command_topic").asText(),
                    component.get("payload_press").asText().getBytes(StandardCharsets.UTF_8), new MqttProperties());
            Command command = assertInstanceOf(Command.class, parsed);
            assertEquals("pve", command.host());
            assertEquals(Action.valueOf(button.toUpperCase()), command.action());
            assertEquals("homeassistant", command.requestedBy());
            assertEquals(false, command.force(), "a shutdown or restart from HA still refuses when players are online");
        }
    }

    @Test
    void theIdleSwitchOnAndOffAreIdleCommandsTheWorkerAccepts() {
        CommandParser parser = new CommandParser(BASE, inventory, new CommandIds(), Clock.systemUTC());
        JsonNode idle = payload("mc").at("/cmps/idle");
        for (boolean on : List.of(true, false)) {
            Object parsed = parser.parse(idle.get("command_topic").asText(),
                    idle.get(on ? "payload_on" : "payload_off").asText().getBytes(StandardCharsets.UTF_8), new MqttProperties());
            Command command = assertInstanceOf(Command.class, parsed);
            assertEquals("mc", command.host());
            assertEquals(Action.IDLE, command.action());
            assertEquals(on, command.idle().enabled());
            assertEquals(null, command.idle().forMinutes(), "off until switched on again");
        }
    }

    @Test
    void aSupportUrlHomeAssistantRefusesStopsTheWorkerAtStart() {
        // HA drops every device config whose origin fails cv.configuration_url
        for (String url : List.of("https://", "https:///help", "https:example.org", "ftp://example.org", "example.org")) {
            InvalidSettingException refused = assertThrows(InvalidSettingException.class,
                    () -> HomeAssistantSettings.from(Map.of(HomeAssistantSettings.SUPPORT_URL, url)::get), url);
            assertTrue(refused.getMessage().contains("CUBEGUARDIAN_HA_SUPPORT_URL"), refused.getMessage());
            DiscoveryConfig withUrl = new DiscoveryConfig("homeassistant", BASE, "1", url);
            HomeAssistantRules.assertRejected(withUrl.topic("pve"), JSON.valueToTree(withUrl.payload(host("pve"))),
                    "homeassistant", "fails cv.configuration_url");
        }
        assertEquals("homeassistant://config/devices", HomeAssistantSettings.from(
                Map.of(HomeAssistantSettings.SUPPORT_URL, "homeassistant://config/devices")::get).supportUrl());
    }

    @Test
    void originCarriesTheSupportUrlWhenConfigured() {
        DiscoveryConfig withUrl = new DiscoveryConfig("ha", "lab/attic", "dev", "https://example.org/cubeguardian");
        JsonNode payload = JSON.valueToTree(withUrl.payload(host("pve")));
        assertEquals("https://example.org/cubeguardian", payload.at("/o/support_url").asText());
        assertEquals("ha/device/lab_X2Fattic_pve/config", withUrl.topic("pve"));
        assertEquals("lab/attic/pve/cmd/wake", payload.at("/cmps/wake/command_topic").asText());
        HomeAssistantRules.check(withUrl.topic("pve"), payload, "ha");
    }

    @Test
    void recognisesOnlyConfigsThisWorkerPublished() {
        JsonNode ours = payload("pve");
        assertEquals(new DiscoveryConfig.Published("pve", false), config.publishedHost(config.topic("pve"), ours).orElseThrow());
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
    void twoWorkersWhoseBaseTopicAndHostIdRunTogetherGetDifferentDevices() throws Exception {
        // cg + lab_pve and cg_lab + pve were both cg_lab_pve: one device, one set of unique_ids
        DiscoveryConfig cg = new DiscoveryConfig("homeassistant", "cg", "1", null);
        DiscoveryConfig cgLab = new DiscoveryConfig("homeassistant", "cg_lab", "1", null);
        HostConfig labPve = edited("lab_pve", SSH);
        HostConfig pve = edited("pve", SSH);
        assertTrue(!cg.topic("lab_pve").equals(cgLab.topic("pve")), cg.topic("lab_pve"));

        HomeAssistantDevices ha = new HomeAssistantDevices();
        ha.receive(cg.topic("lab_pve"), JSON.valueToTree(cg.payload(labPve)));
        ha.receive(cgLab.topic("pve"), JSON.valueToTree(cgLab.payload(pve)));

        assertEquals(2 * 7, ha.uniqueIds().size(), "every entity of both devices: " + ha.uniqueIds());
        assertTrue(ha.uniqueIds().values().stream().allMatch(n -> n == 1), ha.uniqueIds().toString());
        assertTrue(!JSON.valueToTree(cg.payload(labPve)).at("/dev/identifiers").equals(
                JSON.valueToTree(cgLab.payload(pve)).at("/dev/identifiers")));
        // nor do the workers take each other's configs for their own
        assertTrue(cg.publishedHost(cgLab.topic("pve"), JSON.valueToTree(cgLab.payload(pve))).isEmpty());
        assertTrue(cgLab.publishedHost(cg.topic("lab_pve"), JSON.valueToTree(cg.payload(labPve))).isEmpty());
    }

    @Test
    void everyDeviceIdSplitsBackIntoItsBaseTopicAndHost() {
        List<String> bases = List.of("cubeguardian", "cg", "cg_lab", "cg__lab", "lab/attic", "lab_attic", "lab.attic",
                "lab-attic", "Lab/Attic", "a_", "_a", "x_X2F", "maison/étage", "cg_lab_", "a_1", "a__1", "ünï/çødé");
        List<String> hosts = List.of("pve", "lab_pve", "x", "xy", "lab-pve", "0", "x2f_pve", "a_b_c", "pve_");
        Set<String> seen = new java.util.HashSet<>();
        for (String base : bases) {
            for (String hostId : hosts) {
                String id = new DiscoveryConfig("homeassistant", base, "1", null).objectId(hostId);
                assertTrue(HomeAssistantRules.DISCOVERY_ID.matcher(id).matches(), id);
                assertEquals(List.of(base, hostId), splitDeviceId(id), id);
                assertTrue(seen.add(id), "two workers' devices share " + id);
            }
        }
    }

    /** The inverse of the device id's encoding (DeviceIds): proves no two (base, host) pairs share an id. */
    private static List<String> splitDeviceId(String id) {
        java.io.ByteArrayOutputStream base = new java.io.ByteArrayOutputStream();
        int i = 0;
        while (true) {
            char c = id.charAt(i);
            if (c != '_') {
                base.write(c);
                i++;
            } else if (id.charAt(i + 1) == '_') {
                base.write('_');
                i += 2;
            } else if (id.charAt(i + 1) == 'X') {
                base.write(Integer.parseInt(id.substring(i + 2, i + 4), 16));
                i += 4;
            } else {
                return List.of(base.toString(StandardCharsets.UTF_8), id.substring(i + 1));
            }
        }
    }

    @Test
    void theDefaultBaseTopicKeepsTheIdsOfEarlierVersions() {
        // upgrading users of a plain base topic keep their devices, entities and automations
        assertEquals(config.topic("pve"), config.legacyTopic("pve"));
        assertEquals("cubeguardian_pve", config.objectId("pve"));
        assertEquals("cubeguardian_pve_wake", payload("pve").at("/cmps/wake/unique_id").asText());
    }

    @Test
    void aConfigPublishedInTheOldFormatIsRecognisedAsThisWorkers() {
        DiscoveryConfig lab = new DiscoveryConfig("homeassistant", "cg_lab", "1", null);
        // what an earlier version published for cg_lab + pve: object id cg_lab_pve
        ObjectNode old = JSON.createObjectNode();
        old.putObject("cmps").putObject("wake").put("p", "button").put("command_topic", "cg_lab/pve/cmd/wake");
        assertEquals("homeassistant/device/cg_lab_pve/config", lab.legacyTopic("pve"));
        assertEquals(new DiscoveryConfig.Published("pve", true), lab.publishedHost(lab.legacyTopic("pve"), old).orElseThrow());
        // the same old topic held by worker cg for its host lab_pve is not cg_lab's
        ObjectNode otherWorkers = JSON.createObjectNode();
        otherWorkers.putObject("cmps").putObject("wake").put("command_topic", "cg/lab_pve/cmd/wake");
        assertTrue(lab.publishedHost(lab.legacyTopic("pve"), otherWorkers).isEmpty());
        assertEquals("homeassistant/device/cg__lab_pve/config", lab.topic("pve"));
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

        ObjectNode rebootAsPower = payload("pve").deepCopy();
        ((ObjectNode) rebootAsPower.at("/cmps/reboot")).put("device_class", "power");
        HomeAssistantRules.assertRejected(config.topic("pve"), rebootAsPower, "homeassistant", "is not a button device class");

        ObjectNode removedWithOptions = payload("nas").deepCopy();
        ((ObjectNode) removedWithOptions.at("/cmps/shutdown")).put("name", "Shut down");
        HomeAssistantRules.assertRejected(config.topic("nas"), removedWithOptions, "homeassistant", "cmps.shutdown: missing required unique_id");

        ObjectNode unknownPlatform = payload("nas").deepCopy();
        ((ObjectNode) unknownPlatform.at("/cmps/shutdown")).put("p", "buton");
        HomeAssistantRules.assertRejected(config.topic("nas"), unknownPlatform, "homeassistant", "platform missing");
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
        assertThrows(InvalidSettingException.class, () -> HomeAssistantSettings.from(Map.of(HomeAssistantSettings.SUPPORT_URL, "https://")::get));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.LinkedHashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
