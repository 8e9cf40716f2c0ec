package dev.cubeguardian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, started the way the README starts it (no settings: embedded broker and
 * demo homelab), driven through a whole wake / check / shutdown / cancel story over MQTT.
 */
class DemoJarIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path workDir;

    private Process worker;
    private MqttProbeClient client;
    private int sequence;

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (worker != null && worker.isAlive()) {
            worker.destroyForcibly().waitFor();
        }
    }

    @Test
    void demoWakesChecksSchedulesCancelsAndShutsDownTheSimulatedHost() throws Exception {
        int port = MosquittoBroker.freePort();
        startJar(port);
        client = connect("tcp://127.0.0.1:" + port);
        client.await(m -> m.topic().equals("cubeguardian/bridge/state") && m.text().equals("online"), WAIT);

        // Wake: the exact result a user sees, minus what changes from run to run
        ObjectNode wake = (ObjectNode) send("wake", "{\"id\":\"e2e-wake\"}", "e2e-wake");
        wake.remove("timestamp");
        wake.remove("duration_ms");
        ((ObjectNode) wake.get("details")).put("target", "<target>");
        assertEquals("{\"v\":1,\"id\":\"e2e-wake\",\"host\":\"demo\",\"action\":\"wake\",\"success\":true,"
                + "\"code\":\"WOL_SENT\",\"message\":\"Magic packet sent to 02:C0:FF:EE:00:01\","
                + "\"details\":{\"mac\":\"02:C0:FF:EE:00:01\",\"target\":\"<target>\",\"packets_sent\":3},\"error\":null}",
                wake.toString());

        JsonNode online = checkUntil(r -> r.at("/details/service/reachable").asBoolean());
        assertEquals("Demo server is up, Minecraft 1.21.4 online with 0/20 players", online.get("message").asText());
        assertEquals("CubeGuardian demo", online.at("/details/service/motd").asText());

        JsonNode scheduled = send("shutdown", "{\"id\":\"e2e-later\",\"delay_minutes\":1}", "e2e-later");
        assertEquals("SHUTDOWN_SCHEDULED", scheduled.get("code").asText());
        assertEquals("Shutdown of Demo server scheduled in 1 min", scheduled.get("message").asText());
        // the demo game has RCON: the worker stops it at the minute, the host's own shutdown is the backstop a minute later
        assertEquals("shutdown -h +2", scheduled.at("/details/command").asText());

        JsonNode cancelled = send("cancel", "{\"id\":\"e2e-cancel\"}", "e2e-cancel");
        assertEquals("SHUTDOWN_CANCELLED", cancelled.get("code").asText());
        assertEquals("Scheduled shutdown of Demo server cancelled", cancelled.get("message").asText());
        Thread.sleep(4_000); // past the demo's three-second "minute": the cancelled shutdown must not happen
        JsonNode stillUp = send("check", "{\"id\":\"e2e-still-up\"}", "e2e-still-up");
        assertTrue(stillUp.at("/details/host/reachable").asBoolean(), stillUp.toString());

        JsonNode now = send("shutdown", "{\"id\":\"e2e-now\"}", "e2e-now");
        assertEquals("SHUTDOWN_SENT", now.get("code").asText());
        assertEquals("Shutdown of Demo server started", now.get("message").asText());
        JsonNode off = checkUntil(r -> !r.at("/details/host/reachable").asBoolean());
        assertEquals("Demo server does not answer: it looks off", off.get("message").asText());

        // A planned stop says goodbye on the retained bridge state
        worker.destroy();
        client.await(m -> m.topic().equals("cubeguardian/bridge/state") && m.text().equals("offline"), WAIT);

        // The log is the audit trail of what changed a host; checks, which change nothing, stay out of it
        assertTrue(worker.waitFor(20, java.util.concurrent.TimeUnit.SECONDS), "the jar did not stop");
        String log = Files.readString(Path.of("target/demo-jar-it.log"));
        assertTrue(log.contains("Command wake demo id=e2e-wake requested_by="), log);
        assertTrue(log.contains("Command cancel demo id=e2e-cancel requested_by="), log);
        assertTrue(log.contains("Command shutdown demo id=e2e-now requested_by="), log);
        assertFalse(log.contains("e2e-still-up"), log);
    }

    @Test
    void aDemoWhosePortIsTakenByAnotherBrokerStopsWithWhatToChangeInsteadOfJoiningIt() throws Exception {
        // Given another MQTT broker on the demo's port (a Mosquitto, as on many homelab machines)
        try (MosquittoBroker other = new MosquittoBroker().start();
                MqttProbeClient watcher = new MqttProbeClient(other.url(), "#")) {
            // When the demo starts on that port
            startJar(other.port());

            // Then it exits at once with the bad-configuration status and says what to change
            assertTrue(worker.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the demo exits");
            String log = Files.readString(Path.of("target/demo-jar-it.log"));
            assertEquals(2, worker.exitValue(), log);
            assertTrue(log.contains("cannot start: The demo's embedded MQTT broker cannot listen on 127.0.0.1:" + other.port()), log);
            assertTrue(log.contains("CUBEGUARDIAN_BROKER_PORT") && log.contains("CUBEGUARDIAN_MQTT_URL"), log);
            // and it never joined the other broker
            assertEquals(java.util.List.of(), watcher.all(m -> m.topic().startsWith("cubeguardian/")));
        }
    }

    private void startJar(int brokerPort) throws Exception {
        Path jar = Path.of("target", "cubeguardian.jar").toAbsolutePath();
        assertTrue(Files.exists(jar), "run through `mvn verify`: the jar is built in the package phase");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(new File("target/demo-jar-it.log"));
        builder.environment().keySet().removeIf(name -> name.startsWith("CUBEGUARDIAN_"));
        builder.environment().put("CUBEGUARDIAN_BROKER_PORT", Integer.toString(brokerPort));
        builder.environment().put("CUBEGUARDIAN_MANAGEMENT_PORT", Integer.toString(MosquittoBroker.freePort()));
        builder.environment().put("CUBEGUARDIAN_DEMO_BOOT_SECONDS", "2");
        // a "minute" of 3 s: the cancel that follows a 1-minute shutdown must come before it ends,
        // and its SSH call took over a second on a loaded machine (with 1 s it lost the race)
        builder.environment().put("CUBEGUARDIAN_DEMO_SECONDS_PER_MINUTE", "3");
        worker = builder.start();
    }

    private MqttProbeClient connect(String url) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return new MqttProbeClient(url, "cubeguardian/#");
            } catch (MqttException brokerNotUpYet) {
                assertTrue(worker.isAlive(), "the jar exited; see target/demo-jar-it.log");
                if (System.nanoTime() > deadline) {
                    throw brokerNotUpYet;
                }
                Thread.sleep(200);
            }
        }
    }

    private JsonNode send(String action, String payload, String id) throws Exception {
        client.publish("cubeguardian/demo/cmd/" + action, payload);
        return client.result("cubeguardian/demo/result/" + action, id, WAIT);
    }

    private JsonNode checkUntil(Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String id = "e2e-check-" + sequence++;
            JsonNode result = send("check", "{\"id\":\"" + id + "\"}", id);
            assertEquals("CHECKED", result.get("code").asText(), result.toString());
            if (done.test(result)) {
                return result;
            }
            assertTrue(System.nanoTime() < deadline, "the demo host never got there: " + result);
            Thread.sleep(250);
        }
    }
}
