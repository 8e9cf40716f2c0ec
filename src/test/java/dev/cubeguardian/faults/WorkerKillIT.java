package dev.cubeguardian.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.it.CountingListeners;
import dev.cubeguardian.it.MosquittoBroker;
import dev.cubeguardian.it.TestSshServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, fault 2: the packaged worker killed with SIGKILL in the middle of a stream and
 * started again. The broker publishes its Last Will; what was sent while it was dead runs
 * once when it is back, unless its MQTT 5 expiry ran out or its ttl_s passed in the queue.
 */
class WorkerKillIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration START = Duration.ofSeconds(60);
    private static final int PACKETS = 2;
    private static final int STREAM = 20;

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private MosquittoBroker broker;
    private TestSshServer ssh;
    private PacketCounter wol;
    private Map<String, String> env;
    private Watcher watcher;
    private Sender sender;
    private final Map<String, Integer> macOf = new HashMap<>();

    @BeforeEach
    void homelab() throws Exception {
        broker = keep(new MosquittoBroker().start());
        ssh = keep(new TestSshServer().start());
        wol = keep(new PacketCounter());
        CountingListeners up = keep(new CountingListeners(1));
        Path known = ssh.knownHosts(dir, "host_ed25519");
        StringBuilder inventory = new StringBuilder("version: 1\nhosts:\n");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < STREAM; i++) {
            ids.add("k" + i);
        }
        ids.addAll(List.of("d1", "d3", "d5"));
        for (String id : ids) {
            macOf.put(id, macOf.size());
            inventory.append(Faults.host(id, macOf.get(id), wol.port(), PACKETS, up.port(0)));
        }
        for (String id : List.of("d2", "d4", "hang")) {
            macOf.put(id, macOf.size());
            inventory.append(Faults.host(id, macOf.get(id), wol.port(), PACKETS, up.port(0)))
                    .append(Faults.ssh(ssh.port(), id, Faults.key("client_ed25519"), null, known, "5s"));
        }
        Path hosts = Faults.write(dir.resolve("hosts.yaml"), inventory.toString());
        env = Map.of("CUBEGUARDIAN_MQTT_URL", broker.url(), "CUBEGUARDIAN_MQTT_CLIENT_ID", "faults-kill",
                "CUBEGUARDIAN_HOSTS_FILE", hosts.toString(), "CUBEGUARDIAN_WAKE_RESEND_AFTER", "1h",
                "CUBEGUARDIAN_MONITOR_STEADY_INTERVAL", "30s");
        watcher = keep(new Watcher(broker.url(), "faults-kill-watcher", null, null, "cubeguardian/#"));
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

    private JarWorker startWorker(String name) throws Exception {
        int statesBefore = bridgeStates().size();
        JarWorker worker = keep(new JarWorker(dir, name, env));
        assertTrue(Faults.await(() -> bridgeStates().size() > statesBefore && bridgeStates().get(bridgeStates().size() - 1).equals("online")
                || !worker.alive(), START), "worker " + name + " did not say online");
        assertTrue(worker.alive(), worker.output());
        return worker;
    }

    private List<String> bridgeStates() {
        return watcher.all(m -> m.topic().equals("cubeguardian/bridge/state")).stream().map(Watcher.Seen::text).toList();
    }

    private void send(String host, String action, String payload, Long expiry) {
        MqttProperties properties = new MqttProperties();
        if (expiry != null) {
            properties.setMessageExpiryInterval(expiry);
        }
        assertTrue(sender.publish("cubeguardian/" + host + "/cmd/" + action, payload, properties, 5_000), "broker did not ack");
    }

    private int packets(String host) {
        return wol.count(Faults.mac(macOf.get(host)));
    }

    private long executedBy(String user) {
        return ssh.executed().stream().filter(e -> e.user().equals(user)).count();
    }

    @Test
    void lastWillOnKillAndCommandsSentWhileDeadRunOnceUnlessExpired() throws Exception {
        JarWorker first = startWorker("kill-1");

        // mid-stream: half the wakes answered one by one, the other half in flight when the worker dies
        for (int i = 0; i < STREAM; i++) {
            send("k" + i, "wake", "{\"id\":\"m-" + i + "\"}", null);
            if (i < STREAM / 2) {
                watcher.result("m-" + i, WAIT);
            }
        }
        long killedAt = System.nanoTime();
        first.kill();

        // the Last Will, retained
        watcher.await(m -> m.topic().equals("cubeguardian/bridge/state") && m.text().equals("offline"), WAIT);
        long willMs = (System.nanoTime() - killedAt) / 1_000_000;
        try (Watcher late = new Watcher(broker.url(), "faults-kill-late", null, null, "cubeguardian/bridge/state")) {
            Watcher.Seen retained = late.await(m -> true, WAIT);
            assertEquals("offline", retained.text());
            assertTrue(retained.retained());
        }
        int answeredBeforeKill = 0;
        int executedBeforeKill = 0;
        int partial = 0;
        for (int i = 0; i < STREAM; i++) {
            answeredBeforeKill += watcher.answered("m-" + i) ? 1 : 0;
            executedBeforeKill += packets("k" + i) > 0 ? 1 : 0;
            // a SIGKILL between two packets of one wake leaves a partial set: at most one execution's worth
            partial += packets("k" + i) > 0 && packets("k" + i) < PACKETS ? 1 : 0;
            assertTrue(packets("k" + i) <= PACKETS, "k" + i + ": " + packets("k" + i));
        }

        // while it is dead
        send("d1", "wake", "{\"id\":\"q-wake\"}", null);
        send("d2", "cancel", "{\"id\":\"q-cancel\"}", null);
        send("d3", "wake", "{\"id\":\"e-wake\"}", 1L);
        send("d4", "shutdown", "{\"id\":\"e-shutdown\",\"delay_minutes\":5}", 1L);
        send("hang", "cancel", "{\"id\":\"t-slow\"}", null);
        send("hang", "wake", "{\"id\":\"t-ttl\",\"ttl_s\":1}", null);
        // ttl_s 4: shorter than the time dead in the broker (2.5 s + a JVM start), longer than a busy lane
        send("d5", "wake", "{\"id\":\"l-ttl\",\"ttl_s\":4}", null);
        Thread.sleep(2_500); // the 1 s MQTT 5 expiries run out in the broker

        startWorker("kill-2");
        assertEquals("WOL_SENT", watcher.result("q-wake", WAIT).path("code").asText());
        assertEquals("SHUTDOWN_CANCELLED", watcher.result("q-cancel", WAIT).path("code").asText());
        assertEquals("SSH_TIMEOUT", watcher.result("t-slow", WAIT).path("code").asText());
        assertEquals("COMMAND_EXPIRED", watcher.result("t-ttl", WAIT).path("code").asText(), "ttl_s ran out behind the slow cancel");
        // documented (mqtt-api.md, Expiry): ttl_s counts from the worker's receipt, so time dead in the broker does not count
        assertEquals("WOL_SENT", watcher.result("l-ttl", WAIT).path("code").asText());
        send("d1", "check", "{\"id\":\"marker\"}", null);
        watcher.result("marker", WAIT);
        Thread.sleep(1_000);
        assertEquals(PACKETS, packets("d1"), "queued wake ran once");
        assertEquals(1, executedBy("d2"), "queued cancel ran once");
        assertEquals(0, packets("d3"), "expired wake never ran");
        assertEquals(0, executedBy("d4"), "expired shutdown never ran");
        assertEquals(List.of(), watcher.results("e-wake"));
        assertEquals(List.of(), watcher.results("e-shutdown"));
        assertEquals(0, packets("hang"), "the wake whose ttl_s ran out never ran");
        assertEquals(1, executedBy("hang"));
        assertEquals(PACKETS, packets("d5"));

        // the stream: a client re-sends (same id) what is still unanswered; the new worker has no memory of ids
        Thread.sleep(1_000);
        int answeredAfterRestart = 0;
        List<String> lost = new ArrayList<>();
        for (int i = 0; i < STREAM; i++) {
            if (!watcher.answered("m-" + i)) {
                if (packets("k" + i) == 0) {
                    lost.add("m-" + i); // still possibly in the broker for the new worker: confirmed by the disabled test below
                }
                send("k" + i, "wake", "{\"id\":\"m-" + i + "\"}", null);
            } else {
                answeredAfterRestart++;
            }
        }
        int twice = 0;
        for (int i = 0; i < STREAM; i++) {
            watcher.result("m-" + i, WAIT);
        }
        Thread.sleep(500);
        for (int i = 0; i < STREAM; i++) {
            // once, or (documented: ids are forgotten on restart) once more after the re-send of an unanswered id
            assertTrue(packets("k" + i) >= PACKETS && packets("k" + i) <= 2 * PACKETS, "k" + i + ": " + packets("k" + i));
            twice += packets("k" + i) > PACKETS ? 1 : 0;
        }
        Faults.log("worker kill: Last Will after %d ms; stream of %d: answered before kill %d, executed before kill %d"
                + " (%d cut between two packets), answered by the time the restarted worker was up %d, taken by the killed worker and never run or answered %s,"
                + " run twice after the client re-sent an id the new worker could not know %d",
                willMs, STREAM, answeredBeforeKill, executedBeforeKill, partial, answeredAfterRestart, lost, twice);
    }

    /**
     * A command the worker has taken off the broker but not run yet when it is killed: the
     * broker considers it delivered (the worker acknowledged it on receipt), so it is gone.
     */
    @Test
    void aCommandQueuedInTheWorkerWhenItIsKilledIsNotLost() throws Exception {
        JarWorker first = startWorker("lost-1");
        send("hang", "cancel", "{\"id\":\"x-slow\"}", null);
        send("hang", "wake", "{\"id\":\"x-queued\"}", null);
        Thread.sleep(700); // both taken by the worker: the cancel hangs for its 2 s, the wake waits behind it
        first.kill();
        startWorker("lost-2");
        Faults.await(() -> watcher.answered("x-queued"), WAIT);
        Faults.log("queued at kill: x-queued answered %s, packets %d", watcher.answered("x-queued"), packets("hang"));
        assertEquals(PACKETS, packets("hang"), "the queued wake ran once");
        assertEquals("WOL_SENT", watcher.result("x-queued", Duration.ofSeconds(1)).path("code").asText());
    }
}
