package dev.cubeguardian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.demo.MinecraftStatusResponder;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle auto-shutdown end to end: a game nobody plays on is shut down through the same command
 * path as a user's shutdown (same result, same SSH command); a player joining during the grace
 * period calls it off.
 */
class IdleShutdownIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void anIdleServerIsShutDownAndAJoinDuringTheGraceCancelsIt() throws Exception {
        AtomicReference<List<String>> quietPlayers = new AtomicReference<>(List.of());
        AtomicReference<List<String>> joiningPlayers = new AtomicReference<>(List.of());
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (MosquittoBroker broker = new MosquittoBroker().start();
                TestSshServer ssh = new TestSshServer().start();
                MinecraftStatusResponder quiet = new MinecraftStatusResponder(loopback, 0, () -> status(quietPlayers.get())).start();
                MinecraftStatusResponder joining = new MinecraftStatusResponder(loopback, 0, () -> status(joiningPlayers.get())).start()) {
            Path hosts = dir.resolve("hosts.yaml");
            Files.writeString(hosts, "hosts:\n"
                    + host("quiet", "aabbccddee21", ssh, quiet.port())
                    + host("joining", "aabbccddee22", ssh, joining.port()));
            try (MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/#");
                    WorkerUnderTest worker = new WorkerUnderTest(Map.of(
                            "cubeguardian.mqtt.url", broker.url(),
                            "cubeguardian.mqtt.client-id", "idle-it",
                            "cubeguardian.hosts-file", hosts.toString(),
                            "cubeguardian.monitor.fast-interval", "200ms",
                            "cubeguardian.monitor.steady-interval", "1s")).start()) {

                // Both servers idle: each gets a warning with the grace period
                JsonNode warning = event(client, "joining", "idle_warning");
                assertEquals(3, warning.get("shutdown_in_s").asInt());
                event(client, "quiet", "idle_warning");

                // A player joins one of them during the grace period
                joiningPlayers.set(List.of("alice"));
                assertEquals("alice", event(client, "joining", "player_joined").get("player").asText());
                assertEquals("player_joined", event(client, "joining", "idle_cancelled").get("reason").asText());

                // The other is shut down through the normal command path, answered like any command
                JsonNode result = client.await(m -> m.topic().equals("cubeguardian/quiet/result/shutdown"), WAIT).json();
                assertEquals("SHUTDOWN_SENT", result.get("code").asText());
                assertTrue(result.get("id").asText().startsWith("idle-"), result.get("id").asText());
                JsonNode command = client.await(m -> m.topic().equals("cubeguardian/quiet/cmd/shutdown"), WAIT).json();
                assertEquals("cubeguardian:idle", command.get("requested_by").asText());
                assertEquals(List.of(new TestSshServer.Executed("quiet", "shutdown -h now")),
                        ssh.executed().stream().filter(e -> e.user().equals("quiet")).toList());

                Thread.sleep(4_000); // past the joined server's grace period
                assertEquals(List.of(), ssh.executed().stream().filter(e -> e.user().equals("joining")).toList());
                assertEquals(0, client.all(m -> m.topic().equals("cubeguardian/joining/cmd/shutdown")).size());
            }
        }
    }

    @Test
    void idleShutdownSwitchedOffAtRunTimeCancelsTheCountdownAndComesBackWhenSwitchedOn() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (MosquittoBroker broker = new MosquittoBroker().start();
                TestSshServer ssh = new TestSshServer().start();
                MinecraftStatusResponder empty = new MinecraftStatusResponder(loopback, 0, () -> status(List.of())).start()) {
            Path hosts = dir.resolve("hosts.yaml");
            Files.writeString(hosts, "hosts:\n" + host("tonight", "aabbccddee23", ssh, empty.port())
                    + "  plain:\n    mac: \"aabbccddee24\"\n    address: 127.0.0.1\n    wol: {broadcast: 127.0.0.1, port: 9}\n");
            try (MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/#");
                    WorkerUnderTest worker = new WorkerUnderTest(Map.of(
                            "cubeguardian.mqtt.url", broker.url(),
                            "cubeguardian.mqtt.client-id", "idle-switch-it",
                            "cubeguardian.hosts-file", hosts.toString(),
                            "cubeguardian.monitor.fast-interval", "200ms",
                            "cubeguardian.monitor.steady-interval", "1s")).start()) {
                // Given an empty server whose idle countdown has begun
                event(client, "tonight", "idle_warning");

                // When a user keeps it up tonight: idle shutdown off for 4 hours
                client.publish("cubeguardian/tonight/cmd/idle", "{\"id\":\"keep-up\",\"enabled\":false,\"for_minutes\":240}");
                JsonNode off = client.result("cubeguardian/tonight/result/idle", "keep-up", WAIT);
                assertEquals("IDLE_UPDATED", off.path("code").asText());
                assertEquals(false, off.at("/details/enabled").asBoolean(true));
                assertTrue(off.path("message").asText().startsWith("Idle shutdown of tonight is off until 20"), off.toString());

                // Then the countdown is called off, the state says so, and nothing shuts it down
                assertEquals("idle_disabled", event(client, "tonight", "idle_cancelled").get("reason").asText());
                JsonNode state = client.await(m -> m.topic().equals("cubeguardian/tonight/state")
                        && m.json().path("idle").path("enabled").isBoolean() && !m.json().at("/idle/enabled").asBoolean(), WAIT).json();
                assertEquals(off.at("/details/until").asText(), state.at("/idle/until").asText());
                Thread.sleep(5_000); // past the 1 s idle time and the 3 s grace
                assertEquals(List.of(), ssh.executed().stream().filter(e -> e.user().equals("tonight")).toList());

                // When it is switched on again, the idle shutdown takes its course
                client.publish("cubeguardian/tonight/cmd/idle", "{\"id\":\"back-on\",\"enabled\":true}");
                assertEquals("IDLE_UPDATED", client.result("cubeguardian/tonight/result/idle", "back-on", WAIT).path("code").asText());
                client.await(m -> m.topic().equals("cubeguardian/tonight/state") && m.json().at("/idle/enabled").asBoolean(false)
                        && m.json().at("/idle/until").isNull(), WAIT);
                JsonNode shutdown = client.await(m -> m.topic().equals("cubeguardian/tonight/result/shutdown"), WAIT).json();
                assertEquals("SHUTDOWN_SENT", shutdown.path("code").asText());

                // and bad requests are answered, not guessed at
                client.publish("cubeguardian/tonight/cmd/idle", "{\"id\":\"no-flag\"}");
                JsonNode missing = client.result("cubeguardian/tonight/result/idle", "no-flag", WAIT);
                assertEquals("INVALID_COMMAND", missing.path("code").asText());
                assertEquals("missing", missing.at("/details/reason").asText());
                assertEquals("enabled", missing.at("/details/field").asText());
                client.publish("cubeguardian/tonight/cmd/idle", "{\"id\":\"too-long\",\"enabled\":false,\"for_minutes\":10081}");
                assertEquals("out_of_range", client.result("cubeguardian/tonight/result/idle", "too-long", WAIT).at("/details/reason").asText());
                client.publish("cubeguardian/tonight/cmd/idle", "{\"id\":\"as-text\",\"enabled\":\"false\"}");
                assertEquals("not_boolean", client.result("cubeguardian/tonight/result/idle", "as-text", WAIT).at("/details/reason").asText());
                client.publish("cubeguardian/plain/cmd/idle", "{\"id\":\"no-idle\",\"enabled\":false}");
                JsonNode noIdle = client.result("cubeguardian/plain/result/idle", "no-idle", WAIT);
                assertEquals("UNKNOWN_ACTION", noIdle.path("code").asText());
            }
        }
    }

    private static MinecraftStatusResponder.Status status(List<String> players) {
        return new MinecraftStatusResponder.Status("1.21.4", 769, players.size(), 20, players, "Idle test");
    }

    private String host(String id, String mac, TestSshServer ssh, int minecraftPort) throws Exception {
        Path keys = TestSshServer.KEYS.toAbsolutePath();
        return "  " + id + ":\n    mac: \"" + mac + "\"\n    address: 127.0.0.1\n"
                + "    wol: {broadcast: 127.0.0.1, port: 9}\n"
                + "    probe: {method: tcp, port: " + ssh.port() + ", timeout: 1s}\n"
                + "    ssh:\n      port: " + ssh.port() + "\n      user: " + id + "\n      key-file: " + keys.resolve("client_ed25519")
                + "\n      known-hosts-file: " + ssh.knownHosts(dir, "host_ed25519") + "\n"
                + "    minecraft: {port: " + minecraftPort + ", timeout: 1s}\n"
                + "    idle: {enabled: true, after: 1s, minimum-uptime: 0s, grace: 3s}\n";
    }

    private static JsonNode event(MqttProbeClient client, String host, String type) throws InterruptedException {
        return client.await(m -> m.topic().equals("cubeguardian/" + host + "/event") && type.equals(m.json().path("type").asText()),
                WAIT).json();
    }
}
