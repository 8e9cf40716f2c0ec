package dev.cubeguardian.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cubeguardian.it.MagicPacketReceiver;
import dev.cubeguardian.it.MosquittoBroker;
import dev.cubeguardian.it.MqttProbeClient;
import dev.cubeguardian.it.TestSshServer;
import dev.cubeguardian.it.WorkerUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Wake on connect, the whole story, with independent Minecraft implementations on both sides of
 * the gateway: minecraft-protocol's client pings and logs in, a mineflayer bot joins, and
 * minecraft-protocol's server is the real server behind the gateway. The broker is a real
 * Mosquitto, the SSH server a real MINA server, the magic packet a real UDP datagram on loopback.
 */
@ExtendWith(NamedFailures.class)
class GatewayStoryIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String HOST = "story";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static Stream<String> versions() throws Exception {
        return Stream.of("1.8.8", "1.12.2", "1.16.5", "1.20.4", PeerVersions.get().newest());
    }

    @Test
    void aPlayerWakesTheHostByJoiningPlaysThroughTheGatewayAndIdleShutdownFollowsWhenTheyLeave() throws Exception {
        String version = "1.20.4";
        int minecraftPort = MosquittoBroker.freePort();
        int gatewayPort = MosquittoBroker.freePort();
        try (MosquittoBroker broker = new MosquittoBroker().start();
                TestSshServer ssh = new TestSshServer().start();
                MagicPacketReceiver nic = new MagicPacketReceiver();
                MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/#");
                WorkerUnderTest worker = worker(broker, inventory(ssh, nic, minecraftPort, gatewayPort)).start()) {
            awaitState(client, "off");
            // idle shutdown waits until the player has come and gone (the switch of cmd/idle)
            client.publish("cubeguardian/" + HOST + "/cmd/idle", "{\"id\":\"idle-off\",\"enabled\":false}");
            client.result("cubeguardian/" + HOST + "/result/idle", "idle-off", WAIT);

            // 1. The server list shows it asleep, with the client's own protocol number
            JsonNode sleeping = ping(gatewayPort, version).path("response");
            assertEquals("Sleeping - join to wake it up", sleeping.at("/description/text").asText(), sleeping.toString());
            assertEquals(765, sleeping.at("/version/protocol").asInt(), sleeping.toString());
            assertEquals(0, sleeping.at("/players/online").asInt());

            // 2. Joining wakes it: the player is told to come back, one magic packet goes out
            JsonNode kicked = login(gatewayPort, version, "alice");
            String reason = JSON.readTree(kicked.path("reason").asText()).path("text").asText();
            assertTrue(reason.startsWith("Story server is starting up. Join again in about"), reason);
            JsonNode wake = client.await(m -> m.topic().equals("cubeguardian/" + HOST + "/cmd/wake"), WAIT).json();
            assertEquals("gateway:alice", wake.path("requested_by").asText());
            assertTrue(wake.path("id").asText().startsWith("gw-"), wake.toString());
            assertEquals(1, nic.awaitPackets(1, WAIT).size());
            assertEquals("wake_requested", gatewayLogin(client, "alice").path("outcome").asText());

            // 3. The host boots: the real server comes up where minecraft.address:port says
            try (NodePeer server = NodePeer.start("server.js", "--port", Integer.toString(minecraftPort), "--version", version,
                    "--motd", "The real server", "--max-players", "12")) {
                server.awaitEvent("listening", WAIT);
                awaitState(client, "online");

                // 4. A bot joins through the gateway, reaches the real server and is counted
                try (NodePeer bot = NodePeer.start("bot.js", "--port", Integer.toString(gatewayPort), "--version", version,
                        "--username", "bob", "--stay-ms", "4000")) {
                    bot.awaitEvent("spawn", WAIT);
                    assertEquals("bob", server.awaitEvent("join", WAIT).path("username").asText());
                    assertEquals("proxied", gatewayLogin(client, "bob").path("outcome").asText());
                    JsonNode players = client.await(m -> m.topic().equals("cubeguardian/" + HOST + "/event")
                            && "players".equals(m.json().path("type").asText()), WAIT).json();
                    assertEquals(1, players.path("players_online").asInt(), players.toString());
                    assertEquals(0, bot.awaitExit(WAIT), bot.describe());
                }
                assertEquals("bob", server.awaitEvent("leave", WAIT).path("username").asText());
                assertEquals(1, nic.packets().size(), "no second wake while the server was up");

                // 5. Nobody plays any more: idle shutdown, through the broker and SSH
                client.publish("cubeguardian/" + HOST + "/cmd/idle", "{\"id\":\"idle-on\",\"enabled\":true}");
                JsonNode shutdown = client.await(m -> m.topic().equals("cubeguardian/" + HOST + "/result/shutdown"), WAIT).json();
                assertEquals("SHUTDOWN_SENT", shutdown.path("code").asText(), shutdown.toString());
                assertEquals(List.of(new TestSshServer.Executed(HOST, "shutdown -h now")), ssh.executed());
            }
            // the host powers off with its server: the "off" after the shutdown, not the one of step 1 (the client keeps
            // every message, and the gateway said "Shutting down" while the host was still stopping)
            awaitStateAfter(client, "off", m -> m.topic().equals("cubeguardian/" + HOST + "/result/shutdown"));
            assertEquals("Sleeping - join to wake it up", ping(gatewayPort, version).at("/response/description/text").asText());
            assertEquals(1, client.all(m -> m.topic().equals("cubeguardian/" + HOST + "/cmd/wake")).size());
        }
    }

    /** Every version's client reads the sleeping list entry and the login disconnect the gateway sends it. */
    @ParameterizedTest(name = "Minecraft {0}")
    @MethodSource("versions")
    void everyVersionsClientReadsTheSleepingServerListAndTheStartingText(String version) throws Exception {
        int gatewayPort = MosquittoBroker.freePort();
        try (MosquittoBroker broker = new MosquittoBroker().start();
                TestSshServer ssh = new TestSshServer().start();
                MagicPacketReceiver nic = new MagicPacketReceiver();
                MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/#");
                WorkerUnderTest worker = worker(broker, inventory(ssh, nic, MosquittoBroker.freePort(), gatewayPort)).start()) {
            awaitState(client, "off");
            JsonNode status = ping(gatewayPort, version);
            assertEquals(status.path("protocol_sent").asInt(), status.at("/response/version/protocol").asInt(), status.toString());
            assertEquals("Sleeping - join to wake it up", status.at("/response/description/text").asText());
            JsonNode kicked = login(gatewayPort, version, "carol");
            assertEquals("login", kicked.path("state").asText(), kicked.toString());
            String reason = JSON.readTree(kicked.path("reason").asText()).path("text").asText();
            assertTrue(reason.contains("is starting up"), reason);
        }
    }

    /** Online, the gateway is invisible: a ping through it reads what a direct ping reads. */
    @ParameterizedTest(name = "Minecraft {0}")
    @MethodSource("versions")
    void aPingThroughTheGatewayWhileOnlineEqualsADirectPing(String version) throws Exception {
        int minecraftPort = MosquittoBroker.freePort();
        int gatewayPort = MosquittoBroker.freePort();
        try (MosquittoBroker broker = new MosquittoBroker().start();
                TestSshServer ssh = new TestSshServer().start();
                MagicPacketReceiver nic = new MagicPacketReceiver();
                NodePeer server = NodePeer.start("server.js", "--port", Integer.toString(minecraftPort), "--version", version,
                        "--motd", "Direct or not", "--max-players", "7");
                MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/#");
                WorkerUnderTest worker = worker(broker, inventory(ssh, nic, minecraftPort, gatewayPort)).start()) {
            server.awaitEvent("listening", WAIT);
            awaitState(client, "online");
            ObjectNode through = (ObjectNode) ping(gatewayPort, version).path("response");
            ObjectNode direct = (ObjectNode) ping(minecraftPort, version).path("response");
            through.remove("latency");
            direct.remove("latency");
            assertEquals(direct, through);
            assertEquals(0, nic.packets().size(), "a ping of a running server wakes nothing");
        }
    }

    private JsonNode ping(int port, String version) throws Exception {
        try (NodePeer ping = NodePeer.start("ping.js", "--port", Integer.toString(port), "--version", version)) {
            return ping.awaitEvent("status", WAIT);
        }
    }

    private JsonNode login(int port, String version, String name) throws Exception {
        try (NodePeer login = NodePeer.start("login.js", "--port", Integer.toString(port), "--version", version,
                "--username", name)) {
            return login.awaitEvent("disconnected", WAIT);
        }
    }

    private static JsonNode gatewayLogin(MqttProbeClient client, String player) throws InterruptedException {
        return client.await(m -> m.topic().equals("cubeguardian/" + HOST + "/event")
                && "gateway_login".equals(m.json().path("type").asText())
                && player.equals(m.json().path("player").asText()), WAIT).json();
    }

    /** A state message that came after the last message matching {@code after}. */
    private static void awaitStateAfter(MqttProbeClient client, String state, java.util.function.Predicate<MqttProbeClient.Received> after)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<MqttProbeClient.Received> all = client.all(m -> true);
            int from = -1;
            for (int k = 0; k < all.size(); k++) {
                if (after.test(all.get(k))) {
                    from = k;
                }
            }
            for (int k = from + 1; from >= 0 && k < all.size(); k++) {
                MqttProbeClient.Received m = all.get(k);
                if (m.topic().equals("cubeguardian/" + HOST + "/state") && state.equals(m.json().path("state").asText())) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no state " + state + " after the message awaited within " + WAIT);
            }
            Thread.sleep(20);
        }
    }

    private static void awaitState(MqttProbeClient client, String state) throws InterruptedException {
        client.await(m -> m.topic().equals("cubeguardian/" + HOST + "/state") && state.equals(m.json().path("state").asText()), WAIT);
    }

    private static WorkerUnderTest worker(MosquittoBroker broker, Path hosts) {
        return new WorkerUnderTest(Map.of(
                "cubeguardian.mqtt.url", broker.url(),
                "cubeguardian.mqtt.client-id", "gateway-story",
                "cubeguardian.hosts-file", hosts.toString(),
                "cubeguardian.monitor.fast-interval", "200ms",
                "cubeguardian.monitor.steady-interval", "1s"));
    }

    /**
     * One host whose "power" is the real server: the host probe is a TCP connect to the game
     * port, so the host is off until the test starts server.js and off again once it stops.
     */
    private Path inventory(TestSshServer ssh, MagicPacketReceiver nic, int minecraftPort, int gatewayPort) throws Exception {
        Path keys = TestSshServer.KEYS.toAbsolutePath();
        Path file = dir.resolve("hosts.yaml");
        Files.writeString(file, "hosts:\n"
                + "  " + HOST + ":\n    name: Story server\n    mac: \"02:00:00:00:00:51\"\n    address: 127.0.0.1\n"
                + "    wol: {broadcast: 127.0.0.1, port: " + nic.port() + ", packets: 1}\n"
                + "    probe: {method: tcp, port: " + minecraftPort + ", timeout: 1s}\n"
                + "    ssh:\n      port: " + ssh.port() + "\n      user: " + HOST + "\n      key-file: " + keys.resolve("client_ed25519")
                + "\n      known-hosts-file: " + ssh.knownHosts(dir, "host_ed25519") + "\n"
                + "    minecraft:\n      port: " + minecraftPort + "\n      timeout: 2s\n"
                + "      gateway:\n        listen: 127.0.0.1:" + gatewayPort + "\n"
                + "    idle: {enabled: true, after: 2s, minimum-uptime: 0s, grace: 1s}\n");
        return file;
    }
}
