package dev.cubeguardian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Node-RED example (examples/node-red/flow.json) in a real Node-RED process, against a real
 * Mosquitto and the demo worker: its HTTP endpoint wakes the demo host and its notification says
 * when it is online; its idle flow then shuts the host down. Node-RED must have been installed
 * with examples/node-red/install.sh; without it the test fails (it is not skipped).
 */
class NodeRedIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String NOTIFICATIONS = "notifications/cubeguardian";
    /** The idle time given to the flow: 0.05 min = 3 s. */
    private static final String IDLE_MINUTES = "0.05";

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path userDir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY)
            // no "Upgrade: h2c" header: Node's HTTP server hands such requests to its WebSocket handler
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private Path nodeRedLog;
    private int nodeRedPort;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        open.add(closeable);
        return closeable;
    }

    @Test
    void theExampleFlowsWakeTheHostNotifyWhenItIsOnlineAndShutItDownWhenIdle() throws Exception {
        Path example = projectDir().resolve("examples/node-red");
        Path redJs = example.resolve("node_modules/node-red/red.js");
        if (!Files.isRegularFile(redJs)) {
            // `mvn verify` alone should work on a machine with Node.js: install the pinned Node-RED once
            // stdout and stderr to the test's, stdin from /dev/null: npm makes an inherited stdin
            // non-blocking, which breaks the failsafe fork's command channel ("std/in stream corrupted")
            Process install = new ProcessBuilder("bash", example.resolve("install.sh").toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            if (!install.waitFor(5, java.util.concurrent.TimeUnit.MINUTES) || install.exitValue() != 0) {
                install.destroyForcibly();
                fail("Node-RED is not installed (" + redJs + " is missing) and examples/node-red/install.sh failed");
            }
        }
        Path node = findOnPath("node");

        MosquittoBroker broker = keep(new MosquittoBroker().start());
        MqttProbeClient client = keep(new MqttProbeClient(broker.url(), "cubeguardian/#", NOTIFICATIONS));
        demoWorker(broker);
        client.await(m -> isState(m, "off"), WAIT);
        startNodeRed(node, redJs, example, broker.port());

        try {
            // The flow is running and subscribed: it has the retained state of the demo host
            JsonNode status = awaitStatus("off", Duration.ofSeconds(60));
            assertEquals("demo", status.get("host").asText());

            // A host level that is no host id is refused by the flow itself; nothing is published
            assertEquals(400, post("{\"host\":\"BAD host\"}").statusCode());

            // A host the worker does not know: its refusal ends the wait with a failure notification
            HttpResponse<String> ghost = post("{\"host\":\"ghost\"}");
            assertEquals(202, ghost.statusCode(), ghost.body());
            String ghostId = JSON.readTree(ghost.body()).get("id").asText();
            assertEquals("UNKNOWN_HOST", client.result("cubeguardian/ghost/result/wake", ghostId, WAIT).get("code").asText());
            JsonNode refused = notification(client, "ghost");
            assertFalse(refused.get("ok").asBoolean());
            assertTrue(refused.get("text").asText().contains("UNKNOWN_HOST"), refused.toString());

            // Wake and wait: POST without a body wakes CUBEGUARDIAN_HOST (demo)
            HttpResponse<String> accepted = post("");
            assertEquals(202, accepted.statusCode(), accepted.body());
            JsonNode reply = JSON.readTree(accepted.body());
            String wakeId = reply.get("id").asText();
            assertEquals("demo", reply.get("host").asText());
            assertFalse(reply.get("already_online").asBoolean());

            MqttProbeClient.Received command = client.await(m -> m.topic().equals("cubeguardian/demo/cmd/wake"), WAIT);
            assertFalse(command.retained(), "commands are never retained");
            assertEquals(wakeId, command.json().get("id").asText());
            assertEquals("node-red", command.json().get("requested_by").asText());
            JsonNode result = client.result("cubeguardian/demo/result/wake", wakeId, WAIT);
            assertEquals("WOL_SENT", result.get("code").asText());
            assertTrue(result.get("success").asBoolean());

            JsonNode online = notification(client, "demo");
            assertTrue(online.get("ok").asBoolean(), online.toString());
            assertTrue(online.get("text").asText().startsWith("demo is online"), online.toString());
            assertEquals(3, online.size(), "a notification is {host, text, ok}: " + online);
            assertTrue(indexOf(client, m -> isState(m, "online")) < indexOf(client, m -> isNotification(m, "demo")),
                    "the notification follows the retained state online");
            // the idle timer (3 s) has only just started
            assertEquals(List.of(), client.all(m -> m.topic().equals("cubeguardian/demo/cmd/shutdown")));

            // Shut down when idle: nobody plays on the demo server, so after IDLE_MINUTES a shutdown without force
            MqttProbeClient.Received shutdown = client.await(m -> m.topic().equals("cubeguardian/demo/cmd/shutdown"), WAIT);
            JsonNode shutdownCommand = shutdown.json();
            assertFalse(shutdown.retained(), "commands are never retained");
            assertEquals("node-red", shutdownCommand.get("requested_by").asText());
            assertFalse(shutdownCommand.get("force").asBoolean(true), shutdownCommand.toString());
            assertEquals(0, shutdownCommand.get("delay_minutes").asInt(-1));
            String shutdownId = shutdownCommand.get("id").asText();
            assertTrue(shutdownId.startsWith("nodered-idle-"), shutdownId);
            assertEquals("SHUTDOWN_SENT", client.result("cubeguardian/demo/result/shutdown", shutdownId, WAIT).get("code").asText());
            JsonNode idle = client.await(m -> isNotification(m, "demo") && m.json().get("text").asText().contains("shutting it down"),
                    WAIT).json();
            assertTrue(idle.get("ok").asBoolean());
            assertEquals("demo: no players for 3 s, shutting it down", idle.get("text").asText());

            // The host goes off, and the flow sees it too
            int shutdownAt = indexOf(client, m -> m == shutdown);
            client.await(m -> isState(m, "off") && indexOf(client, x -> x == m) > shutdownAt, WAIT);
            awaitStatus("off", WAIT);
            assertEquals(1, client.all(m -> m.topic().equals("cubeguardian/demo/cmd/shutdown")).size(), "one idle shutdown");
            assertEquals(List.of(), client.all(m -> isNotification(m, "demo") && !m.json().get("ok").asBoolean()),
                    "no failure notification for demo");
        } catch (AssertionError | Exception e) {
            throw new AssertionError(e.getMessage() + "\n--- Node-RED log ---\n" + nodeRedLog(), e);
        }
    }

    private void demoWorker(MosquittoBroker broker) throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("cubeguardian.mqtt.url", broker.url());
        settings.put("cubeguardian.mqtt.client-id", "nodered-" + UUID.randomUUID().toString().substring(0, 8));
        settings.put("cubeguardian.demo.boot-seconds", "2");
        settings.put("cubeguardian.monitor.fast-interval", "200ms");
        settings.put("cubeguardian.monitor.steady-interval", "2s");
        settings.put("cubeguardian.monitor.down-confirmations", "2");
        keep(new WorkerUnderTest(settings).start());
    }

    /** Node-RED as the README of the example runs it: its own user directory, the example's settings, loopback only. */
    private void startNodeRed(Path node, Path redJs, Path example, int brokerPort) throws IOException {
        Files.copy(example.resolve("flow.json"), userDir.resolve("flows.json"));
        nodeRedPort = MosquittoBroker.freePort();
        nodeRedLog = userDir.resolve("node-red.log");
        ProcessBuilder builder = new ProcessBuilder(node.toString(), redJs.toString(),
                "--userDir", userDir.toString(),
                "--port", Integer.toString(nodeRedPort),
                "--settings", example.resolve("settings.js").toAbsolutePath().toString())
                .directory(userDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(nodeRedLog.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("NODE_RED_") || name.equals("PORT"));
        env.put("MQTT_HOST", "127.0.0.1");
        env.put("MQTT_PORT", Integer.toString(brokerPort));
        env.put("CUBEGUARDIAN_HOST", "demo");
        env.put("IDLE_MINUTES", IDLE_MINUTES);
        env.put("WAKE_TIMEOUT_MINUTES", "2");
        env.put("NODE_RED_DISABLE_TELEMETRY", "true");
        env.put("NODE_RED_DISABLE_EDITOR", "true");
        Process process = builder.start();
        keep(() -> stop(process));
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy(); // SIGTERM: Node-RED stops its flows and disconnects from the broker
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** GET /cubeguardian/status until the flow has seen the host in the given state. */
    private JsonNode awaitStatus(String state, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint("/cubeguardian/status"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                last = response.statusCode() + " " + response.body();
                if (response.statusCode() == 200) {
                    JsonNode status = JSON.readTree(response.body());
                    if (state.equals(status.path("state").asText())) {
                        return status;
                    }
                }
            } catch (ConnectException notYet) {
                // Node-RED is still starting
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Node-RED's GET /cubeguardian/status never said state " + state + " within " + limit
                + "; last answer: " + last);
    }

    private HttpResponse<String> post(String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint("/cubeguardian/wake")).timeout(Duration.ofSeconds(10));
        if (body.isEmpty()) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI endpoint(String path) {
        return URI.create("http://127.0.0.1:" + nodeRedPort + path);
    }

    private static JsonNode notification(MqttProbeClient client, String host) throws InterruptedException {
        MqttProbeClient.Received message = client.await(m -> isNotification(m, host), WAIT);
        assertFalse(message.retained(), "notifications are not retained");
        return message.json();
    }

    private static boolean isNotification(MqttProbeClient.Received m, String host) {
        return m.topic().equals(NOTIFICATIONS) && host.equals(m.json().path("host").asText());
    }

    private static boolean isState(MqttProbeClient.Received m, String state) {
        return m.topic().equals("cubeguardian/demo/state") && state.equals(m.json().path("state").asText());
    }

    private static int indexOf(MqttProbeClient client, java.util.function.Predicate<MqttProbeClient.Received> match) {
        List<MqttProbeClient.Received> all = client.all(m -> true);
        for (int i = 0; i < all.size(); i++) {
            if (match.test(all.get(i))) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    private String nodeRedLog() {
        try {
            return nodeRedLog == null ? "(not started)" : Files.readString(nodeRedLog);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static Path projectDir() {
        return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    }

    private static Path findOnPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir).resolve(command);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("Node.js (" + command + ") is not on the PATH: install Node.js 18 or later, then run "
                + "examples/node-red/install.sh");
    }
}
