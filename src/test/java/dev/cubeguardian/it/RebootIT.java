package dev.cubeguardian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.demo.MinecraftStatusResponder;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cmd/reboot} (v1.1) from the outside: a real Mosquitto, the real MINA SSH server (which
 * records every command it runs, by user = host), real loopback ports for the probes that go dark
 * while a "host" reboots, and real Server List Ping peers for the players guard.
 */
class RebootIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    static MosquittoBroker broker;
    static TestSshServer ssh;
    static SwitchablePort backPort;
    static SwitchablePort gonePort;
    static MinecraftStatusResponder busyServer;
    static WorkerUnderTest worker;
    static MqttProbeClient client;
    static final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private static int hosts;

    @BeforeAll
    static void startHomelabAndWorker() throws Exception {
        broker = new MosquittoBroker().start();
        backPort = new SwitchablePort();
        gonePort = new SwitchablePort();
        busyServer = new MinecraftStatusResponder(InetAddress.getLoopbackAddress(), 0,
                () -> new MinecraftStatusResponder.Status("1.21.4", 769, 2, 20, List.of("alice", "bob"), "Busy world")).start();
        ssh = new TestSshServer().start().onExecute(run -> {
            // the reboot takes the host's probe port down; "back" boots again 2 s later, "gone" never does
            try {
                if (run.user().equals("back")) {
                    backPort.down();
                    timer.schedule(() -> {
                        backPort.up();
                        return null;
                    }, 2, TimeUnit.SECONDS);
                } else if (run.user().equals("gone")) {
                    gonePort.down();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Path hosts = dir.resolve("hosts.yaml");
        Files.writeString(hosts, "hosts:\n"
                + host("back", backPort.port(), "", "20s")
                + host("gone", gonePort.port(), "      reboot-command: \"systemctl reboot\"\n", "4s")
                // probed on the SSH port, which never closes: a host that never goes down
                + host("busy", ssh.port(), "", "3s") + "    minecraft: {port: " + busyServer.port() + ", timeout: 1s}\n"
                + host("mute", ssh.port(), "", "3s") + "    minecraft: {port: " + MosquittoBroker.freePort() + ", timeout: 500ms}\n"
                + host("dup", ssh.port(), "", "3s")
                + host("inj", ssh.port(), "", "3s"));
        worker = new WorkerUnderTest(Map.of(
                "cubeguardian.mqtt.url", broker.url(),
                "cubeguardian.mqtt.client-id", "reboot-" + UUID.randomUUID().toString().substring(0, 8),
                "cubeguardian.hosts-file", hosts.toString(),
                "cubeguardian.monitor.fast-interval", "200ms",
                "cubeguardian.monitor.steady-interval", "1s",
                "cubeguardian.monitor.down-confirmations", "2")).start();
        client = new MqttProbeClient(broker.url(), "cubeguardian/#");
        for (String host : List.of("back", "gone", "busy", "dup", "inj")) {
            client.await(m -> m.topic().equals("cubeguardian/" + host + "/state") && "online".equals(m.json().path("state").asText()),
                    WAIT);
        }
    }

    private static String host(String id, int probePort, String moreSsh, String startup) throws Exception {
        Path keys = TestSshServer.KEYS.toAbsolutePath();
        return "  " + id + ":\n    mac: \"aabbccddee" + Integer.toHexString(0x30 + hosts++) + "\"\n    address: 127.0.0.1\n"
                + "    wol: {broadcast: 127.0.0.1, port: 9}\n"
                + "    probe: {method: tcp, port: " + probePort + ", timeout: 500ms}\n"
                + "    ssh:\n      port: " + ssh.port() + "\n      user: " + id + "\n      key-file: " + keys.resolve("client_ed25519")
                + "\n      known-hosts-file: " + ssh.knownHosts(dir, "host_ed25519") + "\n      timeout: 3s\n" + moreSsh
                + "    timeouts: {startup: " + startup + "}\n";
    }

    @AfterAll
    static void stopAll() throws Exception {
        timer.shutdownNow();
        for (AutoCloseable open : new AutoCloseable[] {client, worker, busyServer, backPort, gonePort, ssh, broker}) {
            if (open != null) {
                open.close();
            }
        }
    }

    private static List<String> executedBy(String user) {
        return ssh.executed().stream().filter(e -> e.user().equals(user)).map(TestSshServer.Executed::command).toList();
    }

    private static JsonNode completed(String host, String id) throws InterruptedException {
        return client.await(m -> m.topic().equals("cubeguardian/" + host + "/event") && id.equals(m.json().path("id").asText(null))
                && "completed".equals(m.json().path("type").asText()), WAIT).json();
    }

    /** The progress phases and completion code of one command's events, in order. */
    private static List<String> story(String host, String id) {
        List<String> story = new ArrayList<>();
        for (MqttProbeClient.Received m : client.all(m -> m.topic().equals("cubeguardian/" + host + "/event"))) {
            JsonNode event = m.json();
            if (id.equals(event.path("id").asText(null))) {
                story.add(event.get("type").asText() + ":" + event.path("phase").asText(event.path("code").asText()));
            }
        }
        return story;
    }

    private static List<String> states(String host) {
        return client.all(m -> m.topic().equals("cubeguardian/" + host + "/event") && "state".equals(m.json().path("type").asText()))
                .stream().map(m -> m.json().get("to").asText()).toList();
    }

    @Test
    void aRebootedHostIsReportedOnlineOnlyAfterItWentDownAndCameBack() throws Exception {
        // When
        client.publish("cubeguardian/back/cmd/reboot", "{\"id\":\"rb-1\",\"requested_by\":\"it\"}");
        JsonNode result = client.result("cubeguardian/back/result/reboot", "rb-1", WAIT);

        // Then the command ran, once, and says so
        assertEquals("REBOOT_SENT", result.get("code").asText(), result.toString());
        assertTrue(result.get("success").asBoolean());
        assertEquals("Restart of back started", result.get("message").asText());
        assertEquals("reboot", result.at("/details/command").asText());

        // a second reboot while this one is followed is refused, not run
        client.publish("cubeguardian/back/cmd/reboot", "{\"id\":\"rb-2\"}");
        JsonNode busy = client.result("cubeguardian/back/result/reboot", "rb-2", WAIT);
        assertEquals("BUSY", busy.get("code").asText());
        assertEquals("host_rebooting", busy.at("/details/reason").asText());

        // and the follow ends ONLINE after the port went dark and came back, not at once
        JsonNode online = completed("back", "rb-1");
        assertEquals("ONLINE", online.get("code").asText(), online.toString());
        assertTrue(online.get("success").asBoolean());
        Duration followed = Duration.between(java.time.Instant.parse(result.get("timestamp").asText()),
                java.time.Instant.parse(online.get("timestamp").asText()));
        assertTrue(followed.toMillis() >= 1500, "the port was dark for 2 s from the command on, followed for " + followed);
        assertEquals(List.of("progress:command_sent", "progress:went_down", "progress:host_up", "completed:ONLINE"),
                story("back", "rb-1"));
        // the state event follows the completed event it comes from
        client.await(m -> m.topic().equals("cubeguardian/back/event") && "online".equals(m.json().path("to").asText()), WAIT);
        assertEquals(List.of("stopping", "waking", "online"), states("back"));
        assertEquals(List.of("reboot"), executedBy("back"));
    }

    @Test
    void aRebootedHostThatNeverComesBackEndsWithStartupTimeoutAndIsUnreachable() throws Exception {
        client.publish("cubeguardian/gone/cmd/reboot", "{\"id\":\"gone-1\"}");
        JsonNode result = client.result("cubeguardian/gone/result/reboot", "gone-1", WAIT);
        assertEquals("REBOOT_SENT", result.get("code").asText(), result.toString());

        JsonNode timeout = completed("gone", "gone-1");

        assertEquals("STARTUP_TIMEOUT", timeout.get("code").asText(), timeout.toString());
        assertFalse(timeout.get("success").asBoolean());
        assertTrue(timeout.get("went_down").asBoolean(), "it went down, it did not come back");
        assertEquals(List.of("progress:command_sent", "progress:went_down", "completed:STARTUP_TIMEOUT"), story("gone", "gone-1"));
        client.await(m -> m.topic().equals("cubeguardian/gone/state") && "unreachable".equals(m.json().path("state").asText()), WAIT);
        // the inventory's own command, as written there
        assertEquals(List.of("systemctl reboot"), executedBy("gone"));
    }

    @Test
    void playersOnlineRefuseARebootWithoutForceAndNothingRunsThenForceRunsItOnce() throws Exception {
        // Given two players on the server; When a reboot comes without force
        client.publish("cubeguardian/busy/cmd/reboot", "{\"id\":\"busy-1\"}");
        JsonNode refused = client.result("cubeguardian/busy/result/reboot", "busy-1", WAIT);

        // Then it is refused, says how to force it, and nothing reached the host
        assertEquals("PLAYERS_ONLINE", refused.get("code").asText(), refused.toString());
        assertFalse(refused.get("success").asBoolean());
        assertEquals(2, refused.at("/details/players_online").asInt());
        assertEquals("busy has 2 player(s) online: send \"force\": true to restart it anyway", refused.get("message").asText());
        assertEquals(List.of(), executedBy("busy"));

        // When forced
        client.publish("cubeguardian/busy/cmd/reboot", "{\"id\":\"busy-2\",\"force\":true}");
        JsonNode forced = client.result("cubeguardian/busy/result/reboot", "busy-2", WAIT);

        // Then it runs once; this host never goes down, and the follow does not pretend it did
        assertEquals("REBOOT_SENT", forced.get("code").asText(), forced.toString());
        assertEquals(List.of("reboot"), executedBy("busy"));
        JsonNode timeout = completed("busy", "busy-2");
        assertEquals("STARTUP_TIMEOUT", timeout.get("code").asText());
        assertFalse(timeout.get("went_down").asBoolean());
        assertEquals(List.of("progress:command_sent", "completed:STARTUP_TIMEOUT"), story("busy", "busy-2"));
        assertEquals(List.of("reboot"), executedBy("busy"));
    }

    @Test
    void aGameThatCannotSayWhoIsOnlineRefusesARebootWithoutForce() throws Exception {
        client.publish("cubeguardian/mute/cmd/reboot", "{\"id\":\"mute-1\"}");
        JsonNode refused = client.result("cubeguardian/mute/result/reboot", "mute-1", WAIT);

        assertEquals("PLAYERS_UNKNOWN", refused.get("code").asText(), refused.toString());
        assertEquals("unreachable", refused.at("/details/reason").asText());
        assertTrue(refused.get("message").asText().endsWith("send \"force\": true to restart it anyway"), refused.toString());
        assertEquals(List.of(), executedBy("mute"));
    }

    @Test
    void aRepeatedIdIsAnsweredAsADuplicateAndNeverRebootsTwice() throws Exception {
        client.publish("cubeguardian/dup/cmd/reboot", "{\"id\":\"same-id\"}");
        JsonNode first = client.result("cubeguardian/dup/result/reboot", "same-id", WAIT);
        assertEquals("REBOOT_SENT", first.get("code").asText(), first.toString());

        // the client retries (it missed the result), during the follow and after it ended
        client.publish("cubeguardian/dup/cmd/reboot", "{\"id\":\"same-id\"}");
        JsonNode during = client.await(m -> m.topic().equals("cubeguardian/dup/result/reboot")
                && m.json().path("duplicate").asBoolean(false), WAIT).json();
        completed("dup", "same-id");
        client.publish("cubeguardian/dup/cmd/reboot", "{\"id\":\"same-id\",\"force\":true}");
        client.await(m -> m.topic().equals("cubeguardian/dup/result/reboot") && m.json().path("duplicate").asBoolean(false)
                && client.all(x -> x.topic().equals("cubeguardian/dup/result/reboot")).indexOf(m) == 2, WAIT);

        assertEquals("REBOOT_SENT", during.get("code").asText());
        assertEquals(first.get("timestamp").asText(), during.get("timestamp").asText(), "the first result, published again");
        assertEquals(List.of("reboot"), executedBy("dup"));
        assertEquals(1, client.all(m -> m.topic().equals("cubeguardian/dup/event")
                && "command_sent".equals(m.json().path("phase").asText())).size(), "one reboot followed");
    }

    @Test
    void nothingFromAHostilePayloadOrTopicReachesTheShell() throws Exception {
        // Invalid fields are refused before anything runs
        String[] refusedPayloads = {
            "{\"id\":\"inj-a;reboot -f\"}",
            "{\"id\":\"inj-b\",\"force\":\"true; halt -f\"}",
            "{\"id\":\"inj-c\",\"delay_minutes\":\"0; halt -f\"}",
            "{\"id\":\"inj-d\",\"delay_minutes\":1}",
            "{\"id\":\"inj-e\",\"requested_by\":\"x\\n; halt -f\"}",
            "[\"halt -f\"]",
            "$(halt -f)",
        };
        for (String payload : refusedPayloads) {
            client.publish("cubeguardian/inj/cmd/reboot", payload);
        }
        client.publish("cubeguardian/inj;halt/cmd/reboot", "{\"id\":\"inj-f\"}");
        client.publish("cubeguardian/inj/cmd/reboot;halt", "{\"id\":\"inj-g\"}");
        client.publish("cubeguardian/inj/cmd/reboot $(halt)", "{\"id\":\"inj-h\"}");
        for (String id : List.of("inj-b", "inj-c", "inj-d", "inj-e")) {
            assertEquals("INVALID_COMMAND", client.result("cubeguardian/inj/result/reboot", id, WAIT).get("code").asText(), id);
        }
        assertEquals("INVALID_COMMAND", client.result("cubeguardian/bridge/error", "inj-f", WAIT).get("code").asText());
        assertEquals("UNKNOWN_ACTION", client.result("cubeguardian/inj/result/reboot;halt", "inj-g", WAIT).get("code").asText());
        assertEquals("UNKNOWN_ACTION", client.result("cubeguardian/inj/result/reboot $(halt)", "inj-h", WAIT).get("code").asText());
        assertEquals(List.of(), executedBy("inj"));

        // A valid command whose every text field and extra field is shell: only the configured command runs
        client.publish("cubeguardian/inj/cmd/reboot", "{\"id\":\"inj-ok\",\"force\":true,"
                + "\"requested_by\":\"$(halt -f); rm -rf / `id` && reboot -f | sh\","
                + "\"command\":\"halt -f\",\"reboot-command\":\"halt -f\",\"ssh\":{\"reboot-command\":\"halt -f\"}}");
        JsonNode ok = client.result("cubeguardian/inj/result/reboot", "inj-ok", WAIT);

        assertEquals("REBOOT_SENT", ok.get("code").asText(), ok.toString());
        assertEquals("reboot", ok.at("/details/command").asText());
        assertEquals(List.of("reboot"), executedBy("inj"));
        assertTrue(ssh.executed().stream().noneMatch(e -> e.command().contains("halt") || e.command().contains("rm ")),
                ssh.executed().toString());
    }
}
