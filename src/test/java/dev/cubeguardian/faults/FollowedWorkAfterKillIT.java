package dev.cubeguardian.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.demo.MinecraftStatusResponder;
import dev.cubeguardian.it.MosquittoBroker;
import dev.cubeguardian.it.SwitchablePort;
import dev.cubeguardian.it.TestSshServer;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The followed work kept on disk (v1.1, mqtt-api.md "Commands are never executed twice, across
 * restarts too" and "More actions"): the packaged worker is killed with SIGKILL while it follows
 * something, and started again on the same data directory. What it followed goes on where it
 * was: a shutdown still completes under its original id, an idle countdown still ends at its
 * original time, an idle switch-off stays off. SSH commands are counted at the SSH server.
 */
@Timeout(value = 170, unit = TimeUnit.SECONDS)
class FollowedWorkAfterKillIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration START = Duration.ofSeconds(60);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private MosquittoBroker broker;
    private TestSshServer ssh;
    private Watcher watcher;
    private Sender sender;

    @BeforeEach
    void homelab() throws Exception {
        broker = keep(new MosquittoBroker().start());
        ssh = keep(new TestSshServer().start());
        watcher = keep(new Watcher(broker.url(), "faults-followed-watcher", null, null, "cubeguardian/#"));
        sender = keep(new Sender(broker.url()));
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /**
     * A shutdown now, answered and followed (the host still answers its probe) when the worker
     * is killed: the restarted worker takes up the wait, and when the host goes down the
     * {@code completed} event carries the original id and OFFLINE. The SSH command ran once,
     * a client's retry of the id after the restart included.
     */
    @Test
    void aShutdownBeingFollowedAtKillMinus9CompletesOfflineWithItsOriginalIdAfterTheRestart() throws Exception {
        SwitchablePort probe = keep(new SwitchablePort());
        Map<String, String> env = env(inventory("stopper", 1, probe.port(), ""));

        JarWorker first = startWorker("followed-shutdown-1", env);
        watcher.await(m -> isState(m, "stopper", "online"), WAIT);
        send("stopper", "shutdown", "{\"id\":\"stop-across-kill\"}");
        JsonNode answer = watcher.result("stop-across-kill", WAIT);
        assertEquals("SHUTDOWN_SENT", answer.path("code").asText(), answer.toString());
        // its progress event goes out after the followed work is on disk (HostLifecycle.react)
        watcher.await(m -> isEvent(m, "stopper", "progress") && m.json().path("id").asText().equals("stop-across-kill")
                && m.json().path("phase").asText().equals("command_sent"), WAIT);
        assertEquals(List.of("shutdown -h now"), commandsOf("stopper"));
        first.kill();   // SIGKILL, the host still up

        long restarted = System.nanoTime();
        JarWorker second = startWorker("followed-shutdown-2", env);
        // a client that never saw its answer retries the id: answered from disk, not run again
        send("stopper", "shutdown", "{\"id\":\"stop-across-kill\"}");
        assertTrue(Faults.await(() -> watcher.results("stop-across-kill").size() >= 2, WAIT), watcher.resultsById().toString());
        watcher.results("stop-across-kill").stream().skip(1)
                .forEach(again -> assertTrue(again.path("duplicate").asBoolean(), again.toString()));
        // the restarted worker still considers it stopping, then sees it go down
        watcher.await(m -> m.atNanos() > restarted && isState(m, "stopper", "stopping"), WAIT);
        probe.down();
        Watcher.Seen completed = watcher.await(m -> m.atNanos() > restarted && isEvent(m, "stopper", "completed")
                && m.json().path("action").asText().equals("shutdown"), WAIT);
        assertEquals("stop-across-kill", completed.json().path("id").asText(), completed.text());
        assertEquals("OFFLINE", completed.json().path("code").asText(), completed.text());
        assertTrue(completed.json().path("success").asBoolean(), completed.text());
        watcher.await(m -> m.atNanos() > restarted && isState(m, "stopper", "off"), WAIT);
        Thread.sleep(1_000);
        assertEquals(List.of("shutdown -h now"), commandsOf("stopper"), "the shutdown ran once, before the kill");
        assertEquals(1, watcher.all(m -> isEvent(m, "stopper", "completed")).size(), "one completed event");
        assertTrue(second.output().contains("resuming what the previous run followed: shutdown stop-across-kill"), second.output());
    }

    /**
     * An empty game past its idle time: the idle warning is out (25 s grace) when the worker is
     * killed. The restarted worker does not begin the countdown anew (no second warning): the idle
     * shutdown comes at the time the first warning announced, once.
     */
    @Test
    void anIdleCountdownUnderWayAtKillMinus9GoesOnAfterTheRestart() throws Exception {
        int graceS = 25;
        SwitchablePort probe = keep(new SwitchablePort());
        MinecraftStatusResponder game = keep(emptyGame());
        Map<String, String> env = env(inventory("idler", 2, probe.port(), minecraft(game)
                + "    idle: {enabled: true, after: 1s, minimum-uptime: 0s, grace: " + graceS + "s}\n"));

        JarWorker first = startWorker("followed-idle-1", env);
        Watcher.Seen warning = watcher.await(m -> isEvent(m, "idler", "idle_warning"), WAIT);
        assertEquals(graceS, warning.json().path("shutdown_in_s").asInt(), warning.text());
        first.kill();
        long killed = System.nanoTime();

        JarWorker second = startWorker("followed-idle-2", env);
        long restarted = System.nanoTime();
        Watcher.Seen shutdown = watcher.await(m -> m.topic().equals("cubeguardian/idler/result/shutdown"),
                Duration.ofSeconds(graceS + 20));
        assertEquals("SHUTDOWN_SENT", shutdown.json().path("code").asText(), shutdown.text());
        assertTrue(shutdown.json().path("id").asText().startsWith("idle-"), shutdown.text());
        double afterWarningS = (shutdown.atNanos() - warning.atNanos()) / 1e9;
        Faults.log("idle countdown across kill -9: warning to kill %.1f s, kill to restarted %.1f s, warning to idle shutdown %.1f s"
                + " (grace %d s)", (killed - warning.atNanos()) / 1e9, (restarted - killed) / 1e9, afterWarningS, graceS);
        assertTrue(afterWarningS >= graceS - 1.5, "not before the announced time: " + afterWarningS + " s after the warning");
        assertTrue(afterWarningS <= graceS + 5, "at about the announced time, not counted anew from the restart: "
                + afterWarningS + " s after the warning");
        // a countdown begun anew by the restarted worker could not end before its first probe, 1 s idle time and the grace
        double afterRestartS = (shutdown.atNanos() - restarted) / 1e9;
        assertTrue(afterRestartS < graceS + 0.5, "the original countdown, not a new one: " + afterRestartS + " s after the restart");
        assertEquals(List.of(), watcher.all(m -> m.atNanos() > killed && isEvent(m, "idler", "idle_warning")).stream()
                .map(Watcher.Seen::text).toList(), "the restarted worker did not start a countdown of its own");
        Thread.sleep(2_000);
        assertEquals(List.of("shutdown -h now"), commandsOf("idler"), "exactly one idle shutdown");
        assertEquals(1, watcher.all(m -> m.topic().equals("cubeguardian/idler/cmd/shutdown")).size());
        assertTrue(second.output().contains("idle countdown"), second.output());
    }

    /**
     * cmd/idle off for 4 hours, answered, then kill -9: the restarted worker's retained state
     * still says off with the same until, and an empty game sits past its idle time and grace
     * without an idle warning or shutdown.
     */
    @Test
    void anIdleSwitchOffForHoursIsKeptAcrossKillMinus9() throws Exception {
        SwitchablePort probe = keep(new SwitchablePort());
        MinecraftStatusResponder game = keep(emptyGame());
        Map<String, String> env = env(inventory("keptup", 3, probe.port(), minecraft(game)
                + "    idle: {enabled: true, after: 1s, minimum-uptime: 0s, grace: 3s}\n"));

        JarWorker first = startWorker("followed-idle-off-1", env);
        watcher.await(m -> isState(m, "keptup", "online"), WAIT);
        send("keptup", "idle", "{\"id\":\"keep-up\",\"enabled\":false,\"for_minutes\":240}");
        JsonNode off = watcher.result("keep-up", WAIT);
        assertEquals("IDLE_UPDATED", off.path("code").asText(), off.toString());
        String until = off.at("/details/until").asText();
        assertFalse(until.isEmpty(), off.toString());
        watcher.await(m -> isState(m, "keptup", "online") && m.json().at("/idle/enabled").isBoolean()
                && !m.json().at("/idle/enabled").asBoolean() && until.equals(m.json().at("/idle/until").asText()), WAIT);
        first.kill();
        long killed = System.nanoTime();

        JarWorker second = startWorker("followed-idle-off-2", env);
        Watcher.Seen state = watcher.await(m -> m.atNanos() > killed && isState(m, "keptup", "online"), WAIT);
        assertFalse(state.json().at("/idle/enabled").asBoolean(true), state.text());
        assertEquals(until, state.json().at("/idle/until").asText(), state.text());
        // what a client subscribing now is given: the new worker's retained state
        try (Watcher late = new Watcher(broker.url(), "faults-followed-late", null, null, "cubeguardian/keptup/state")) {
            Watcher.Seen retained = late.await(m -> true, WAIT);
            assertTrue(retained.retained());
            assertFalse(retained.json().at("/idle/enabled").asBoolean(true), retained.text());
            assertEquals(until, retained.json().at("/idle/until").asText(), retained.text());
        }
        Thread.sleep(8_000);   // past the 1 s idle time and the 3 s grace, twice over
        assertEquals(List.of(), commandsOf("keptup"), "no idle shutdown");
        assertEquals(List.of(), watcher.all(m -> m.atNanos() > killed && isEvent(m, "keptup", "idle_warning")).stream()
                .map(Watcher.Seen::text).toList());
        assertEquals(0, watcher.all(m -> m.topic().equals("cubeguardian/keptup/cmd/shutdown")).size());
        assertTrue(second.output().contains("idle shutdown off"), second.output());
    }

    // ---- fixtures --------------------------------------------------------------------------

    private <T extends AutoCloseable> T keep(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private String inventory(String id, int mac, int probePort, String more) throws Exception {
        return Faults.write(dir.resolve("hosts.yaml"), "version: 1\nhosts:\n" + Faults.host(id, mac, 9, 1, probePort)
                + Faults.ssh(ssh.port(), id, Faults.key("client_ed25519"), null, ssh.knownHosts(dir, "host_ed25519"), "5s")
                + more).toString();
    }

    private Map<String, String> env(String hostsFile) {
        // the data directory: data/ beside the inventory (the default), the same for both runs
        return new HashMap<>(Map.of("CUBEGUARDIAN_MQTT_URL", broker.url(), "CUBEGUARDIAN_MQTT_CLIENT_ID", "faults-followed",
                "CUBEGUARDIAN_HOSTS_FILE", hostsFile, "CUBEGUARDIAN_LOCALE", "en",
                "CUBEGUARDIAN_MONITOR_FAST_INTERVAL", "200ms", "CUBEGUARDIAN_MONITOR_STEADY_INTERVAL", "1s"));
    }

    private static String minecraft(MinecraftStatusResponder game) {
        return "    minecraft: {port: " + game.port() + ", timeout: 1s}\n";
    }

    private static MinecraftStatusResponder emptyGame() throws Exception {
        return new MinecraftStatusResponder(LOOPBACK, 0, () -> new MinecraftStatusResponder.Status(
                "1.21.4", 769, 0, 20, List.of(), "FollowedWorkAfterKillIT")).start();
    }

    private JarWorker startWorker(String name, Map<String, String> env) throws Exception {
        int before = online();
        JarWorker worker = keep(new JarWorker(dir, name, env));
        assertTrue(Faults.await(() -> online() > before || !worker.alive(), START), "worker " + name + " did not say online");
        assertTrue(worker.alive(), worker.output());
        return worker;
    }

    private int online() {
        return watcher.all(m -> m.topic().equals("cubeguardian/bridge/state") && m.text().equals("online")).size();
    }

    private void send(String host, String action, String payload) {
        assertTrue(sender.publish("cubeguardian/" + host + "/cmd/" + action, payload, null, 5_000),
                "broker did not ack: " + sender.lastFailure());
    }

    private static boolean isState(Watcher.Seen seen, String host, String state) {
        if (!seen.topic().equals("cubeguardian/" + host + "/state")) {
            return false;
        }
        JsonNode json = seen.json();
        return json != null && json.path("state").asText().equals(state);
    }

    private static boolean isEvent(Watcher.Seen seen, String host, String type) {
        if (!seen.topic().equals("cubeguardian/" + host + "/event")) {
            return false;
        }
        JsonNode json = seen.json();
        return json != null && json.path("type").asText().equals(type);
    }

    private List<String> commandsOf(String host) {
        return ssh.executed().stream().filter(e -> e.user().equals(host)).map(TestSshServer.Executed::command).toList();
    }
}
