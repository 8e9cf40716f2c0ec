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
