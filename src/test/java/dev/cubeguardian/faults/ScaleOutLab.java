package dev.cubeguardian.faults;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.it.CountingListeners;
import dev.cubeguardian.it.MosquittoBroker;
import dev.cubeguardian.it.TestSshServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Several packaged workers (target/cubeguardian.jar, each its own process) under one base topic
 * on a real Mosquitto, with the fault suite's receivers: magic packets counted per MAC, SSH
 * commands recorded per user (= host id), a TCP port every host's probe finds open, a watcher on
 * {@code cubeguardian/#} since before the first worker starts.
 */
final class ScaleOutLab implements AutoCloseable {

    static final String BASE = "cubeguardian";
    static final Duration START = Duration.ofSeconds(90);
    static final int PACKETS = 2;

    final MosquittoBroker broker;
    final TestSshServer ssh;
    final PacketCounter wol;
    final CountingListeners up;
    final Watcher watcher;
    final Sender sender;
    private final Path dir;
    private final Path knownHosts;
    private final Map<String, Integer> macOf = new HashMap<>();
    private final List<AutoCloseable> open = new ArrayList<>();

    ScaleOutLab(Path dir, String name) throws Exception {
        this.dir = dir;
        broker = keep(new MosquittoBroker().start());
        ssh = keep(new TestSshServer().start());
        wol = keep(new PacketCounter());
        up = keep(new CountingListeners(1));
        knownHosts = ssh.knownHosts(dir, "host_ed25519");
        watcher = keep(new Watcher(broker.url(), "scale-watcher-" + name, null, null, BASE + "/#"));
        sender = keep(new Sender(broker.url()));
    }

    <T extends AutoCloseable> T keep(T closeable) {
        open.add(closeable);
        return closeable;
    }

    /** An inventory of these hosts, each with a MAC of its own (kept across inventories) and SSH as user = host id. */
    Path inventory(String file, List<String> hosts) throws java.io.IOException {
        return inventory(file, hosts, Map.of());
    }

    /** The same, with an SSH timeout of its own for some hosts (default 5 s); user {@code hang} never finishes a command. */
    Path inventory(String file, List<String> hosts, Map<String, String> sshTimeouts) throws java.io.IOException {
        StringBuilder text = new StringBuilder("version: 1\nhosts:\n");
        for (String host : hosts) {
            int mac = macOf.computeIfAbsent(host, h -> macOf.size() + 1);
            text.append(Faults.host(host, mac, wol.port(), PACKETS, up.port(0)))
                    .append(Faults.ssh(ssh.port(), host, Faults.key("client_ed25519"), null, knownHosts,
                            sshTimeouts.getOrDefault(host, "5s")));
        }
        return Faults.write(dir.resolve(file), text.toString());
    }

    String mac(String host) {
        return Faults.mac(macOf.get(host));
    }

    int packets(String host) {
        return wol.count(mac(host));
    }

    long sshRuns(String host) {
        return ssh.executed().stream().filter(e -> e.user().equals(host)).count();
    }

    /**
     * Starts a worker with this worker id (and share group, or null) and waits for its own
     * retained state {@code online} and an info published after the start. Every worker keeps
     * the default client id prefix ({@code cubeguardian}): the worker id is appended to it.
     */
    JarWorker start(String logName, String workerId, String group, Path inventory) throws Exception {
        return start(logName, workerId, group, inventory, Map.of());
    }

    JarWorker start(String logName, String workerId, String group, Path inventory, Map<String, String> more) throws Exception {
        Map<String, String> env = new LinkedHashMap<>(Map.of(
                "CUBEGUARDIAN_MQTT_URL", broker.url(),
                "CUBEGUARDIAN_HOSTS_FILE", inventory.toString(),
                "CUBEGUARDIAN_DATA_DIR", dir.resolve("data-" + workerId).toString(),
                "CUBEGUARDIAN_WORKER_ID", workerId,
                "CUBEGUARDIAN_WAKE_RESEND_AFTER", "1h",
                "CUBEGUARDIAN_MONITOR_STEADY_INTERVAL", "30s"));
        if (group != null) {
            env.put("CUBEGUARDIAN_SHARE_GROUP", group);
        }
        env.putAll(more);
        long since = System.nanoTime();
        JarWorker worker = keep(new JarWorker(dir, logName, env));
        boolean up = Faults.await(() -> !worker.alive()
                || lastState(workerId, since) != null && lastState(workerId, since).equals("online") && lastInfo(workerId, since) != null,
                START);
        assertTrue(worker.alive(), "worker " + workerId + " exited: " + worker.output());
        assertTrue(up, "worker " + workerId + " did not announce itself online with its info");
        return worker;
    }

    /** The last {@code bridge/workers/<id>/state} the watcher saw after {@code sinceNanos}, or null. */
    String lastState(String workerId, long sinceNanos) {
        List<Watcher.Seen> states = watcher.all(m -> m.topic().equals(BASE + "/bridge/workers/" + workerId + "/state")
                && m.atNanos() > sinceNanos);
        return states.isEmpty() ? null : states.get(states.size() - 1).text();
    }

    /** The last info of this worker the watcher saw after {@code sinceNanos}, or null. */
    JsonNode lastInfo(String workerId, long sinceNanos) {
        Watcher.Seen info = lastInfoSeen(workerId, sinceNanos);
        return info == null ? null : info.json();
    }

    Watcher.Seen lastInfoSeen(String workerId, long sinceNanos) {
        List<Watcher.Seen> infos = watcher.all(m -> m.topic().equals(BASE + "/bridge/workers/" + workerId + "/info")
                && m.atNanos() > sinceNanos);
        return infos.isEmpty() ? null : infos.get(infos.size() - 1);
    }

    /** Waits for an info of this worker with this role after {@code sinceNanos}; returns when the watcher got it (nanos). */
    long awaitRole(String workerId, String role, long sinceNanos, Duration limit) throws InterruptedException {
        boolean seen = Faults.await(() -> {
            JsonNode info = lastInfo(workerId, sinceNanos);
            return info != null && role.equals(info.path("role").asText());
        }, limit);
        assertTrue(seen, "worker " + workerId + " did not say role " + role + " within " + limit + "; last info: "
                + lastInfo(workerId, sinceNanos));
        return lastInfoSeen(workerId, sinceNanos).atNanos();
    }

    /** The retained messages a client subscribing now gets on this filter (within a second). */
    List<Watcher.Seen> retained(String filter) throws Exception {
        try (Watcher fresh = new Watcher(broker.url(), "scale-fresh-" + java.util.UUID.randomUUID(), null, null, filter)) {
            Thread.sleep(1_000);
            return fresh.all(Watcher.Seen::retained);
        }
    }

    static Set<String> hostsOf(JsonNode info) {
        Set<String> hosts = new TreeSet<>();
        info.path("hosts").forEach(host -> hosts.add(host.path("id").asText()));
        return hosts;
    }

    void send(String host, String action, String payload) {
        String topic = BASE + "/" + host + "/cmd/" + action;
        for (int attempt = 0; attempt < 3; attempt++) {
            if (sender.publish(topic, payload, new MqttProperties(), 5_000)) {
                return;
            }
        }
        throw new AssertionError("broker did not acknowledge " + topic + " " + payload + ": " + sender.lastFailure());
    }

    /** Publishes a retained message (QoS 1) as any client may, e.g. a forged worker state or info. */
    void retain(String topic, byte[] payload) throws Exception {
        org.eclipse.paho.mqttv5.client.MqttAsyncClient client = new org.eclipse.paho.mqttv5.client.MqttAsyncClient(broker.url(),
                "scale-forger-" + java.util.UUID.randomUUID(), new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        try {
            client.connect(new org.eclipse.paho.mqttv5.client.MqttConnectionOptions()).waitForCompletion(5_000);
            org.eclipse.paho.mqttv5.common.MqttMessage message = new org.eclipse.paho.mqttv5.common.MqttMessage(payload);
            message.setQos(1);
            message.setRetained(true);
            client.publish(topic, message).waitForCompletion(10_000);
            client.disconnect().waitForCompletion(5_000);
        } finally {
            client.close(true);
        }
    }

    /** The answers to this id that are not marked duplicate. */
    List<JsonNode> firstAnswers(String id) {
        return watcher.results(id).stream().filter(r -> !r.path("duplicate").asBoolean(false)).toList();
    }

    List<JsonNode> duplicateAnswers(String id) {
        return watcher.results(id).stream().filter(r -> r.path("duplicate").asBoolean(false)).toList();
    }

    @Override
    public void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                Faults.log("closing: %s", e);
            }
        }
    }
}
