package dev.cubeguardian.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The worker from the outside, as a client sees it: commands published to a real Mosquitto,
 * a real SSH server, a real UDP socket for the magic packets and real Server List Ping peers.
 */
class WorkerAgainstMosquittoIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ISO_MILLIS = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    @TempDir
    static Path dir;

    static MosquittoBroker broker;
    static TestSshServer ssh;
    static MagicPacketReceiver wol;
    static MinecraftStatusResponder emptyServer;
    static MinecraftStatusResponder busyServer;
    static SilentTcpServer silent;
    static int closedPort;
    static WorkerUnderTest worker;
    static MqttProbeClient client;

    @BeforeAll
    static void startHomelabAndWorker() throws Exception {
        broker = new MosquittoBroker().start();
        ssh = new TestSshServer().start();
        wol = new MagicPacketReceiver();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        emptyServer = new MinecraftStatusResponder(loopback, 0,
                () -> new MinecraftStatusResponder.Status("1.21.4", 769, 0, 20, List.of(), "Empty world")).start();
        busyServer = new MinecraftStatusResponder(loopback, 0,
                () -> new MinecraftStatusResponder.Status("1.21.4", 769, 2, 20, List.of("alice", "bob"), "Busy world")).start();
        silent = new SilentTcpServer();
        closedPort = MosquittoBroker.freePort();
        Path hosts = dir.resolve("hosts.yaml");
        Files.writeString(hosts, inventory());
        worker = new WorkerUnderTest(Map.of(
                "cubeguardian.mqtt.url", broker.url(),
                "cubeguardian.mqtt.client-id", "it-" + UUID.randomUUID().toString().substring(0, 8),
                "cubeguardian.hosts-file", hosts.toString())).start();
        client = new MqttProbeClient(broker.url(), "cubeguardian/#", "replies/#");
        client.await(m -> m.topic().equals("cubeguardian/bridge/state") && m.text().equals("online"), WAIT);
    }

    private static String inventory() {
        Path keys = TestSshServer.KEYS.toAbsolutePath();
        String good = known("host_ed25519");
        String wolSection = "    wol: {broadcast: 127.0.0.1, port: " + wol.port() + ", packets: 3, interval: 20ms}\n";
        return "version: 1\nhosts:\n"
                + "  pve:\n    name: Proxmox\n    mac: \"AA-BB-CC-DD-EE-FF\"\n    address: 127.0.0.1\n" + wolSection
                + "    probe: {method: tcp, port: " + ssh.port() + ", timeout: 1s}\n"
                + sshSection(ssh.port(), "root", keys.resolve("client_ed25519"), null, good, "3s")
                + "    minecraft: {port: " + emptyServer.port() + ", timeout: 1s}\n"
                + host("busy", "aabb.ccdd.ee01", wolSection)
                + "    probe: {method: icmp, timeout: 1s}\n"
                + sshSection(ssh.port(), "busy", keys.resolve("client_ed25519"), null, good, "3s")
                + "    minecraft: {port: " + busyServer.port() + ", timeout: 1s}\n"
                + host("rsa", "aabbccddee02", wolSection) + sshSection(ssh.port(), "rsa", keys.resolve("client_rsa_pem"), null, good, "3s")
                + host("ecdsa", "aabbccddee03", wolSection) + sshSection(ssh.port(), "ecdsa", keys.resolve("client_ecdsa"), null, good, "3s")
                + host("enc", "aabbccddee04", wolSection) + sshSection(ssh.port(), "enc", keys.resolve("client_ed25519_encrypted"),
                        keys.resolve("client_ed25519_encrypted.passphrase"), good, "3s")
                + host("stranger", "aabbccddee05", wolSection) + sshSection(ssh.port(), "stranger", keys.resolve("stranger_ed25519"), null, good, "3s")
                + host("spoofed", "aabbccddee06", wolSection) + sshSection(ssh.port(), "spoofed", keys.resolve("client_ed25519"), null,
                        known("other_host_ed25519"), "3s")
                + host("closed", "aabbccddee07", wolSection) + sshSection(closedPort, "root", keys.resolve("client_ed25519"), null, good, "3s")
                + host("silent", "aabbccddee08", wolSection) + sshSection(silent.port(), "root", keys.resolve("client_ed25519"), null, good, "1s")
                + host("hang", "aabbccddee09", wolSection) + sshSection(ssh.port(), "hang", keys.resolve("client_ed25519"), null, good, "2s")
                + host("fails", "aabbccddee0a", wolSection) + sshSection(ssh.port(), "fails", keys.resolve("client_ed25519"), null, good, "3s")
                + host("nossh", "aabbccddee0b", wolSection)
                + host("off", "aabbccddee0c", wolSection)
                + "    probe: {method: tcp, port: " + closedPort + ", timeout: 500ms}\n"
                + "    minecraft: {port: " + closedPort + ", timeout: 500ms}\n";
    }

    private static String host(String id, String mac, String wolSection) {
        return "  " + id + ":\n    mac: \"" + mac + "\"\n    address: 127.0.0.1\n" + wolSection;
    }

    private static String sshSection(int port, String user, Path key, Path passphrase, String knownHosts, String timeout) {
        return "    ssh:\n      port: " + port + "\n      user: " + user + "\n      key-file: " + key + "\n"
                + (passphrase == null ? "" : "      key-passphrase-file: " + passphrase + "\n")
                + "      known-hosts-file: " + knownHosts + "\n      timeout: " + timeout + "\n";
    }

    private static String known(String hostKey) {
        try {
            return ssh.knownHosts(dir, hostKey).toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {client, worker, ssh, wol, emptyServer, busyServer, silent, broker}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @BeforeEach
    void clearPackets() {
        wol.clear();
    }

    private JsonNode command(String host, String action, String payload, String id) throws Exception {
        client.publish("cubeguardian/" + host + "/cmd/" + action, payload);
        return client.result("cubeguardian/" + host + "/result/" + action, id, WAIT);
    }

    private static List<TestSshServer.Executed> executedBy(String user) {
        return ssh.executed().stream().filter(e -> e.user().equals(user)).toList();
    }

    @Test
    void onlineIsAnnouncedOnlyOnceTheCommandConsumersAreSubscribed() {
        // clients send commands as soon as they see "online": the command subscription must be there
        // by then, whatever order the classpath lists the route files in; Home Assistant's consumers
        // start after it, so that their connections do not delay it
        java.util.List<String> started = worker.context().getCamelContextExtension().getRouteStartupOrder().stream()
                .map(order -> order.getRoute().getRouteId()).toList();
        assertEquals("mqtt-publish", started.get(0), started.toString());
        int online = started.indexOf("bridge-online");
        assertTrue(online > started.indexOf("cmd-intake"), started.toString());
        assertTrue(online < started.indexOf("ha-status") && online < started.indexOf("ha-cleanup"), started.toString());
        for (String consumer : List.of("workers-watch", "unknown-hosts", "group-witness")) {
            assertTrue(started.indexOf(consumer) < online, consumer + " after online: " + started);
        }
        assertTrue(started.indexOf("cmd-run") < started.indexOf("cmd-intake"), started.toString());
    }

    @Test
    void wakeSendsThreeMagicPacketsAndAnswersWolSent() throws Exception {
        JsonNode result = command("pve", "wake", "{\"id\":\"w-1\"}", "w-1");

        assertEquals(1, result.get("v").asInt());
        assertEquals("pve", result.get("host").asText());
        assertEquals("wake", result.get("action").asText());
        assertTrue(result.get("success").asBoolean());
        assertEquals("WOL_SENT", result.get("code").asText());
        assertEquals("Magic packet sent to AA:BB:CC:DD:EE:FF", result.get("message").asText());
        assertTrue(result.get("timestamp").asText().matches(ISO_MILLIS), result.get("timestamp").asText());
        assertTrue(result.get("duration_ms").asLong() >= 0);
        assertEquals("{\"mac\":\"AA:BB:CC:DD:EE:FF\",\"target\":\"127.0.0.1:" + wol.port() + "\",\"packets_sent\":3}",
                result.get("details").toString());
        assertTrue(result.get("error").isNull());

        byte[] expected = new byte[102];
        for (int i = 0; i < 6; i++) {
            expected[i] = (byte) 0xFF;
        }
        byte[] mac = {(byte) 0xAA, (byte) 0xBB, (byte) 0xCC, (byte) 0xDD, (byte) 0xEE, (byte) 0xFF};
        for (int i = 0; i < 16; i++) {
            System.arraycopy(mac, 0, expected, 6 + 6 * i, 6);
        }
        List<byte[]> packets = wol.awaitPackets(3, WAIT);
        assertEquals(3, packets.size());
        for (byte[] packet : packets) {
            assertArrayEquals(expected, packet);
        }
    }

    @Test
    void repeatedIdIsAnsweredAgainButNotExecutedAgain() throws Exception {
        JsonNode first = command("pve", "wake", "{\"id\":\"dup-1\"}", "dup-1");
        wol.awaitPackets(3, WAIT);

        client.publish("cubeguardian/pve/cmd/wake", "{\"id\":\"dup-1\"}");
        JsonNode second = client.await(m -> m.topic().equals("cubeguardian/pve/result/wake")
                && m.json().path("duplicate").asBoolean(false), WAIT).json();

        assertEquals(first.get("timestamp"), second.get("timestamp"));
        assertEquals("WOL_SENT", second.get("code").asText());
        assertFalse(first.has("duplicate"));
        Thread.sleep(300); // would-be packets of a second execution have had time to arrive
        assertEquals(3, wol.packets().size());
    }

    @Test
    void delayedShutdownRunsTheHostTemplateWithTheDelay() throws Exception {
        JsonNode result = command("pve", "shutdown", "{\"id\":\"s-1\",\"delay_minutes\":5,\"requested_by\":\"test\"}", "s-1");

        assertEquals("SHUTDOWN_SCHEDULED", result.get("code").asText());
        assertEquals("Shutdown of Proxmox scheduled in 5 min", result.get("message").asText());
        assertEquals("shutdown -h +5", result.at("/details/command").asText());
        assertEquals(0, result.at("/details/exit_status").asInt());
        assertEquals("Shutdown scheduled, use 'shutdown -c' to cancel.", result.at("/details/stderr").asText());
        assertTrue(executedBy("root").contains(new TestSshServer.Executed("root", "shutdown -h +5")));
    }

    @Test
    void shutdownWithoutDelayUsesTheNowCommandAndCancelUsesTheCancelCommand() throws Exception {
        JsonNode now = command("pve", "shutdown", "{\"id\":\"s-2\",\"delay_minutes\":0}", "s-2");
        JsonNode cancel = command("pve", "cancel", "{\"id\":\"c-2\"}", "c-2");

        assertEquals("SHUTDOWN_SENT", now.get("code").asText());
        assertEquals("shutdown -h now", now.at("/details/command").asText());
        assertEquals("SHUTDOWN_CANCELLED", cancel.get("code").asText());
        assertTrue(executedBy("root").contains(new TestSshServer.Executed("root", "shutdown -h now")));
        assertTrue(executedBy("root").contains(new TestSshServer.Executed("root", "shutdown -c")));
    }

    @ParameterizedTest(name = "{0} key")
    @CsvSource({"rsa", "ecdsa", "enc"})
    void everyKeyKindLogsIn(String host) throws Exception {
        JsonNode result = command(host, "cancel", "{\"id\":\"k-" + host + "\"}", "k-" + host);

        assertEquals("SHUTDOWN_CANCELLED", result.get("code").asText(), result.toString());
        assertEquals(List.of(new TestSshServer.Executed(host, "shutdown -c")), executedBy(host));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "stranger, SSH_AUTH_FAILED",
        "spoofed, SSH_HOST_KEY_REJECTED",
        "closed, SSH_UNREACHABLE",
        "silent, SSH_TIMEOUT",
        "hang, SSH_TIMEOUT",
        "fails, SSH_COMMAND_FAILED"})
    void eachSshFailureHasItsOwnCode(String host, String code) throws Exception {
        String id = "f-" + host + "-" + UUID.randomUUID().toString().substring(0, 6);
        long start = System.nanoTime();
        JsonNode result = command(host, "shutdown", "{\"id\":\"" + id + "\",\"delay_minutes\":3}", id);
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertEquals(code, result.get("code").asText(), result.toString());
        assertFalse(result.get("success").asBoolean());
        assertEquals(code, result.at("/error/code").asText());
        assertEquals(result.get("message").asText(), result.at("/error/message").asText());
        // a safety bound, not a performance figure: every SSH call ends within its limit plus slack
        assertTrue(tookMs < 8_000, "took " + tookMs + " ms");
        if (host.equals("spoofed") || host.equals("stranger")) {
            assertEquals(List.of(), executedBy(host), "nothing may run when the host key or the login is refused");
        }
        if (host.equals("fails")) {
            assertEquals(1, result.at("/details/exit_status").asInt());
            assertEquals("shutdown: Permission denied", result.at("/details/stderr").asText());
        }
    }

    @Test
    void shutdownIsRefusedWhilePlayersAreOnlineUnlessForced() throws Exception {
        JsonNode refused = command("busy", "shutdown", "{\"id\":\"p-1\"}", "p-1");

        assertEquals("PLAYERS_ONLINE", refused.get("code").asText());
        assertEquals(2, refused.at("/details/players_online").asInt());
        assertEquals("[\"alice\",\"bob\"]", refused.at("/details/players").toString());
        assertEquals(List.of(), executedBy("busy"));

        JsonNode forced = command("busy", "shutdown", "{\"id\":\"p-2\",\"force\":true}", "p-2");

        assertEquals("SHUTDOWN_SENT", forced.get("code").asText());
        assertEquals(List.of(new TestSshServer.Executed("busy", "shutdown -h now")), executedBy("busy"));
    }

    @Test
    void checkReportsHostAndMinecraftService() throws Exception {
        JsonNode up = command("pve", "check", "{\"id\":\"chk-1\"}", "chk-1");
        JsonNode busy = command("busy", "check", "{\"id\":\"chk-2\"}", "chk-2");
        JsonNode off = command("off", "check", "{\"id\":\"chk-3\"}", "chk-3");

        assertEquals("CHECKED", up.get("code").asText());
        assertEquals("Proxmox is up, Minecraft 1.21.4 online with 0/20 players", up.get("message").asText());
        assertEquals("tcp", up.at("/details/host/method").asText());
        assertTrue(up.at("/details/host/reachable").asBoolean());
        assertEquals("Empty world", up.at("/details/service/motd").asText());
        assertEquals(20, up.at("/details/service/players_max").asInt());

        assertEquals("icmp", busy.at("/details/host/method").asText());
        assertTrue(busy.at("/details/host/reachable").asBoolean());
        assertEquals("[\"alice\",\"bob\"]", busy.at("/details/service/players").toString());

        assertTrue(off.get("success").asBoolean(), "a powered-off host is a successful check that says so");
        assertEquals("CHECKED", off.get("code").asText());
        assertEquals("off does not answer: it looks off", off.get("message").asText());
        assertFalse(off.at("/details/host/reachable").asBoolean());
        assertTrue(off.at("/details/host/latency_ms").isNull());
        assertFalse(off.at("/details/service/reachable").asBoolean());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not JSON             | {\"id\":\"b-1\",                          | not_json",
        "array                | [1,2]                                     | not_object",
        "string delay         | {\"id\":\"b-3\",\"delay_minutes\":\"5\"}  | not_integer",
        "fraction delay       | {\"id\":\"b-4\",\"delay_minutes\":5.5}    | not_integer",
        "delay too large      | {\"id\":\"b-5\",\"delay_minutes\":1441}   | out_of_range",
        "negative ttl         | {\"id\":\"b-6\",\"ttl_s\":-1}             | out_of_range",
        "string force         | {\"id\":\"b-7\",\"force\":\"true\"}       | not_boolean",
        "shell in delay       | {\"id\":\"b-8\",\"delay_minutes\":\"1; reboot\"} | not_integer",
        "duplicate keys       | {\"id\":\"b-9\",\"force\":true,\"force\":false} | not_json"})
    void badInputGetsAnErrorResultAndTheNextCommandStillRuns(String name, String payload, String reason) throws Exception {
        int executedBefore = ssh.executed().size();
        client.publish("cubeguardian/pve/cmd/shutdown", payload);
        JsonNode error = client.await(m -> m.topic().equals("cubeguardian/pve/result/shutdown")
                && reason.equals(m.json().at("/details/reason").asText()), WAIT).json();

        assertEquals("INVALID_COMMAND", error.get("code").asText());
        assertFalse(error.get("success").asBoolean());
        assertEquals("INVALID_COMMAND", error.at("/error/code").asText());
        JsonNode next = command("pve", "check", "{\"id\":\"after-" + reason + "\"}", "after-" + reason);
        assertEquals("CHECKED", next.get("code").asText());
        assertEquals(executedBefore, ssh.executed().size(), "nothing may run for bad input");
    }

    @Test
    void aValidIdIsEchoedInErrorResults() throws Exception {
        client.publish("cubeguardian/pve/cmd/shutdown", "{\"id\":\"echo-1\",\"delay_minutes\":-5}");
        JsonNode error = client.result("cubeguardian/pve/result/shutdown", "echo-1", WAIT);

        assertEquals("INVALID_COMMAND", error.get("code").asText());
        assertEquals("Invalid command: delay_minutes must be from 0 to 1440", error.get("message").asText());
    }

    @Test
    void payloadOfExactly4096BytesIsAcceptedAnd4097IsNot() throws Exception {
        String head = "{\"id\":\"big-ok\",\"pad\":\"";
        String exact = head + "x".repeat(4096 - head.length() - 2) + "\"}";
        assertEquals(4096, exact.getBytes(StandardCharsets.UTF_8).length);
        String over = exact.replace("big-ok", "big-no").replace("\"}", "x\"}");

        assertEquals("CHECKED", command("pve", "check", exact, "big-ok").get("code").asText());
        client.publish("cubeguardian/pve/cmd/check", over);
        JsonNode refused = client.await(m -> m.topic().equals("cubeguardian/pve/result/check")
                && "payload_too_large".equals(m.json().at("/details/reason").asText()), WAIT).json();
        assertEquals("INVALID_COMMAND", refused.get("code").asText());
        assertEquals(4097, refused.at("/details/size").asInt());
    }

    @Test
    void unknownHostUnknownActionAndBadHostLevelAreAnsweredWhereTheContractSays() throws Exception {
        JsonNode unknownHost = command("nope", "wake", "{\"id\":\"u-1\"}", "u-1");
        JsonNode unknownAction = command("pve", "hibernate", "{\"id\":\"u-2\"}", "u-2");
        JsonNode noSsh = command("nossh", "shutdown", "{\"id\":\"u-3\"}", "u-3");
        client.publish("cubeguardian/PVE/cmd/wake", "{\"id\":\"u-4\"}");
        JsonNode badHost = client.result("cubeguardian/bridge/error", "u-4", WAIT);

        assertEquals("UNKNOWN_HOST", unknownHost.get("code").asText());
        assertEquals("nope", unknownHost.get("host").asText());
        assertEquals("UNKNOWN_ACTION", unknownAction.get("code").asText());
        assertEquals("hibernate", unknownAction.get("action").asText());
        assertEquals("UNKNOWN_ACTION", noSsh.get("code").asText());
        assertEquals("INVALID_COMMAND", badHost.get("code").asText());
        assertTrue(badHost.get("host").isNull());
        assertEquals("cubeguardian/PVE/cmd/wake", badHost.at("/details/topic").asText());
        assertEquals(0, wol.packets().size());
    }

    @Test
    void resultAlsoGoesToTheMqtt5ResponseTopicWithTheCorrelationData() throws Exception {
        MqttProperties request = new MqttProperties();
        request.setResponseTopic("replies/test-1");
        request.setCorrelationData(new byte[] {1, 2, 3, 42});
        client.publish("cubeguardian/pve/cmd/check", "{\"id\":\"rr-1\"}".getBytes(StandardCharsets.UTF_8), request);

        MqttProbeClient.Received reply = client.await(m -> m.topic().equals("replies/test-1"), WAIT);
        JsonNode onResultTopic = client.result("cubeguardian/pve/result/check", "rr-1", WAIT);

        assertArrayEquals(new byte[] {1, 2, 3, 42}, reply.properties().getCorrelationData());
        assertEquals("rr-1", reply.json().get("id").asText());
        assertEquals(onResultTopic, reply.json());
        assertEquals(null, client.await(m -> m.topic().equals("cubeguardian/pve/result/check")
                && "rr-1".equals(m.json().path("id").asText()), WAIT).properties().getCorrelationData(),
                "the command's MQTT 5 properties must not leak into the result topic");
    }

    @Test
    void aSlowHostDoesNotHoldUpOtherHostsAndItsQueuedCommandsExpire() throws Exception {
        // Given a shutdown that hangs until its 2 s SSH limit, followed on the same host by a check that may wait 1 s
        client.publish("cubeguardian/hang/cmd/cancel", "{\"id\":\"slow-1\"}");
        client.publish("cubeguardian/hang/cmd/check", "{\"id\":\"slow-2\",\"ttl_s\":1}");
        // When another host is asked meanwhile
        client.publish("cubeguardian/pve/cmd/check", "{\"id\":\"fast-1\"}");

        // Then the other host is answered first, and the queued check expires instead of running late
        JsonNode fast = client.result("cubeguardian/pve/result/check", "fast-1", WAIT);
        JsonNode slow = client.result("cubeguardian/hang/result/cancel", "slow-1", WAIT);
        JsonNode expired = client.result("cubeguardian/hang/result/check", "slow-2", WAIT);
        assertEquals("CHECKED", fast.get("code").asText());
        assertEquals("SSH_TIMEOUT", slow.get("code").asText());
        assertEquals("COMMAND_EXPIRED", expired.get("code").asText());
        List<String> order = client.all(m -> m.topic().startsWith("cubeguardian/") && m.topic().contains("/result/")
                && List.of("fast-1", "slow-1").contains(m.json().path("id").asText())).stream()
                .map(m -> m.json().get("id").asText()).toList();
        assertEquals(List.of("fast-1", "slow-1"), order);
    }

    @Test
    void bridgeStateAndInfoAreRetained() throws Exception {
        try (MqttProbeClient late = new MqttProbeClient(broker.url(), "cubeguardian/bridge/+")) {
            MqttProbeClient.Received state = late.await(m -> m.topic().equals("cubeguardian/bridge/state"), WAIT);
            MqttProbeClient.Received info = late.await(m -> m.topic().equals("cubeguardian/bridge/info"), WAIT);

            assertTrue(state.retained());
            assertEquals("online", state.text());
            assertTrue(info.retained());
            assertEquals("1.1", info.json().get("api_version").asText());
            assertEquals("pve", info.json().at("/hosts/0/id").asText());
            assertEquals("Proxmox", info.json().at("/hosts/0/name").asText());
            assertEquals("[\"wake\",\"check\",\"shutdown\",\"cancel\",\"reboot\"]", info.json().at("/hosts/0/capabilities").toString());
        }
    }
}
