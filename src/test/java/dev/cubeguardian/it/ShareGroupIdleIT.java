package dev.cubeguardian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.demo.MinecraftStatusResponder;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user turns idle shutdown off for tonight; the command reaches the share group's active
 * member only. When that member goes, the one that takes over must not shut the empty server
 * down: it learned the setting from the active member's retained host states, both when it
 * was running as a standby at the time and when it started after the command.
 */
class ShareGroupIdleIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void idleShutdownTurnedOffThroughTheActiveMemberStaysOffAfterATakeover() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (MosquittoBroker broker = new MosquittoBroker().start();
                TestSshServer ssh = new TestSshServer().start();
                MinecraftStatusResponder empty = new MinecraftStatusResponder(loopback, 0, () -> new MinecraftStatusResponder.Status(
                        "1.21.4", 769, 0, 20, List.of(), "Nobody here")).start();
                MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/#")) {
            Path hosts = dir.resolve("hosts.yaml");
            Files.writeString(hosts, "hosts:\n" + host("early", "aabbccddee31", ssh, empty.port())
                    + host("late", "aabbccddee32", ssh, empty.port()));
            try (WorkerUnderTest one = new WorkerUnderTest(member(broker, "one", hosts)).start()) {
                client.await(m -> m.topic().equals("cubeguardian/bridge/workers/one/info") && m.text().contains("\"role\":\"active\""), WAIT);
                // before the second member runs: it can only learn this from the retained state
                turnIdleOff(client, "early", "tonight-early");
                try (WorkerUnderTest two = new WorkerUnderTest(member(broker, "two", hosts)).start()) {
                    client.await(m -> m.topic().equals("cubeguardian/bridge/workers/two/info") && m.text().contains("\"role\":\"standby\""), WAIT);
                    // while the second member is a standby: it learns it from the live state
                    turnIdleOff(client, "late", "tonight-late");
                    Thread.sleep(1_000);   // the state's way to the standby

                    client.clear();
                    java.time.Instant takeover = java.time.Instant.now();
                    one.close();
                    client.await(m -> m.topic().equals("cubeguardian/bridge/workers/two/info") && m.text().contains("\"role\":\"active\""), WAIT);
                    // the new active member's own states (online since its first probe) say idle shutdown is off
                    for (String host : List.of("early", "late")) {
                        JsonNode state = client.await(m -> m.topic().equals("cubeguardian/" + host + "/state")
                                && m.json().path("state").asText().equals("online")
                                && java.time.Instant.parse(m.json().path("since").asText()).isAfter(takeover), WAIT).json();
                        assertEquals(false, state.at("/idle/enabled").asBoolean(true), host + ": " + state);
                    }
                    // past the idle time and the grace, counted from the takeover: nothing shuts them down
                    Thread.sleep(Math.max(0, 12_000 - java.time.Duration.between(takeover, java.time.Instant.now()).toMillis()) + 2_000);
                    assertEquals(List.of(), client.all(m -> m.topic().endsWith("/cmd/shutdown")).stream().map(m -> m.text()).toList());
                    assertEquals(List.of(), ssh.executed());
                    assertFalse(client.all(m -> m.topic().endsWith("/event")).stream()
                            .anyMatch(m -> m.json().path("type").asText().equals("idle_warning")), "no idle countdown after the takeover");
                }
            }
        }
    }

    private static void turnIdleOff(MqttProbeClient client, String host, String id) throws Exception {
        client.publish("cubeguardian/" + host + "/cmd/idle", "{\"id\":\"" + id + "\",\"enabled\":false,\"for_minutes\":240}");
        assertEquals("IDLE_UPDATED", client.result("cubeguardian/" + host + "/result/idle", id, WAIT).path("code").asText());
        client.await(m -> m.topic().equals("cubeguardian/" + host + "/state") && m.json().path("idle").path("enabled").isBoolean()
                && !m.json().at("/idle/enabled").asBoolean(), WAIT);
    }

    private static Map<String, String> member(MosquittoBroker broker, String id, Path hosts) {
        return new HashMap<>(Map.of("cubeguardian.mqtt.url", broker.url(),
                "cubeguardian.mqtt.client-id", "group-idle-it", "cubeguardian.hosts-file", hosts.toString(),
                "cubeguardian.data-dir", "none", "cubeguardian.worker-id", id, "cubeguardian.share-group", "idle",
                "cubeguardian.ha.discovery", "false", "cubeguardian.monitor.fast-interval", "200ms",
                "cubeguardian.monitor.steady-interval", "1s"));
    }

    private String host(String id, String mac, TestSshServer ssh, int minecraftPort) throws Exception {
        Path keys = TestSshServer.KEYS.toAbsolutePath();
        return "  " + id + ":\n    mac: \"" + mac + "\"\n    address: 127.0.0.1\n"
                + "    wol: {broadcast: 127.0.0.1, port: 9}\n"
                + "    probe: {method: tcp, port: " + ssh.port() + ", timeout: 1s}\n"
                + "    ssh:\n      port: " + ssh.port() + "\n      user: " + id + "\n      key-file: " + keys.resolve("client_ed25519")
                + "\n      known-hosts-file: " + ssh.knownHosts(dir, "host_ed25519") + "\n"
                + "    minecraft: {port: " + minecraftPort + ", timeout: 1s}\n"
                + "    idle: {enabled: true, after: 4s, minimum-uptime: 0s, grace: 4s}\n";
    }
}
