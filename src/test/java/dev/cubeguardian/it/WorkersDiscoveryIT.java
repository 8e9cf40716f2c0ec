package dev.cubeguardian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Home Assistant discovery with several workers under one base topic (v1.1): each worker's hosts
 * say that worker's own availability topic, a worker never clears another worker's hosts, and in
 * a share group the configs follow the active member.
 */
class WorkersDiscoveryIT {

    private static final Duration WAIT = Duration.ofSeconds(25);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALPHA = "homeassistant/device/cubeguardian_alpha/config";
    private static final String BETA = "homeassistant/device/cubeguardian_beta/config";

    @TempDir
    Path dir;

    @Test
    void eachWorkersHostsFollowThatWorkersAvailabilityAndARestartedWorkerLeavesTheOthersHostsAlone() throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker().start();
                MqttProbeClient live = new MqttProbeClient(broker.url(), "homeassistant/#", "cubeguardian/bridge/#")) {
            Map<String, String> a = worker(broker, "a", null, hostsFile("a.yaml", "alpha"));
            Map<String, String> b = worker(broker, "b", null, hostsFile("b.yaml", "beta"));
            try (WorkerUnderTest first = new WorkerUnderTest(a).start(); WorkerUnderTest second = new WorkerUnderTest(b).start()) {
                assertEquals("cubeguardian/bridge/workers/a/state", availability(live.await(
                        m -> m.topic().equals(ALPHA) && m.payload().length > 0, WAIT).payload()));
                assertEquals("cubeguardian/bridge/workers/b/state", availability(live.await(
                        m -> m.topic().equals(BETA) && m.payload().length > 0, WAIT).payload()));
                live.await(m -> m.topic().equals("cubeguardian/bridge/workers/a/state") && m.text().equals("online"), WAIT);
                live.await(m -> m.topic().equals("cubeguardian/bridge/workers/b/state") && m.text().equals("online"), WAIT);
            }
            live.clear();
            // worker a comes back without alpha: it clears alpha (its own) and never beta (worker b's)
            a.put("cubeguardian.hosts-file", hostsFile("a2.yaml", "gamma").toString());
            try (WorkerUnderTest again = new WorkerUnderTest(a).start()) {
                live.await(m -> m.topic().equals(ALPHA) && m.payload().length == 0, WAIT);
                live.await(m -> m.topic().equals("homeassistant/device/cubeguardian_gamma/config") && m.payload().length > 0, WAIT);
                Thread.sleep(1_500);
                assertTrue(live.all(m -> m.topic().equals(BETA)).isEmpty(), "worker a touched worker b's host");
            }
            // and no worker with an id publishes v1's bridge/state or bridge/info
            assertTrue(live.all(m -> m.topic().equals("cubeguardian/bridge/state") || m.topic().equals("cubeguardian/bridge/info"))
                    .isEmpty());
        }
    }

    @Test
    void inAShareGroupOnlyTheActiveMemberPublishesAndTheConfigsFollowTheOneThatTakesOver() throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker().start();
                MqttProbeClient live = new MqttProbeClient(broker.url(), "homeassistant/#", "cubeguardian/bridge/#")) {
            Path hosts = hostsFile("group.yaml", "alpha");
            try (WorkerUnderTest one = new WorkerUnderTest(worker(broker, "one", "lab", hosts)).start()) {
                live.await(m -> m.topic().equals("cubeguardian/bridge/workers/one/info") && role(m.payload()).equals("active"), WAIT);
                assertEquals("cubeguardian/bridge/workers/one/state", availability(live.await(
                        m -> m.topic().equals(ALPHA) && m.payload().length > 0, WAIT).payload()));
                try (WorkerUnderTest two = new WorkerUnderTest(worker(broker, "two", "lab", hosts)).start()) {
                    live.await(m -> m.topic().equals("cubeguardian/bridge/workers/two/info") && role(m.payload()).equals("standby"), WAIT);
                    Thread.sleep(2_000);
                    // the standby publishes no discovery: every config seen still points at the active member
                    assertTrue(live.all(m -> m.topic().equals(ALPHA) && m.payload().length > 0)
                            .stream().allMatch(m -> availability(m.payload()).equals("cubeguardian/bridge/workers/one/state")));
                    live.clear();
                    one.close();
                    live.await(m -> m.topic().equals("cubeguardian/bridge/workers/two/info") && role(m.payload()).equals("active"), WAIT);
                    assertEquals("cubeguardian/bridge/workers/two/state", availability(live.await(
                            m -> m.topic().equals(ALPHA) && m.payload().length > 0, WAIT).payload()));
                }
            }
        }
    }

    private static Map<String, String> worker(MosquittoBroker broker, String id, String group, Path hosts) {
        Map<String, String> settings = new HashMap<>(Map.of("cubeguardian.mqtt.url", broker.url(),
                "cubeguardian.mqtt.client-id", "workers-ha-it", "cubeguardian.hosts-file", hosts.toString(),
                "cubeguardian.data-dir", "none", "cubeguardian.worker-id", id));
        if (group != null) {
            settings.put("cubeguardian.share-group", group);
        }
        return settings;
    }

    private static String availability(byte[] config) {
        try {
            return JSON.readTree(config).path("availability").path(0).path("topic").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String role(byte[] info) {
        try {
            JsonNode json = JSON.readTree(info);
            return json == null ? "" : json.path("role").asText();
        } catch (Exception e) {
            return "";
        }
    }

    private Path hostsFile(String name, String... hosts) throws Exception {
        StringBuilder yaml = new StringBuilder("hosts:\n");
        int n = 1;
        for (String host : hosts) {
            yaml.append("  ").append(host).append(":\n    mac: \"AA:BB:CC:DD:EE:").append(String.format("%02X", n++)).append("\"\n")
                    .append("    address: 127.0.0.1\n")
                    .append("    wol: {broadcast: 127.0.0.1, port: ").append(MosquittoBroker.freePort()).append(", packets: 1}\n")
                    .append("    probe: {method: tcp, port: ").append(MosquittoBroker.freePort()).append(", timeout: 300ms}\n");
        }
        return Files.writeString(dir.resolve(name), yaml.toString());
    }
}
