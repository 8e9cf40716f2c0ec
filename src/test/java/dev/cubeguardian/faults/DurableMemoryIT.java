package dev.cubeguardian.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.it.MosquittoBroker;
import dev.cubeguardian.it.TestSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command memory on disk (v1.1): a client that retries after the worker was killed (kill -9)
 * gets the first answer again, marked duplicate, and nothing runs twice — counted where it
 * would show: magic packets at the UDP receiver, commands at the SSH server. And a store that
 * is broken or cannot be written is reported without stopping the worker.
 */
// both cores for itself: see the failsafe executions in pom.xml
@Tag("alone")
class DurableMemoryIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration START = Duration.ofSeconds(60);
    private static final int PACKETS = 2;
    private static final int ROUNDS = Faults.scale(4, 12);
    private static final int PER_ROUND = 8;
    /** One host per id of the seeded rounds, so packets counted per MAC are per id. */
    private static final int HOSTS = ROUNDS * PER_ROUND;

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private MosquittoBroker broker;
    private TestSshServer ssh;
    private PacketCounter wol;
    private Watcher watcher;
    private Sender sender;
    private Map<String, String> env;

    @BeforeEach
    void homelab() throws Exception {
        broker = keep(new MosquittoBroker().start());
        ssh = keep(new TestSshServer().start());
        wol = keep(new PacketCounter());
        Path known = ssh.knownHosts(dir, "host_ed25519");
        StringBuilder inventory = new StringBuilder("hosts:\n");
        for (int i = 0; i < HOSTS; i++) {
            inventory.append(Faults.host("h" + i, i, wol.port(), PACKETS, null))
                    .append(Faults.ssh(ssh.port(), "h" + i, Faults.key("client_ed25519"), null, known, "5s"));
        }
        Path hosts = Faults.write(dir.resolve("hosts.yaml"), inventory.toString());
        env = new HashMap<>(Map.of("CUBEGUARDIAN_MQTT_URL", broker.url(), "CUBEGUARDIAN_MQTT_CLIENT_ID", "faults-memory",
                "CUBEGUARDIAN_HOSTS_FILE", hosts.toString(), "CUBEGUARDIAN_WAKE_RESEND_AFTER", "1h",
                "CUBEGUARDIAN_MONITOR_STEADY_INTERVAL", "30s"));
        watcher = keep(new Watcher(broker.url(), "faults-memory-watcher", null, null, "cubeguardian/#"));
        sender = keep(new Sender(broker.url()));
    }

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
    void aRetryAfterKillMinus9IsAnsweredFromDiskAndRunsNothingAgain() throws Exception {
        JarWorker first = startWorker("memory-1");
        send("h0", "wake", "{\"id\":\"wake-once\"}");
        send("h1", "shutdown", "{\"id\":\"stop-once\",\"delay_minutes\":5,\"force\":true}");
        JsonNode wake = watcher.result("wake-once", WAIT);
        JsonNode stop = watcher.result("stop-once", WAIT);
        assertEquals("WOL_SENT", wake.path("code").asText());
        assertEquals("SHUTDOWN_SCHEDULED", stop.path("code").asText(), stop.toString());
        first.kill();

        startWorker("memory-2");
        send("h0", "wake", "{\"id\":\"wake-once\"}");
        send("h1", "shutdown", "{\"id\":\"stop-once\",\"delay_minutes\":5,\"force\":true}");
        assertEquals(wake.path("timestamp").asText(), repeatsOfFirst("wake-once", 2).get(0).path("timestamp").asText());
        assertEquals(stop.path("timestamp").asText(), repeatsOfFirst("stop-once", 2).get(0).path("timestamp").asText());
        Thread.sleep(500);   // a second burst of packets, if one were sent, would arrive by now
        assertEquals(PACKETS, wol.count(Faults.mac(0)), "one wake's packets, not two");
        assertEquals(1, ssh.executed().stream().filter(e -> e.user().equals("h1")).count(), ssh.executed().toString());
    }

    /**
     * Checks answered together from one probe are committed to disk together, once, before any
     * of them is acknowledged: after a kill -9 every one of them is answered from disk.
     */
    @Test
    void aRoundOfChecksAnsweredBeforeKillMinus9IsAnsweredFromDiskAfterTheRestart() throws Exception {
        JarWorker first = startWorker("checks-1");
        int checks = 60;
        for (int i = 0; i < checks; i++) {
            send("h5", "check", "{\"id\":\"round-" + i + "\"}");
        }
        for (int i = 0; i < checks; i++) {
            watcher.result("round-" + i, WAIT);
        }
        first.kill();

        startWorker("checks-2");
        for (int i = 0; i < checks; i++) {
            send("h5", "check", "{\"id\":\"round-" + i + "\"}");
        }
        for (int i = 0; i < checks; i++) {
            repeatsOfFirst("round-" + i, 2);
        }
    }

    /**
     * Seeded rounds: a stream of commands, the worker killed after a random number of answers,
     * restarted, and the client retrying every id it sent. Each id has a host of its own, so the
     * magic packets counted per MAC are per id: an id answered before the kill runs exactly once;
     * one cut off by the kill runs once or, as the contract allows for a command not yet
     * answered, once more after the broker redelivers it (a burst cut in the middle shows as
     * one to two bursts of packets); none is lost.
     */
    @Test
    void killedAtRandomPointsOfACommandStreamNoAnsweredIdRunsTwiceAndNoneIsLost() throws Exception {
        Random random = new Random(20261202L);
        int rounds = ROUNDS;
        List<String> answeredBeforeKill = new ArrayList<>();
        List<String> cutOff = new ArrayList<>();
        JarWorker worker = startWorker("rounds-0");
        for (int round = 0; round < rounds; round++) {
            List<String> sent = new ArrayList<>();
            int killAfter = random.nextInt(PER_ROUND + 1);
            for (int i = 0; i < PER_ROUND; i++) {
                String id = "r" + round + "-" + i;
                send(host(round, i), "wake", "{\"id\":\"" + id + "\"}");
                sent.add(id);
                if (i < killAfter) {
                    watcher.result(id, WAIT);
                }
            }
            sent.forEach(id -> (watcher.answered(id) ? answeredBeforeKill : cutOff).add(id));
            worker.kill();
            Faults.log("round %d: killed after %d answers", round, killAfter);
            worker = startWorker("rounds-" + (round + 1));
            for (int i = 0; i < PER_ROUND; i++) {
                send(host(round, i), "wake", "{\"id\":\"" + sent.get(i) + "\"}");
            }
            for (String id : sent) {
                watcher.result(id, WAIT);
            }
        }
        Thread.sleep(1_000);   // late packets, if any, are in by now
        for (String id : answeredBeforeKill) {
            assertEquals(PACKETS, packetsOf(id), id + " was answered before the kill: it must not run again");
        }
        for (String id : cutOff) {
            int packets = packetsOf(id);
            // killed in the middle of its burst, it may have sent part of it before running again in full
            assertTrue(packets >= PACKETS && packets <= 2 * PACKETS, id + " cut off by the kill: ran once, or part and once, sent "
                    + packets + " packets");
        }
        assertFalse(answeredBeforeKill.isEmpty(), "the seed gives answered ids to check");
    }

    private int packetsOf(String id) {
        String[] parts = id.substring(1).split("-");
        return wol.count(Faults.mac(Integer.parseInt(parts[0]) * PER_ROUND + Integer.parseInt(parts[1])));
    }

    private static String host(int round, int i) {
        return "h" + (round * PER_ROUND + i);
    }

    @Test
    void aWakeUnderWayWhenTheWorkerIsKilledStillCompletesWithItsOriginalIdAfterTheRestart() throws Exception {
        int probePort = MosquittoBroker.freePort();
        Path hosts = Faults.write(dir.resolve("resume.yaml"), "hosts:\n"
                + Faults.host("booting", 900, wol.port(), PACKETS, probePort));
        env.put("CUBEGUARDIAN_HOSTS_FILE", hosts.toString());
        env.put("CUBEGUARDIAN_MONITOR_STEADY_INTERVAL", "1s");
        env.put("CUBEGUARDIAN_MONITOR_FAST_INTERVAL", "200ms");
        JarWorker first = startWorker("resume-1");
        send("booting", "wake", "{\"id\":\"wake-across-restart\"}");
        assertEquals("WOL_SENT", watcher.result("wake-across-restart", WAIT).path("code").asText());
        watcher.await(m -> m.topic().equals("cubeguardian/booting/state") && m.text().contains("\"waking\""), WAIT);
        first.kill();

        startWorker("resume-2");
        // the host comes up while the new worker follows what the old one started
        try (java.net.ServerSocket up = new java.net.ServerSocket(probePort, 50, java.net.InetAddress.getLoopbackAddress());
                AutoCloseable acceptor = acceptAll(up)) {
            Watcher.Seen completed = watcher.await(m -> m.topic().equals("cubeguardian/booting/event")
                    && m.text().contains("\"completed\"") && m.text().contains("\"wake\""), WAIT);
            assertEquals("wake-across-restart", completed.json().path("id").asText(), completed.text());
            assertEquals("ONLINE", completed.json().path("code").asText(), completed.text());
        }
        assertEquals(PACKETS, wol.count(Faults.mac(900)), "the wake was not sent again by the new worker");
    }

    private static AutoCloseable acceptAll(java.net.ServerSocket server) {
        Thread thread = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    server.accept().close();
                } catch (java.io.IOException closed) {
                    return;
                }
            }
        }, "resume-host");
        thread.setDaemon(true);
        thread.start();
        return server::close;
    }

    @Test
    void aCorruptedStoreFileIsMovedAsideReportedAndTheWorkerAnswers() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.write(data.resolve("commands.mv.db"), "this is not an MVStore file, it was torn or overwritten".repeat(200).getBytes());
        JarWorker worker = startWorker("corrupt");
        send("h2", "wake", "{\"id\":\"after-corruption\"}");
        assertEquals("WOL_SENT", watcher.result("after-corruption", WAIT).path("code").asText());
        String log = worker.output();
        assertTrue(log.contains("could not be read") && log.contains("moved aside"), log);
        try (var files = Files.list(data)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("commands.mv.db.broken-")), "the broken file is kept");
        }
    }

    @Test
    void aDataDirectoryThatCannotBeWrittenIsReportedAndCommandsAreStillAnswered() throws Exception {
        // a file where the directory should be: no store can be made there, whoever runs the test (root too)
        Path notADirectory = Files.writeString(dir.resolve("data-is-a-file"), "x");
        env.put("CUBEGUARDIAN_DATA_DIR", notADirectory.resolve("data").toString());
        JarWorker worker = startWorker("unwritable");
        send("h3", "wake", "{\"id\":\"no-disk\"}");
        assertEquals("WOL_SENT", watcher.result("no-disk", WAIT).path("code").asText());
        String log = worker.output();
        assertTrue(log.contains("is not kept across restarts"), log);
        assertFalse(log.contains("Exception in thread"), log);
    }

    /**
     * A data directory on a file system that fills up (a 512 KiB tmpfs, nearly full from the
     * start): once writes fail the worker says so and goes on answering from memory. Needs a
     * root that may mount a tmpfs (CI does); elsewhere it says why it did not run.
     */
    @Test
    void aFullDiskIsReportedAndCommandsAreStillAnsweredOnce() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("tiny"));
        Process mounting = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", mount.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mounting.waitFor() == 0,
                "cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN): " + new String(mounting.getInputStream().readAllBytes()));
        try {
            // leave room for the store's first chunks only
            Files.write(mount.resolve("filler"), new byte[440 * 1024]);
            env.put("CUBEGUARDIAN_DATA_DIR", mount.resolve("data").toString());
            JarWorker worker = startWorker("full-disk");
            for (int i = 0; i < 300; i++) {
                send("h" + (i % HOSTS), "check", "{\"id\":\"fill-" + i + "\"}");
            }
            for (int i = 0; i < 300; i++) {
                assertEquals("CHECKED", watcher.result("fill-" + i, WAIT).path("code").asText());
            }
            send("h4", "wake", "{\"id\":\"full-wake\"}");
            watcher.result("full-wake", WAIT);
            send("h4", "wake", "{\"id\":\"full-wake\"}");
            repeatsOfFirst("full-wake", 2);   // still de-duplicated, from memory
            assertEquals(PACKETS, wol.count(Faults.mac(4)));
            String log = worker.output();
            assertTrue(log.contains("Could not write the command memory to disk"), log);
            assertTrue(worker.alive(), log);
        } finally {
            new ProcessBuilder("umount", "-l", mount.toString()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start().waitFor();
        }
    }

    /**
     * A data directory that became read-only with a store in it (a volume mounted {@code :ro}, a
     * file system remounted read-only after errors): the worker reads the answers on disk and
     * honours them, says plainly that nothing new is kept, and answers new commands from memory.
     * Needs a root that may mount a tmpfs, like the full disk.
     */
    @Test
    void aReadOnlyDataDirectoryHoldingAStoreIsReadAndItsAnswersAreNotRunAgain() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("ro"));
        org.junit.jupiter.api.Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount.toString()),
                "cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN)");
        try {
            env.put("CUBEGUARDIAN_DATA_DIR", mount.resolve("data").toString());
            JarWorker first = startWorker("before-read-only");
            send("h6", "wake", "{\"id\":\"kept-on-disk\"}");
            JsonNode wake = watcher.result("kept-on-disk", WAIT);
            assertEquals("WOL_SENT", wake.path("code").asText());
            first.kill();
            assertTrue(run("mount", "-o", "remount,ro", mount.toString()), "remount read-only");

            JarWorker second = startWorker("read-only");
            send("h6", "wake", "{\"id\":\"kept-on-disk\"}");
            assertEquals(wake.path("timestamp").asText(), repeatsOfFirst("kept-on-disk", 2).get(0).path("timestamp").asText(),
                    "answered from the read-only file");
            send("h7", "wake", "{\"id\":\"memory-only\"}");
            assertEquals("WOL_SENT", watcher.result("memory-only", WAIT).path("code").asText());
            send("h7", "wake", "{\"id\":\"memory-only\"}");
            repeatsOfFirst("memory-only", 2);   // de-duplicated from memory
            Thread.sleep(500);   // a second burst of packets, if one were sent, would arrive by now
            assertEquals(PACKETS, wol.count(Faults.mac(6)), "the answer on disk ran nothing again");
            assertEquals(PACKETS, wol.count(Faults.mac(7)));
            String log = second.output();
            assertTrue(log.contains("read-only") && log.contains("1 answered command"), log);
            assertFalse(log.contains("nor replaced") || log.contains("moved aside"), log);
            assertTrue(second.alive(), log);
        } finally {
            run("umount", "-l", mount.toString());
        }
    }

    private static boolean run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).start();
        boolean done = process.waitFor() == 0;
        Faults.log("%s: %s", String.join(" ", command), new String(process.getInputStream().readAllBytes()).trim());
        return done;
    }

    private JarWorker startWorker(String name) throws Exception {
        int before = onlineCount();
        JarWorker worker = keep(new JarWorker(dir, name, env));
        assertTrue(Faults.await(() -> onlineCount() > before || !worker.alive(), START), "worker " + name + " did not say online");
        assertTrue(worker.alive(), worker.output());
        return worker;
    }

    private int onlineCount() {
        return (int) watcher.all(m -> m.topic().equals("cubeguardian/bridge/state") && m.text().equals("online")).size();
    }

    /**
     * Publishes until the broker acknowledges, as a client that wants an answer does: a resend
     * carries the same id, so it is answered, never run, again (what these tests count).
     */
    private void send(String host, String action, String payload) {
        for (int attempt = 1; attempt <= 3; attempt++) {
            if (sender.publish("cubeguardian/" + host + "/cmd/" + action, payload, new MqttProperties(), 5_000)) {
                return;
            }
            Faults.log("publish %s/%s not acknowledged (attempt %d): %s", host, action, attempt, sender.lastFailure());
        }
        throw new AssertionError("broker did not ack after 3 attempts: " + sender.lastFailure(), sender.lastFailure());
    }

    /**
     * Every answer after the first is the first one again, marked duplicate. More than one
     * duplicate is allowed: a command answered just before a kill -9 may not have been
     * acknowledged to the broker yet, which then delivers it again to the next worker.
     */
    private List<JsonNode> repeatsOfFirst(String id, int atLeast) throws InterruptedException {
        assertTrue(Faults.await(() -> watcher.results(id).size() >= atLeast, WAIT), id + " answered " + atLeast + " times: "
                + watcher.resultsById());
        List<JsonNode> answers = watcher.results(id);
        for (JsonNode again : answers.subList(1, answers.size())) {
            assertTrue(again.path("duplicate").asBoolean(), again.toString());
            assertEquals(answers.get(0).path("timestamp").asText(), again.path("timestamp").asText(), "the first answer, not a new one");
        }
        return answers;
    }
}
