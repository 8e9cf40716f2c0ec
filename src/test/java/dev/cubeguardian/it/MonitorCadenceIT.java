package dev.cubeguardian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 200 hosts watched at once on a bounded pool of probe threads: each keeps its probe cadence. */
class MonitorCadenceIT {

    private static final int HOSTS = 200;

    @TempDir
    Path dir;

    /** Hosts h0..h(count-1), each probed by TCP on its own listener. */
    private Path inventory(CountingListeners listeners, int count) throws java.io.IOException {
        StringBuilder inventory = new StringBuilder("hosts:\n");
        for (int i = 0; i < count; i++) {
            inventory.append("  h").append(i).append(":\n")
                    .append("    mac: \"02:00:00:00:").append(String.format("%02x:%02x", i / 256, i % 256)).append("\"\n")
                    .append("    address: 127.0.0.1\n")
                    .append("    wol: {broadcast: 127.0.0.1}\n")
                    .append("    probe: {method: tcp, port: ").append(listeners.port(i)).append(", timeout: 1s}\n");
        }
        return Files.writeString(dir.resolve("hosts.yaml"), inventory);
    }

    @Test
    void twoHundredHostsAreEachProbedAtTheSteadyPace() throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker().start();
                CountingListeners listeners = new CountingListeners(HOSTS)) {
            Path hosts = inventory(listeners, HOSTS);
            try (MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/+/state");
                    WorkerUnderTest worker = new WorkerUnderTest(Map.of(
                            "cubeguardian.mqtt.url", broker.url(),
                            "cubeguardian.mqtt.client-id", "cadence-it",
                            "cubeguardian.hosts-file", hosts.toString(),
                            "cubeguardian.monitor.steady-interval", "1s",
                            "cubeguardian.monitor.threads", "8")).start()) {
                // every host is seen online once
                for (int i = 0; i < HOSTS; i++) {
                    String topic = "cubeguardian/h" + i + "/state";
                    client.await(m -> m.topic().equals(topic), java.time.Duration.ofSeconds(30));
                }
                int[] before = IntStream.range(0, HOSTS).map(listeners::accepted).toArray();
                Thread.sleep(6_000);
                int[] during = IntStream.range(0, HOSTS).map(i -> listeners.accepted(i) - before[i]).toArray();

                // a steady host is probed every second: about 6 times in 6 s, never twice at once
                int min = IntStream.of(during).min().orElseThrow();
                int max = IntStream.of(during).max().orElseThrow();
                assertTrue(min >= 4, "slowest host was probed " + min + " times in 6 s");
                assertTrue(max <= 7, "busiest host was probed " + max + " times in 6 s");
                long threads = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().contains("host-probes")).count();
                // the 8 pool threads plus the 2 that complete asynchronous TCP connects
                assertTrue(threads <= 8 + 2, threads + " probe threads for " + HOSTS + " hosts");
                assertEquals(HOSTS, client.all(m -> m.topic().startsWith("cubeguardian/h") && m.json().path("state").asText().equals("online"))
                        .stream().map(MqttProbeClient.Received::topic).distinct().count());
            }
        }
    }

    /**
     * Camel's default scheduler profile holds 1,000 tasks; the monitor keeps one per host (and
     * one per asynchronous probe in flight), and a 10,000-host inventory once lost the probes of
     * all but about 1,000 hosts to "queue size limit reached" (benchmark 10).
     */
    @Test
    void twoThousandHostsAreAllWatchedNotOnlyTheFirstThousand() throws Exception {
        int hosts = 2_000;
        try (MosquittoBroker broker = new MosquittoBroker().start();
                CountingListeners listeners = new CountingListeners(hosts)) {
            Path file = inventory(listeners, hosts);
            try (MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/+/state");
                    WorkerUnderTest worker = new WorkerUnderTest(Map.of(
                            "cubeguardian.mqtt.url", broker.url(),
                            "cubeguardian.mqtt.client-id", "cadence-fleet-it",
                            "cubeguardian.hosts-file", file.toString(),
                            "cubeguardian.monitor.steady-interval", "2s")).start()) {
                long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
                long online = 0;
                while (System.nanoTime() < deadline) {
                    online = client.all(m -> m.topic().startsWith("cubeguardian/h") && m.json().path("state").asText().equals("online"))
                            .stream().map(MqttProbeClient.Received::topic).distinct().count();
                    if (online == hosts) {
                        break;
                    }
                    Thread.sleep(200);
                }
                assertEquals(hosts, online, "hosts seen online");
                int[] before = IntStream.range(0, hosts).map(listeners::accepted).toArray();
                Thread.sleep(6_000);
                long probedAgain = IntStream.range(0, hosts).filter(i -> listeners.accepted(i) > before[i]).count();
                assertEquals(hosts, probedAgain, "hosts probed again within 6 s at a 2 s steady interval");
            }
        }
    }

    @Test
    void aCheckThatFindsNothingNewLeavesTheMonitorAtItsSteadyPace() throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker().start();
                CountingListeners listeners = new CountingListeners(1)) {
            Path hosts = dir.resolve("one-host.yaml");
            Files.writeString(hosts, "hosts:\n  h0:\n    mac: \"02:00:00:00:00:01\"\n    address: 127.0.0.1\n"
                    + "    wol: {broadcast: 127.0.0.1}\n    probe: {method: tcp, port: " + listeners.port(0) + ", timeout: 1s}\n");
            try (MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/#");
                    WorkerUnderTest worker = new WorkerUnderTest(Map.of(
                            "cubeguardian.mqtt.url", broker.url(),
                            "cubeguardian.mqtt.client-id", "cadence-check-it",
                            "cubeguardian.hosts-file", hosts.toString(),
                            "cubeguardian.monitor.fast-interval", "200ms",
                            "cubeguardian.monitor.steady-interval", "60s")).start()) {
                client.await(m -> m.topic().equals("cubeguardian/h0/state") && m.json().path("state").asText().equals("online"),
                        java.time.Duration.ofSeconds(30));
                Thread.sleep(1_000); // past any probe already scheduled at the fast interval
                int before = listeners.accepted(0);
                for (int k = 0; k < 5; k++) {
                    client.publish("cubeguardian/h0/cmd/check", "{\"id\":\"still-online-" + k + "\"}");
                    assertEquals("CHECKED", client.result("cubeguardian/h0/result/check", "still-online-" + k,
                            java.time.Duration.ofSeconds(10)).path("code").asText());
                }
                Thread.sleep(1_000); // five fast intervals: time enough for any probe a check brought forward
                // each check probes once; a check that changed nothing does not make the monitor probe again
                assertEquals(5, listeners.accepted(0) - before);
            }
        }
    }
}
