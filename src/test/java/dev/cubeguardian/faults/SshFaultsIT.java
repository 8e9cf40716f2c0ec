package dev.cubeguardian.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.it.MosquittoBroker;
import dev.cubeguardian.it.SilentTcpServer;
import dev.cubeguardian.it.TestSshServer;
import dev.cubeguardian.it.WorkerUnderTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, fault 4: every way an SSH call can fail gives its own code, within the host's
 * ssh.timeout plus a small safety bound (measured per case; not a performance figure), and
 * nothing runs on the host when its key or the login is refused.
 */
class SshFaultsIT {

    /** Safety bound over ssh.timeout: result publishing, scheduling on a loaded 2-core machine. */
    private static final long SLACK_MS = 2_500;

    @TempDir
    static Path dir;

    static MosquittoBroker broker;
    static TestSshServer ssh;
    static SilentTcpServer silent;
    static PacketCounter wol;
    static WorkerUnderTest worker;
    static Watcher watcher;
    static Sender sender;

    @BeforeAll
    static void start() throws Exception {
        broker = new MosquittoBroker().start();
        ssh = new TestSshServer().start();
        silent = new SilentTcpServer();
        wol = new PacketCounter();
        int closed = MosquittoBroker.freePort();
        Path good = ssh.knownHosts(dir, "host_ed25519");
        Path other = ssh.knownHosts(dir, "other_host_ed25519");
        String inventory = "version: 1\nhosts:\n"
                + Faults.host("spoofed", 1, wol.port(), 1, null)
                + Faults.ssh(ssh.port(), "spoofed", Faults.key("client_ed25519"), null, other, "3s")
                + Faults.host("stranger", 2, wol.port(), 1, null)
                + Faults.ssh(ssh.port(), "stranger", Faults.key("stranger_ed25519"), null, good, "3s")
                + Faults.host("closed", 3, wol.port(), 1, null)
                + Faults.ssh(closed, "closed", Faults.key("client_ed25519"), null, good, "3s")
                + Faults.host("silent", 4, wol.port(), 1, null)
                + Faults.ssh(silent.port(), "silent", Faults.key("client_ed25519"), null, good, "1500ms")
                + Faults.host("hang", 5, wol.port(), 1, null)
                + Faults.ssh(ssh.port(), "hang", Faults.key("client_ed25519"), null, good, "2s")
                + Faults.host("ok", 6, wol.port(), 1, null)
                + Faults.ssh(ssh.port(), "ok", Faults.key("client_ed25519"), null, good, "3s");
        Path hosts = Faults.write(dir.resolve("hosts.yaml"), inventory);
        worker = new WorkerUnderTest(Map.of("cubeguardian.mqtt.url", broker.url(),
                "cubeguardian.mqtt.client-id", "faults-ssh", "cubeguardian.hosts-file", hosts.toString())).start();
        watcher = new Watcher(broker.url(), "faults-ssh-watcher", null, null, "cubeguardian/+/result/+", "cubeguardian/bridge/state");
        sender = new Sender(broker.url());
        watcher.await(m -> m.topic().equals("cubeguardian/bridge/state") && m.text().equals("online"), Duration.ofSeconds(20));
        // one good call first: the SSH client is warm, so the cases below measure the fault, not class loading
        send("ok", "cancel", "{\"id\":\"warm-up\"}");
        assertEquals("SHUTDOWN_CANCELLED", watcher.result("warm-up", Duration.ofSeconds(15)).path("code").asText());
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {sender, watcher, worker, ssh, silent, wol, broker}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static void send(String host, String action, String payload) {
        assertTrue(sender.publish("cubeguardian/" + host + "/cmd/" + action, payload, null, 5_000));
    }

    @ParameterizedTest(name = "{0} {1} -> {2} (ssh.timeout {3} ms)")
    @CsvSource({
        "spoofed,  shutdown, SSH_HOST_KEY_REJECTED, 3000, false, false",
        "spoofed,  cancel,   SSH_HOST_KEY_REJECTED, 3000, false, false",
        "stranger, shutdown, SSH_AUTH_FAILED,       3000, false, false",
        "stranger, cancel,   SSH_AUTH_FAILED,       3000, false, false",
        "closed,   shutdown, SSH_UNREACHABLE,       3000, false, false",
        "closed,   cancel,   SSH_UNREACHABLE,       3000, false, false",
        "silent,   shutdown, SSH_TIMEOUT,           1500, false, false",
        "silent,   cancel,   SSH_TIMEOUT,           1500, false, false",
        "hang,     shutdown, SSH_TIMEOUT,           2000, true,  true",
        "hang,     cancel,   SSH_TIMEOUT,           2000, true,  true"})
    void eachSshFaultHasItsCodeWithinTheHostTimeout(String host, String action, String code, long timeoutMs,
            boolean reachesTheHost, boolean takesTheWholeTimeout) throws Exception {
        int executedBefore = (int) ssh.executed().stream().filter(e -> e.user().equals(host)).count();
        String id = "ssh-" + host + "-" + action + "-" + UUID.randomUUID().toString().substring(0, 6);
        long start = System.nanoTime();
        send(host, action, "{\"id\":\"" + id + "\",\"delay_minutes\":3}");
        JsonNode result = watcher.result(id, Duration.ofMillis(timeoutMs + 10_000));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        Faults.log("ssh fault %s/%s: %s after %d ms (ssh.timeout %d ms)", host, action, result.path("code").asText(), tookMs, timeoutMs);

        assertEquals(code, result.path("code").asText(), result.toString());
        assertFalse(result.path("success").asBoolean());
        assertEquals(code, result.at("/error/code").asText());
        assertTrue(tookMs <= timeoutMs + SLACK_MS, "took " + tookMs + " ms, limit " + timeoutMs + " + " + SLACK_MS);
        if (takesTheWholeTimeout) {
            assertTrue(tookMs >= timeoutMs - 50, "a timeout cannot come before the limit: " + tookMs + " ms");
        }
        Thread.sleep(200); // a command that slipped through would be recorded by now
        long executed = ssh.executed().stream().filter(e -> e.user().equals(host)).count() - executedBefore;
        assertEquals(reachesTheHost ? 1 : 0, executed, "commands run on " + host);
        // the worker goes on serving the next command
        String next = id + "-next";
        send("ok", "check", "{\"id\":\"" + next + "\"}");
        assertEquals("CHECKED", watcher.result(next, Duration.ofSeconds(10)).path("code").asText());
    }
}
