package dev.cubeguardian.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.demo.MinecraftStatusResponder;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a hostile or careless client can do with the MQTT API, tried through a real Mosquitto
 * against the running worker, a real SSH server and a real Server List Ping peer. Each test
 * is named for the attack and asserts what a client would see.
 */
class MqttApiAbuseIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** How long something that must not happen is given, after a later marker has arrived. */
    private static final Duration QUIET = Duration.ofMillis(500);

    @TempDir
    static Path dir;

    static MosquittoBroker broker;
    static TestSshServer ssh;
    static MagicPacketReceiver wol;
    static MinecraftStatusResponder emptyServer;
    static int closedPort;
    static WorkerUnderTest worker;
    static MqttProbeClient client;

    @BeforeAll
    static void startHomelabAndWorker() throws Exception {
        broker = new MosquittoBroker().start();
        ssh = new TestSshServer().start();
        wol = new MagicPacketReceiver();
        emptyServer = new MinecraftStatusResponder(InetAddress.getLoopbackAddress(), 0,
                () -> new MinecraftStatusResponder.Status("1.21.4", 769, 0, 20, List.of(), "Empty world")).start();
        closedPort = MosquittoBroker.freePort();
        Path keys = TestSshServer.KEYS.toAbsolutePath();
        String known = ssh.knownHosts(dir, "host_ed25519").toString();
        String wolSection = "    wol: {broadcast: 127.0.0.1, port: " + wol.port() + ", packets: 1}\n";
        String sshSection = "    ssh: {port: " + ssh.port() + ", user: %s, key-file: " + keys.resolve("client_ed25519")
                + ", known-hosts-file: " + known + ", timeout: %s}\n";
        Path hosts = dir.resolve("hosts.yaml");
        Files.writeString(hosts, "version: 1\nhosts:\n"
                + "  pve:\n    mac: \"AA-BB-CC-DD-EE-FF\"\n    address: 127.0.0.1\n" + wolSection
                + "    probe: {method: tcp, port: " + ssh.port() + ", timeout: 1s}\n"
                + sshSection.formatted("root", "10s")
                + "    minecraft: {port: " + emptyServer.port() + ", timeout: 1s}\n"
                // the game of this host does not answer: nobody can say its world is empty
                + "  gameover:\n    mac: \"AA-BB-CC-DD-EE-01\"\n    address: 127.0.0.1\n" + wolSection
                + "    probe: {method: tcp, port: " + ssh.port() + ", timeout: 1s}\n"
                + sshSection.formatted("gameover", "10s")
                + "    minecraft: {port: " + closedPort + ", timeout: 500ms}\n"
                // its SSH command never finishes: a command that is still running when repeats arrive
                + "  slow:\n    mac: \"AA-BB-CC-DD-EE-02\"\n    address: 127.0.0.1\n" + wolSection
                + sshSection.formatted("hang", "2s"));
        worker = new WorkerUnderTest(Map.of(
                "cubeguardian.mqtt.url", broker.url(),
                "cubeguardian.mqtt.client-id", "abuse-" + UUID.randomUUID().toString().substring(0, 8),
                "cubeguardian.hosts-file", hosts.toString(),
                "cubeguardian.monitor.steady-interval", "1h")).start();
        client = new MqttProbeClient(broker.url(), "cubeguardian/#", "replies/#", "homeassistant/#");
        client.await(m -> m.topic().equals("cubeguardian/bridge/state") && m.text().equals("online"), WAIT);
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {client, worker, ssh, wol, emptyServer, broker}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @BeforeEach
    void clear() {
        client.clear();
    }

    private static MqttProperties replyTo(String topic, String correlation) {
        MqttProperties properties = new MqttProperties();
        properties.setResponseTopic(topic);
        properties.setCorrelationData(correlation.getBytes(StandardCharsets.UTF_8));
        return properties;
    }

    private static void publish(String topic, String payload, MqttProperties properties) throws Exception {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), properties);
    }

    private static int shutdownsRun() {
        return (int) ssh.executed().stream().filter(e -> e.command().contains("shutdown")).count();
    }

    // ------------------------------------------------------------------ response topics

    @ParameterizedTest
    @ValueSource(strings = {"cubeguardian/pve/cmd/shutdown", "cubeguardian/pve/state", "cubeguardian/bridge/state",
            "cubeguardian/pve/result/wake", "cubeguardian", "homeassistant/device/cubeguardian_pve/config",
            "homeassistant/status", "$SYS/broker/x"})
    void aCheckAimingItsReplyAtATopicTheWorkerOwnsWritesNothingThereAndLeavesANote(String target) throws Exception {
        int shutdownsBefore = shutdownsRun();
        String id = "rt-" + Math.abs(target.hashCode());
        publish("cubeguardian/pve/cmd/check", "{\"id\":\"" + id + "\"}", replyTo(target, "corr-" + id));

        // the normal result, as for any check
        JsonNode result = client.result("cubeguardian/pve/result/check", id, WAIT);
        assertEquals("CHECKED", result.path("code").asText());
        // and a note on bridge/error that says why the reply went nowhere else
        JsonNode note = client.result("cubeguardian/bridge/error", id, WAIT);
        assertEquals("INVALID_COMMAND", note.path("code").asText());
        assertEquals("response_topic", note.path("details").path("reason").asText());
        assertEquals(target, note.path("details").path("response_topic").asText());
        assertEquals("CHECKED", note.path("details").path("result_code").asText());
        assertTrue(note.path("message").asText().contains(target), note.toString());

        // a later command's answer arrives: nothing was written on the target before it
        publish("cubeguardian/pve/cmd/check", "{\"id\":\"" + id + "-marker\"}", new MqttProperties());
        client.result("cubeguardian/pve/result/check", id + "-marker", WAIT);
        Thread.sleep(QUIET.toMillis());
        assertEquals(List.of(), client.all(m -> !m.topic().equals("cubeguardian/pve/cmd/check")
                && m.properties() != null && m.properties().getCorrelationData() != null
                && new String(m.properties().getCorrelationData(), StandardCharsets.UTF_8).equals("corr-" + id)));
        assertEquals(List.of(), client.all(m -> m.topic().equals(target)));
        assertEquals(shutdownsBefore, shutdownsRun(), "the reply ran no shutdown");
    }

    @Test
    void aReplyToAClientsOwnTopicStillArrivesWithItsCorrelationData() throws Exception {
        publish("cubeguardian/pve/cmd/check", "{\"id\":\"rt-own\"}", replyTo("replies/tester/1", "corr-own"));
        MqttProbeClient.Received reply = client.await(m -> m.topic().equals("replies/tester/1"), WAIT);
        assertEquals("rt-own", reply.json().path("id").asText());
        assertArrayEquals("corr-own".getBytes(StandardCharsets.UTF_8), reply.properties().getCorrelationData());
        Thread.sleep(QUIET.toMillis());
        assertEquals(List.of(), client.all(m -> m.topic().equals("cubeguardian/bridge/error")));
    }

    // ------------------------------------------------------------------ repeats

    @Test
    void repeatsSentWhileTheFirstStillRunsEachGetTheirOwnReplyAndRunNothingTwice() throws Exception {
        // Given a shutdown whose SSH command takes its whole 2 s timeout
        long before = ssh.executed().stream().filter(e -> e.user().equals("hang")).count();
        publish("cubeguardian/slow/cmd/shutdown", "{\"id\":\"rep-1\"}", replyTo("replies/a/1", "first"));
        // When two repeats with their own reply addresses arrive while it runs
        Thread.sleep(300);
        publish("cubeguardian/slow/cmd/shutdown", "{\"id\":\"rep-1\"}", replyTo("replies/b/1", "second"));
        publish("cubeguardian/slow/cmd/shutdown", "{\"id\":\"rep-1\"}", replyTo("replies/c/1", "third"));

        // Then each reply address gets the first command's answer, with its own correlation data
        Duration longer = Duration.ofSeconds(15);
        JsonNode first = client.await(m -> m.topic().equals("replies/a/1"), longer).json();
        MqttProbeClient.Received second = client.await(m -> m.topic().equals("replies/b/1"), longer);
        MqttProbeClient.Received third = client.await(m -> m.topic().equals("replies/c/1"), longer);
        assertEquals("SSH_TIMEOUT", first.path("code").asText());
        for (MqttProbeClient.Received repeat : List.of(second, third)) {
            assertEquals("rep-1", repeat.json().path("id").asText());
            assertEquals("SSH_TIMEOUT", repeat.json().path("code").asText());
            assertTrue(repeat.json().path("duplicate").asBoolean(), repeat.text());
        }
        assertArrayEquals("second".getBytes(StandardCharsets.UTF_8), second.properties().getCorrelationData());
        assertArrayEquals("third".getBytes(StandardCharsets.UTF_8), third.properties().getCorrelationData());
        // one result on the result topic, one SSH call
        Thread.sleep(QUIET.toMillis());
        assertEquals(1, client.all(m -> m.topic().equals("cubeguardian/slow/result/shutdown")
                && m.json().path("id").asText().equals("rep-1")).size());
        assertEquals(before + 1, ssh.executed().stream().filter(e -> e.user().equals("hang")).count());
    }

    // ------------------------------------------------------------------ topics MQTT cannot carry

    @Test
    void aCommandTopicOf65535BytesIsAnsweredOnBridgeErrorAndTheNextOutageLosesNothing() throws Exception {
        // Given a command whose result topic would be longer than any MQTT topic
        String prefix = "cubeguardian/pve/cmd/";
        String topic = prefix + "x".repeat(65_535 - prefix.length());
        publish(topic, "{\"id\":\"long-1\"}", new MqttProperties());
        JsonNode error = client.result("cubeguardian/bridge/error", "long-1", WAIT);
        assertEquals("INVALID_COMMAND", error.path("code").asText());
        assertEquals("topic_too_long", error.path("details").path("reason").asText());
        assertTrue(error.path("details").path("topic").asText().length() < 300, "the topic is shown cut");
        assertTrue(error.path("action").asText().length() < 300, "the action level is shown cut");

        // When the broker goes away and comes back (a client of our own connects at once: the
        // worker waits at least a second before it reconnects)
        broker.stop(false);
        broker.start();
        client.close();
        client = new MqttProbeClient(broker.url(), "cubeguardian/#", "replies/#", "homeassistant/#");

        // Then the worker announces itself and its hosts again (live messages, not the broker's
        // retained copies) and answers as before
        client.await(m -> m.topic().equals("cubeguardian/bridge/state") && m.text().equals("online") && !m.retained(),
                Duration.ofSeconds(30));
        client.await(m -> m.topic().equals("cubeguardian/pve/state") && !m.retained(), Duration.ofSeconds(30));
        publish("cubeguardian/pve/cmd/check", "{\"id\":\"after-outage\"}", new MqttProperties());
        assertEquals("CHECKED", client.result("cubeguardian/pve/result/check", "after-outage", Duration.ofSeconds(30))
                .path("code").asText());
    }

    // ------------------------------------------------------------------ the players guard

    @Test
    void aShutdownWhileThePlayerCountCannotBeReadIsRefusedUnlessForced() throws Exception {
        int before = (int) ssh.executed().stream().filter(e -> e.user().equals("gameover")).count();
        publish("cubeguardian/gameover/cmd/shutdown", "{\"id\":\"pu-1\"}", new MqttProperties());
        JsonNode refused = client.result("cubeguardian/gameover/result/shutdown", "pu-1", WAIT);
        assertEquals("PLAYERS_UNKNOWN", refused.path("code").asText());
        assertEquals(false, refused.path("success").asBoolean());
        assertEquals("PLAYERS_UNKNOWN", refused.path("error").path("code").asText());
        assertEquals("unreachable", refused.path("details").path("reason").asText());
        assertTrue(refused.path("message").asText().contains("force"), refused.toString());
        assertEquals(before, ssh.executed().stream().filter(e -> e.user().equals("gameover")).count(), "nothing was run");

        publish("cubeguardian/gameover/cmd/shutdown", "{\"id\":\"pu-2\",\"force\":true}", new MqttProperties());
        assertEquals("SHUTDOWN_SENT", client.result("cubeguardian/gameover/result/shutdown", "pu-2", WAIT).path("code").asText());
    }

    @Test
    void aShutdownOfAnEmptyServerStillRunsWithoutForce() throws Exception {
        publish("cubeguardian/pve/cmd/shutdown", "{\"id\":\"pu-empty\",\"delay_minutes\":5}", new MqttProperties());
        JsonNode scheduled = client.result("cubeguardian/pve/result/shutdown", "pu-empty", WAIT);
        assertEquals("SHUTDOWN_SCHEDULED", scheduled.path("code").asText(), scheduled.toString());
        publish("cubeguardian/pve/cmd/cancel", "{\"id\":\"pu-empty-cancel\"}", new MqttProperties());
        client.result("cubeguardian/pve/result/cancel", "pu-empty-cancel", WAIT);
    }
}
