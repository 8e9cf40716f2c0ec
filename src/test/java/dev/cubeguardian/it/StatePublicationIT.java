package dev.cubeguardian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When each host's retained state goes out, as a subscriber sees it: once at start, before the
 * Home Assistant configs, and again within every refresh period, spread over it.
 */
class StatePublicationIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** Hosts a0.. answering on the listeners, r0.. on closed ports (refused), s0.. on ports that never answer. */
    private Path inventory(CountingListeners up, int refused, Blackhole silent, int silentCount) throws java.io.IOException {
        StringBuilder yaml = new StringBuilder("hosts:\n");
        int n = 0;
        List<String[]> hosts = new ArrayList<>();
        for (int i = 0; up != null && i < up.size(); i++) {
            hosts.add(new String[] {"a" + i, String.valueOf(up.port(i))});
        }
        for (int i = 0; i < refused; i++) {
            hosts.add(new String[] {"r" + i, String.valueOf(MosquittoBroker.freePort())});
        }
        for (int i = 0; i < silentCount; i++) {
            hosts.add(new String[] {"s" + i, String.valueOf(silent.port())});
        }
        for (String[] host : hosts) {
            n++;
            yaml.append("  ").append(host[0]).append(":\n")
                    .append("    mac: \"02:00:00:00:00:").append(String.format("%02x", n)).append("\"\n")
                    .append("    address: 127.0.0.1\n")
                    .append("    wol: {broadcast: 127.0.0.1, port: ").append(MosquittoBroker.freePort()).append("}\n")
                    .append("    probe: {method: tcp, port: ").append(host[1]).append(", timeout: 1s}\n");
        }
        return Files.writeString(dir.resolve("hosts.yaml"), yaml);
    }

    private static Map<String, String> settings(MosquittoBroker broker, String clientId, Path hosts) {
        return new HashMap<>(Map.of("cubeguardian.mqtt.url", broker.url(), "cubeguardian.mqtt.client-id", clientId,
                "cubeguardian.hosts-file", hosts.toString()));
    }

    private static String host(MqttProbeClient.Received m) {
        return m.topic().split("/")[m.topic().startsWith("homeassistant/") ? 2 : 1].replace("cubeguardian_", "");
    }

    @Test
    void aWorkerStartedBeforeItsBrokerSendsEachHostsFirstStateOnceNotAgainWithItsAnnouncement() throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker(); CountingListeners up = new CountingListeners(3)) {
            Path hosts = inventory(up, 3, null, 0);
            try (WorkerUnderTest worker = new WorkerUnderTest(settings(broker, "state-once-it", hosts)).start()) {
                // Given states made while the broker is not there yet: they wait in the outbox
                Thread.sleep(3_000);
                broker.start();
                try (MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/+/state", "homeassistant/#")) {
                    client.await(m -> m.topic().equals("cubeguardian/bridge/state") && m.text().equals("online"), WAIT);
                    for (String h : List.of("a0", "a1", "a2", "r0", "r1", "r2")) {
                        client.await(m -> m.topic().equals("homeassistant/device/cubeguardian_" + h + "/config"), WAIT);
                    }
                    Thread.sleep(1_500);
                    // Then each host's state arrived once: the announcement did not send the waiting ones again
                    for (String h : List.of("a0", "a1", "a2", "r0", "r1", "r2")) {
                        List<MqttProbeClient.Received> states = client.all(m -> m.topic().equals("cubeguardian/" + h + "/state"));
                        assertEquals(1, states.size(), h + "'s states: " + states.stream().map(MqttProbeClient.Received::text).toList());
                    }
                    assertEquals("online", client.all(m -> m.topic().equals("cubeguardian/a0/state")).get(0).json().path("state").asText());
                    assertEquals("off", client.all(m -> m.topic().equals("cubeguardian/r0/state")).get(0).json().path("state").asText());
                }
            }
        }
    }

    @Test
    void everyHostsFirstStateArrivesBeforeAnyHomeAssistantConfig() throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker().start(); CountingListeners up = new CountingListeners(3);
                Blackhole silent = new Blackhole()) {
            Path hosts = inventory(up, 3, silent, 3);
            Set<String> all = Set.of("a0", "a1", "a2", "r0", "r1", "r2", "s0", "s1", "s2");
            try (MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/+/state", "homeassistant/device/+/config");
                    WorkerUnderTest worker = new WorkerUnderTest(settings(broker, "state-first-it", hosts)).start()) {
                for (String h : all) {
                    client.await(m -> m.topic().equals("homeassistant/device/cubeguardian_" + h + "/config"), WAIT);
                }
                // the silent hosts' first states come when their 1 s probe timeout is over; the configs wait for them
                List<MqttProbeClient.Received> order = client.all(m -> !m.topic().startsWith("cubeguardian/bridge/"));
                Set<String> stated = new HashSet<>();
                for (MqttProbeClient.Received m : order) {
                    if (m.topic().startsWith("homeassistant/")) {
                        assertEquals(all, stated, "hosts with a state when the first config (" + m.topic() + ") arrived");
                        break;
                    }
                    stated.add(host(m));
                }
                assertEquals("off", client.await(m -> m.topic().equals("cubeguardian/s0/state"), WAIT).json().path("state").asText());
            }
        }
    }

    @Test
    void everyStateIsRepublishedWithinTheRefreshPeriodAndTheHostsAreSpreadOverIt() throws Exception {
        int n = 30;
        try (MosquittoBroker broker = new MosquittoBroker().start(); CountingListeners up = new CountingListeners(n)) {
            Path hosts = inventory(up, 0, null, 0);
            Map<String, String> settings = settings(broker, "state-refresh-it", hosts);
            settings.put("cubeguardian.state.refresh", "6s");
            try (MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/+/state");
                    WorkerUnderTest worker = new WorkerUnderTest(settings).start()) {
                for (int i = 0; i < n; i++) {
                    String topic = "cubeguardian/a" + i + "/state";
                    client.await(m -> m.topic().equals(topic), WAIT);
                }
                long from = System.nanoTime();
                Thread.sleep(24_000);
                List<MqttProbeClient.Received> states = client.all(m -> !m.topic().equals("cubeguardian/bridge/state"));
                Map<String, List<Long>> times = new HashMap<>();
                Map<Long, Integer> perSecond = new HashMap<>();
                for (MqttProbeClient.Received m : states) {
                    times.computeIfAbsent(host(m), h -> new ArrayList<>()).add(m.at());
                    if (m.at() > from + 8_000_000_000L) {
                        perSecond.merge((m.at() - from) / 1_000_000_000L, 1, Integer::sum);
                    }
                }
                long end = System.nanoTime();
                // Then no host went longer than the refresh period (and a little for delivery) without its state
                times.forEach((h, at) -> {
                    List<Long> gaps = new ArrayList<>();
                    for (int k = 1; k < at.size(); k++) {
                        gaps.add(at.get(k) - at.get(k - 1));
                    }
                    gaps.add(end - at.get(at.size() - 1));
                    long widest = gaps.stream().mapToLong(Long::longValue).max().orElseThrow();
                    assertTrue(widest <= 6_500_000_000L, h + " went " + widest / 1e6 + " ms without a state");
                    // about once a period (24 s: 4 to 6), not once a second
                    assertTrue(at.size() <= 9, h + " had " + at.size() + " states in 24 s");
                });
                // and the 30 hosts' republications were spread over the period, not sent together
                int most = perSecond.values().stream().mapToInt(Integer::intValue).max().orElse(0);
                // (all 30 together before: a burst of 10,000 for a large fleet)
                assertTrue(most < 20, "most states in one second: " + most + " of " + n + " " + perSecond);
            }
        }
    }
}
