package dev.cubeguardian.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cubeguardian.it.MosquittoBroker;
import dev.cubeguardian.it.MqttProbeClient;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's "let a player wake it": the demo (embedded broker, simulated host) with its
 * Minecraft gateway, tried with minecraft-protocol's real client as a newcomer would with a
 * Minecraft client: the server list shows the host asleep, joining wakes it, and once it is up
 * the same address shows the demo server itself.
 */
@ExtendWith(NamedFailures.class)
class DemoGatewayIT {

    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERSION = "1.20.4";

    @Test
    void theDemosGatewayShowsTheHostAsleepWakesItWhenAPlayerJoinsAndThenLeadsToTheDemoServer() throws Exception {
        int brokerPort = MosquittoBroker.freePort();
        int gatewayPort = MosquittoBroker.freePort();
        // the packaged demo as the README starts it (settings are environment variables: the
        // test JVM's own CUBEGUARDIAN_DEMO_GATEWAY_PORT=0 would win over in-process overrides)
        Path jar = Path.of("target", "cubeguardian.jar").toAbsolutePath();
        assertTrue(Files.exists(jar), "run through `mvn verify`: the jar is built in the package phase");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(new File("target/demo-gateway-it.log"))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().keySet().removeIf(name -> name.startsWith("CUBEGUARDIAN_"));
        builder.environment().put("CUBEGUARDIAN_BROKER_PORT", Integer.toString(brokerPort));
        builder.environment().put("CUBEGUARDIAN_DEMO_GATEWAY_PORT", Integer.toString(gatewayPort));
        builder.environment().put("CUBEGUARDIAN_DEMO_BOOT_SECONDS", "2");
        builder.environment().put("CUBEGUARDIAN_MANAGEMENT_ENABLED", "false");
        Process demo = builder.start();
        try (MqttProbeClient client = connect(demo, "tcp://127.0.0.1:" + brokerPort)) {
            client.await(m -> m.topic().equals("cubeguardian/demo/state") && "off".equals(m.json().path("state").asText()), WAIT);

            // the server list entry while the demo host is off
            JsonNode sleeping = ping(gatewayPort).path("response");
            assertEquals("Sleeping - join to wake it up", sleeping.at("/description/text").asText(), sleeping.toString());
            assertEquals(765, sleeping.at("/version/protocol").asInt(), "the client's own protocol: no 'outdated' warning");

            // joining: the player is told when to come back, and the wake goes through the broker
            JsonNode kicked = login(gatewayPort, "carol");
            String reason = JSON.readTree(kicked.path("reason").asText()).path("text").asText();
            assertTrue(reason.contains("starting up"), reason);
            JsonNode wake = client.await(m -> m.topic().equals("cubeguardian/demo/cmd/wake"), WAIT).json();
            assertEquals("gateway:carol", wake.path("requested_by").asText());
            String id = wake.path("id").asText();
            assertEquals("WOL_SENT", client.result("cubeguardian/demo/result/wake", id, WAIT).path("code").asText());

            // once the demo host is up, the same address shows the demo's own server
            client.await(m -> m.topic().equals("cubeguardian/demo/state") && "online".equals(m.json().path("state").asText()), WAIT);
            JsonNode online = ping(gatewayPort).path("response");
            assertEquals("CubeGuardian demo", online.at("/description/text").asText(online.path("description").asText()),
                    online.toString());
            assertEquals(1, client.all(m -> m.topic().equals("cubeguardian/demo/cmd/wake")).size(), "one wake, from the join");
        } finally {
            demo.destroy();
            if (!demo.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                demo.destroyForcibly().waitFor();
            }
        }
    }

    private static MqttProbeClient connect(Process demo, String url) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return new MqttProbeClient(url, "cubeguardian/#");
            } catch (org.eclipse.paho.mqttv5.common.MqttException brokerNotUpYet) {
                assertTrue(demo.isAlive(), "the demo exited; see target/demo-gateway-it.log");
                if (System.nanoTime() > deadline) {
                    throw brokerNotUpYet;
                }
                Thread.sleep(200);
            }
        }
    }

    private JsonNode ping(int port) throws Exception {
        try (NodePeer ping = NodePeer.start("ping.js", "--port", Integer.toString(port), "--version", VERSION)) {
            return ping.awaitEvent("status", WAIT);
        }
    }

    private JsonNode login(int port, String name) throws Exception {
        try (NodePeer login = NodePeer.start("login.js", "--port", Integer.toString(port), "--version", VERSION,
                "--username", name)) {
            return login.awaitEvent("disconnected", WAIT);
        }
    }
}
