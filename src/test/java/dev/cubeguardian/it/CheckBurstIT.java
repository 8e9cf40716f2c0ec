package dev.cubeguardian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks that arrive together share probes (issue: a burst of 2,000 checks for one host got
 * 1,881 BUSY): every check is answered CHECKED with its own id, and the host sees a handful of
 * probes, not one per check. Sent at QoS 0, so the broker's in-flight window does not pace
 * them: all 2,000 reach the worker at once, the worst case.
 */
// both cores for itself: see the failsafe executions in pom.xml
@Tag("alone")
class CheckBurstIT {

    private static final int CHECKS = 2_000;

    @TempDir
    Path dir;

    @Test
    void aBurstOfTwoThousandChecksForOneHostIsAnsweredCheckedEachWithItsOwnIdFromSharedProbes() throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker().start();
                CountingListeners listeners = new CountingListeners(1)) {
            Path hosts = dir.resolve("hosts.yaml");
            Files.writeString(hosts, "hosts:\n  h0:\n    mac: \"02:00:00:00:00:01\"\n    address: 127.0.0.1\n"
                    + "    wol: {broadcast: 127.0.0.1}\n    probe: {method: tcp, port: " + listeners.port(0) + ", timeout: 1s}\n");
            try (MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/h0/result/#");
                    WorkerUnderTest worker = new WorkerUnderTest(Map.of(
                            "cubeguardian.mqtt.url", broker.url(),
                            "cubeguardian.mqtt.client-id", "check-burst-it",
                            "cubeguardian.hosts-file", hosts.toString(),
                            "cubeguardian.monitor.steady-interval", "60s")).start()) {
                Thread.sleep(500);   // the monitor's first probe is done
                int before = listeners.accepted(0);
                publishBurst(broker.url());

                assertTrue(awaitCount(client, CHECKS, Duration.ofSeconds(60)), "answered: " + results(client).size());
                Map<String, Long> codes = results(client).stream()
                        .collect(Collectors.groupingBy(m -> m.json().path("code").asText(), Collectors.counting()));
                assertEquals(Map.of("CHECKED", (long) CHECKS), codes);
                Set<String> ids = results(client).stream().map(m -> m.json().path("id").asText()).collect(Collectors.toSet());
                assertEquals(CHECKS, ids.size(), "each check answered once, with its own id");
                assertTrue(ids.contains("burst-0") && ids.contains("burst-" + (CHECKS - 1)));
                int probes = listeners.accepted(0) - before;
                assertTrue(probes >= 1 && probes < CHECKS / 10, probes + " probes for " + CHECKS + " checks");
            }
        }
    }

    private static void publishBurst(String url) throws Exception {
        MqttAsyncClient burst = new MqttAsyncClient(url, "check-burst-sender", new MemoryPersistence());
        burst.connect(new MqttConnectionOptions()).waitForCompletion(5_000);
        try {
            for (int i = 0; i < CHECKS; i++) {
                MqttMessage message = new MqttMessage(("{\"id\":\"burst-" + i + "\"}").getBytes(StandardCharsets.UTF_8));
                message.setQos(0);
                burst.publish("cubeguardian/h0/cmd/check", message).waitForCompletion(5_000);
            }
        } finally {
            burst.disconnect().waitForCompletion(5_000);
            burst.close();
        }
    }

    private static java.util.List<MqttProbeClient.Received> results(MqttProbeClient client) {
        return client.all(m -> m.topic().equals("cubeguardian/h0/result/check"));
    }

    private static boolean awaitCount(MqttProbeClient client, int count, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (results(client).size() < count) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }
}
