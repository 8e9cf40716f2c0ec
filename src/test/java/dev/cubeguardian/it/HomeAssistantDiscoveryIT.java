package dev.cubeguardian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.homeassistant.HomeAssistantDevices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Home Assistant MQTT discovery as HA sees it: a real Mosquitto, the real worker, and a client
 * that plays Home Assistant (reads the retained configs, sends the birth message, presses a button).
 */
class HomeAssistantDiscoveryIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String DEMO_TOPIC = "homeassistant/device/cubeguardian_demo/config";

    @TempDir
    Path dir;

    /** The demo host's config, exactly; the version is whatever bridge/info says (the jar's, or "dev"). */
    private static String expectedDemoConfig(String version) {
        String press = "\"payload_press\":\"{\\\"requested_by\\\":\\\"homeassistant\\\"}\"";
        return "{\"dev\":{\"identifiers\":[\"cubeguardian_demo\"],\"name\":\"Demo server\",\"manufacturer\":\"CubeGuardian\","
                + "\"model\":\"Host with Minecraft server\",\"sw_version\":\"" + version + "\"},"
                + "\"o\":{\"name\":\"CubeGuardian\",\"sw_version\":\"" + version + "\"},"
                + "\"availability\":[{\"topic\":\"cubeguardian/bridge/state\",\"payload_available\":\"online\",\"payload_not_available\":\"offline\"}],"
                + "\"cmps\":{"
                + "\"wake\":{\"p\":\"button\",\"unique_id\":\"cubeguardian_demo_wake\",\"name\":\"Wake\",\"icon\":\"mdi:power\","
                + "\"command_topic\":\"cubeguardian/demo/cmd/wake\"," + press + ",\"qos\":1},"
                + "\"shutdown\":{\"p\":\"button\",\"unique_id\":\"cubeguardian_demo_shutdown\",\"name\":\"Shut down\",\"icon\":\"mdi:power-off\","
                + "\"command_topic\":\"cubeguardian/demo/cmd/shutdown\"," + press + ",\"qos\":1},"
                + "\"cancel\":{\"p\":\"button\",\"unique_id\":\"cubeguardian_demo_cancel\",\"name\":\"Cancel shutdown\",\"icon\":\"mdi:cancel\","
                + "\"command_topic\":\"cubeguardian/demo/cmd/cancel\"," + press + ",\"qos\":1},"
                + "\"reboot\":{\"p\":\"button\",\"unique_id\":\"cubeguardian_demo_reboot\",\"name\":\"Restart\",\"icon\":\"mdi:restart\","
                + "\"command_topic\":\"cubeguardian/demo/cmd/reboot\"," + press + ",\"device_class\":\"restart\",\"qos\":1},"
                + "\"idle\":{\"p\":\"switch\"},"
                + "\"power\":{\"p\":\"binary_sensor\",\"unique_id\":\"cubeguardian_demo_power\",\"name\":\"Power\",\"device_class\":\"power\","
                + "\"state_topic\":\"cubeguardian/demo/state\","
                + "\"value_template\":\"{{ 'ON' if value_json.state in ['starting', 'online', 'stopping'] else 'OFF' }}\",\"qos\":1},"
                + "\"state\":{\"p\":\"sensor\",\"unique_id\":\"cubeguardian_demo_state\",\"name\":\"State\",\"device_class\":\"enum\","
                + "\"options\":[\"off\",\"waking\",\"starting\",\"online\",\"stopping\",\"unreachable\",\"unknown\"],\"icon\":\"mdi:server\","
                + "\"state_topic\":\"cubeguardian/demo/state\",\"value_template\":\"{{ value_json.state }}\","
                + "\"json_attributes_topic\":\"cubeguardian/demo/state\",\"json_attributes_template\":\"{{ {'since': value_json.since} | tojson }}\",\"qos\":1},"
                + "\"players_online\":{\"p\":\"sensor\",\"unique_id\":\"cubeguardian_demo_players_online\",\"name\":\"Players online\","
                + "\"state_class\":\"measurement\",\"icon\":\"mdi:account-multiple\",\"state_topic\":\"cubeguardian/demo/state\","
                + "\"value_template\":\"{{ value_json.service.players_online if value_json.service and value_json.service.players_online is not none else 0 }}\","
                + "\"json_attributes_topic\":\"cubeguardian/demo/state\","
                + "\"json_attributes_template\":\"{{ {'players': value_json.service.players if value_json.service else [],"
                + " 'players_max': value_json.service.players_max if value_json.service else none,"
                + " 'motd': value_json.service.motd if value_json.service else none} | tojson }}\",\"qos\":1},"
                + "\"version\":{\"p\":\"sensor\",\"unique_id\":\"cubeguardian_demo_version\",\"name\":\"Server version\","
                + "\"entity_category\":\"diagnostic\",\"icon\":\"mdi:minecraft\",\"state_topic\":\"cubeguardian/demo/state\","
                + "\"value_template\":\"{{ value_json.last_version if value_json.last_version else 'None' }}\",\"qos\":1},"
                + "\"shutdown_at\":{\"p\":\"sensor\",\"unique_id\":\"cubeguardian_demo_shutdown_at\",\"name\":\"Scheduled shutdown\","
                + "\"device_class\":\"timestamp\",\"icon\":\"mdi:timer-sand\",\"state_topic\":\"cubeguardian/demo/state\","
                + "\"value_template\":\"{{ value_json.shutdown_at if value_json.shutdown_at else 'None' }}\",\"qos\":1},"
                + "\"wake_next\":{\"p\":\"sensor\"},\"shutdown_next\":{\"p\":\"sensor\"}"
                + "}}";
    }

    @Test
    void homeAssistantFindsTheDemoHostAgainAfterItsBirthMessageAndItsWakeButtonWakes() throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker().start()) {
            Map<String, String> settings = new HashMap<>();
            settings.put("cubeguardian.mqtt.url", broker.url());
            settings.put("cubeguardian.mqtt.client-id", "ha-it-" + UUID.randomUUID().toString().substring(0, 8));
            settings.put("cubeguardian.demo.boot-seconds", "2");
            settings.put("cubeguardian.monitor.fast-interval", "200ms");
            settings.put("cubeguardian.monitor.steady-interval", "2s");
            try (WorkerUnderTest worker = new WorkerUnderTest(settings).start();
                    MqttProbeClient live = new MqttProbeClient(broker.url(), "homeassistant/#", "cubeguardian/#")) {
                String version = live.await(m -> m.topic().equals("cubeguardian/bridge/info"), WAIT).json().get("version").asText();
                String expected = expectedDemoConfig(version);

                // Given Home Assistant subscribing after the worker announced itself: the config is
                // retained, exactly this (the worker announces asynchronously after its start, so the
                // first client may see it live: a client that subscribes afterwards is the test)
                live.await(m -> m.topic().equals(DEMO_TOPIC), WAIT);
                MqttProbeClient.Received retained;
                try (MqttProbeClient late = new MqttProbeClient(broker.url(), DEMO_TOPIC)) {
                    retained = late.await(m -> m.topic().equals(DEMO_TOPIC), WAIT);
                }
                assertTrue(retained.retained(), "the discovery config is retained");
                assertEquals(expected, retained.text());
                assertEquals(1, live.all(m -> m.topic().startsWith("homeassistant/device/")).size(), "one device, one message");

                // When Home Assistant (re)starts and sends its birth message, the config comes again, live
                live.clear();
                live.publish("homeassistant/status", "online");
                MqttProbeClient.Received again = live.await(m -> m.topic().equals(DEMO_TOPIC), WAIT);
                assertEquals(false, again.retained(), "a live republish, not the broker's stored copy");
                assertEquals(expected, again.text());
                // anything else on the status topic is not a reason to republish
                live.clear();
                live.publish("homeassistant/status", "offline");
                Thread.sleep(1_000);
                assertEquals(0, live.all(m -> m.topic().equals(DEMO_TOPIC)).size());

                // When the Wake button is pressed: HA publishes payload_press on command_topic
                JsonNode wake = again.json().at("/cmps/wake");
                live.publish(wake.get("command_topic").asText(), wake.get("payload_press").asText());
                JsonNode result = live.await(m -> m.topic().equals("cubeguardian/demo/result/wake"), WAIT).json();
                assertEquals("WOL_SENT", result.get("code").asText());
                assertTrue(result.get("success").asBoolean());
                // and the power binary sensor's source, the retained state, follows the wake
                JsonNode online = live.await(m -> m.topic().equals("cubeguardian/demo/state")
                        && "online".equals(m.json().path("state").asText()), WAIT).json();
                // the version sensor's field: what a Home Assistant restarting later reads from the retained state
                assertTrue(online.get("last_version").isTextual(), online.toString());
                assertEquals(online.at("/service/version").asText(), online.get("last_version").asText());
            }
        }
    }

    @Test
    void aHostThatLeftTheInventoryLosesItsConfigAndTurningDiscoveryOffRemovesTheRest() throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker().start()) {
            Path twoHosts = hostsFile("two.yaml", "alpha", "beta");
            Path oneHost = hostsFile("one.yaml", "alpha");
            Map<String, String> settings = new HashMap<>(Map.of("cubeguardian.mqtt.url", broker.url(),
                    "cubeguardian.mqtt.client-id", "ha-removal-it", "cubeguardian.hosts-file", twoHosts.toString()));
            String alpha = "homeassistant/device/cubeguardian_alpha/config";
            String beta = "homeassistant/device/cubeguardian_beta/config";
            try (MqttProbeClient live = new MqttProbeClient(broker.url(), "homeassistant/#")) {
                // Given a worker that published configs for alpha and beta, then stopped
                try (WorkerUnderTest first = new WorkerUnderTest(settings).start()) {
                    live.await(m -> m.topic().equals(alpha) && m.payload().length > 0, WAIT);
                    live.await(m -> m.topic().equals(beta) && m.payload().length > 0, WAIT);
                }
                assertRetained(broker, Map.of(alpha, true, beta, true));
                live.clear();

                // When it starts again with beta gone from the inventory
                settings.put("cubeguardian.hosts-file", oneHost.toString());
                try (LogLines log = new LogLines(); WorkerUnderTest second = new WorkerUnderTest(settings).start()) {
                    // Then beta's config is emptied (HA removes the device) and alpha's, unchanged, stays as it was
                    live.await(m -> m.topic().equals(beta) && m.payload().length == 0, WAIT);
                    log.await("Home Assistant discovery: 0 config(s) published, 1 already on the broker unchanged", WAIT);
                    assertEquals(0, live.all(m -> m.topic().equals(alpha) && m.payload().length == 0).size());
                    assertRetained(broker, Map.of(alpha, true, beta, false));
                }
                live.clear();

                // When discovery is turned off, what the worker published before is removed too
                settings.put("cubeguardian.ha.discovery", "false");
                try (WorkerUnderTest third = new WorkerUnderTest(settings).start()) {
                    live.await(m -> m.topic().equals(alpha) && m.payload().length == 0, WAIT);
                    assertRetained(broker, Map.of(alpha, false, beta, false));
                }
            }
        }
    }

    @Test
    void aRestartWithTheSameInventorySendsNoConfigAgainAndANewHostOnlyItsOwn() throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker().start()) {
            Path two = hostsFile("two.yaml", "alpha", "beta");
            Map<String, String> settings = new HashMap<>(Map.of("cubeguardian.mqtt.url", broker.url(),
                    "cubeguardian.mqtt.client-id", "ha-restart-it", "cubeguardian.hosts-file", two.toString()));
            String alpha = "homeassistant/device/cubeguardian_alpha/config";
            String beta = "homeassistant/device/cubeguardian_beta/config";
            String gamma = "homeassistant/device/cubeguardian_gamma/config";
            try (MqttProbeClient live = new MqttProbeClient(broker.url(), "homeassistant/#", "cubeguardian/+/state");
                    LogLines log = new LogLines()) {
                // Given the configs a first run published (1.5 KB each: 15 MB for 10,000 hosts)
                try (WorkerUnderTest first = new WorkerUnderTest(settings).start()) {
                    live.await(m -> m.topic().equals(alpha) && m.payload().length > 0, WAIT);
                    live.await(m -> m.topic().equals(beta) && m.payload().length > 0, WAIT);
                }
                live.clear();

                // When the worker starts again with the same inventory
                log.clear();
                try (WorkerUnderTest second = new WorkerUnderTest(settings).start()) {
                    live.await(m -> m.topic().equals("cubeguardian/alpha/state"), WAIT);
                    live.await(m -> m.topic().equals("cubeguardian/beta/state"), WAIT);
                    log.await("Home Assistant discovery: 0 config(s) published, 2 already on the broker unchanged", WAIT);
                    Thread.sleep(1_000);
                    // Then it sends none of them again, and Home Assistant still finds both
                    assertEquals(List.of(), live.all(m -> m.topic().startsWith("homeassistant/")).stream().map(MqttProbeClient.Received::topic).toList());
                    assertRetained(broker, Map.of(alpha, true, beta, true));
                }
                live.clear();

                // When a host joins the inventory: only its config goes out
                log.clear();
                settings.put("cubeguardian.hosts-file", hostsFile("three.yaml", "alpha", "beta", "gamma").toString());
                try (WorkerUnderTest third = new WorkerUnderTest(settings).start()) {
                    live.await(m -> m.topic().equals(gamma) && m.payload().length > 0, WAIT);
                    log.await("Home Assistant discovery: 1 config(s) published, 2 already on the broker unchanged", WAIT);
                    assertEquals(List.of(gamma), live.all(m -> m.topic().startsWith("homeassistant/")).stream().map(MqttProbeClient.Received::topic).toList());
                }
                live.clear();

                // When Home Assistant restarts (its birth message): every config again, at once
                log.clear();
                try (WorkerUnderTest fourth = new WorkerUnderTest(settings).start();
                        MqttProbeClient ha = new MqttProbeClient(broker.url(), "ha-it/unused")) {
                    log.await("Home Assistant discovery: 0 config(s) published, 3 already on the broker unchanged", WAIT);
                    ha.publish("homeassistant/status", "online");
                    for (String topic : List.of(alpha, beta, gamma)) {
                        live.await(m -> m.topic().equals(topic) && m.payload().length > 0, WAIT);
                    }
                }
            }
        }
    }

    @Test
    void aHostThatLostItsGameAndIdleSectionsLosesThoseEntitiesInHomeAssistant() throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker().start()) {
            Path full = hostsFile("full.yaml", "alpha");
            Files.writeString(full, Files.readString(full) + "    minecraft: {address: 127.0.0.1, port: " + MosquittoBroker.freePort()
                    + ", timeout: 300ms}\n    idle: {enabled: true}\n");
            Path plain = hostsFile("plain.yaml", "alpha");
            Map<String, String> settings = new HashMap<>(Map.of("cubeguardian.mqtt.url", broker.url(),
                    "cubeguardian.mqtt.client-id", "ha-edit-it", "cubeguardian.hosts-file", full.toString()));
            String alpha = "homeassistant/device/cubeguardian_alpha/config";
            try (MqttProbeClient live = new MqttProbeClient(broker.url(), "homeassistant/#")) {
                // Given Home Assistant with alpha's device as a worker published it with a game and idle shutdown
                HomeAssistantDevices ha = new HomeAssistantDevices();
                try (WorkerUnderTest first = new WorkerUnderTest(settings).start()) {
                    ha.receive(alpha, live.await(m -> m.topic().equals(alpha) && m.json().at("/cmps/idle").size() > 1, WAIT).payload());
                }
                assertEquals(java.util.Set.of("wake", "idle", "power", "state", "players_online", "version"), ha.components("cubeguardian_alpha"));

                // When the worker restarts with both sections gone from alpha
                settings.put("cubeguardian.hosts-file", plain.toString());
                try (WorkerUnderTest second = new WorkerUnderTest(settings).start()) {
                    ha.receive(alpha, live.await(m -> m.topic().equals(alpha) && m.json().at("/cmps/idle").size() == 1, WAIT).payload());
                }

                // Then Home Assistant drops the switch and the game sensors
                assertEquals(java.util.Set.of("wake", "power", "state"), ha.components("cubeguardian_alpha"));
            }
        }
    }

    @Test
    void anUpgradedWorkerReplacesTheConfigsItPublishedInTheOldFormatAndLeavesOthersAlone() throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker().start()) {
            // Given what an earlier version with base topic cg_lab left on the broker (alpha and the
            // since removed beta), and the config a worker with base cg published for its host lab_gamma
            String oldAlpha = "homeassistant/device/cg_lab_alpha/config";
            String oldBeta = "homeassistant/device/cg_lab_beta/config";
            String othersGamma = "homeassistant/device/cg_lab_gamma/config";
            try (MqttProbeClient seed = new MqttProbeClient(broker.url(), "ha-it/unused")) {
                seed.publishRetained(oldAlpha, oldFormat("cg_lab", "alpha"));
                seed.publishRetained(oldBeta, oldFormat("cg_lab", "beta"));
                seed.publishRetained(othersGamma, oldFormat("cg", "lab_gamma"));
            }
            Map<String, String> settings = new HashMap<>(Map.of("cubeguardian.mqtt.url", broker.url(),
                    "cubeguardian.mqtt.client-id", "ha-upgrade-it", "cubeguardian.base-topic", "cg_lab",
                    "cubeguardian.hosts-file", hostsFile("one.yaml", "alpha").toString()));
            String newAlpha = "homeassistant/device/cg__lab_alpha/config";
            try (MqttProbeClient live = new MqttProbeClient(broker.url(), "homeassistant/#");
                    WorkerUnderTest worker = new WorkerUnderTest(settings).start()) {
                // Then both old configs are cleared, alpha's new one is there, and cg's is untouched
                live.await(m -> m.topic().equals(oldAlpha) && m.payload().length == 0, WAIT);
                live.await(m -> m.topic().equals(oldBeta) && m.payload().length == 0, WAIT);
                MqttProbeClient.Received last = live.await(m -> m.topic().equals(newAlpha) && m.payload().length > 0, WAIT);
                assertEquals("cg_lab/alpha/cmd/wake", last.json().at("/cmps/wake/command_topic").asText());
                assertRetained(broker, Map.of(oldAlpha, false, oldBeta, false, othersGamma, true, newAlpha, true));
                assertEquals(0, live.all(m -> m.topic().equals(othersGamma) && m.payload().length == 0).size());

                // and Home Assistant, fed everything in order, ends with alpha's new device and cg's
                HomeAssistantDevices ha = new HomeAssistantDevices();
                live.all(m -> m.topic().startsWith("homeassistant/device/")).forEach(m -> ha.receive(m.topic(), m.payload()));
                assertTrue(ha.components("cg_lab_alpha").isEmpty() && ha.components("cg_lab_beta").isEmpty());
                assertEquals(java.util.Set.of("wake", "power", "state"), ha.components("cg__lab_alpha"));
                assertEquals(java.util.Set.of("wake"), ha.components("cg_lab_gamma"));
            }
        }
    }

    /** A device config as versions before the unambiguous device ids published it (shortened). */
    private static String oldFormat(String base, String host) {
        String id = base + "_" + host;
        return "{\"dev\":{\"identifiers\":[\"" + id + "\"],\"name\":\"" + host + "\"},\"o\":{\"name\":\"CubeGuardian\"},\"qos\":1,"
                + "\"cmps\":{\"wake\":{\"p\":\"button\",\"unique_id\":\"" + id + "_wake\",\"name\":\"Wake\","
                + "\"command_topic\":\"" + base + "/" + host + "/cmd/wake\",\"payload_press\":\"{}\"}}}";
    }

    /** What a newly subscribing Home Assistant gets: the retained configs, checked against a marker published after them. */
    private static void assertRetained(MosquittoBroker broker, Map<String, Boolean> expected) throws Exception {
        try (MqttProbeClient marker = new MqttProbeClient(broker.url(), "ha-it/unused");
                MqttProbeClient fresh = new MqttProbeClient(broker.url(), "homeassistant/device/+/config", "ha-it/marker")) {
            marker.publish("ha-it/marker", "x");
            // retained messages come right after the subscription, so before the marker
            fresh.await(m -> m.topic().equals("ha-it/marker"), WAIT);
            expected.forEach((topic, present) -> assertEquals(present,
                    !fresh.all(m -> m.topic().equals(topic) && m.retained() && m.payload().length > 0).isEmpty(),
                    topic + " retained on the broker"));
        }
    }

    private Path hostsFile(String name, String... hosts) throws Exception {
        StringBuilder yaml = new StringBuilder("hosts:\n");
        int n = 1;
        for (String host : hosts) {
            // loopback, a closed TCP port: the host looks off; Wake-on-LAN goes to a discard port on loopback
            yaml.append("  ").append(host).append(":\n    mac: \"AA:BB:CC:DD:EE:0").append(n++).append("\"\n")
                    .append("    address: 127.0.0.1\n")
                    .append("    wol: {broadcast: 127.0.0.1, port: ").append(MosquittoBroker.freePort()).append(", packets: 1}\n")
                    .append("    probe: {method: tcp, port: ").append(MosquittoBroker.freePort()).append(", timeout: 300ms}\n");
        }
        return Files.writeString(dir.resolve(name), yaml.toString());
    }
}
