package dev.cubeguardian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a share group only the active member monitors, answers and runs the schedules (v1.1): the
 * standby probes nothing and publishes no scheduled command, so each schedule time is asked for
 * once; when the active member stops, the standby takes all of it over.
 */
class ShareGroupDutiesIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void theStandbyProbesNothingAndFiresNoScheduleUntilItTakesOver() throws Exception {
        Path hosts = dir.resolve("hosts.yaml");
        Files.writeString(hosts, """
                hosts:
                  duty:
                    mac: "AA:BB:CC:DD:EE:41"
                    address: 127.0.0.1
                    wol: {broadcast: 127.0.0.1, port: %d, packets: 1}
                    probe: {method: tcp, port: %d, timeout: 300ms}
                    schedule:
                      - cron: "* * * * *"
                        action: check
                """.formatted(MosquittoBroker.freePort(), MosquittoBroker.freePort()));
        try (MosquittoBroker broker = new MosquittoBroker().start();
                MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/#")) {
            try (WorkerUnderTest one = new WorkerUnderTest(member(broker, "one", hosts)).start()) {
                client.await(m -> m.topic().equals("cubeguardian/bridge/workers/one/info") && m.text().contains("\"role\":\"active\""), WAIT);
                try (WorkerUnderTest two = new WorkerUnderTest(member(broker, "two", hosts)).start()) {
                    client.await(m -> m.topic().equals("cubeguardian/bridge/workers/two/info") && m.text().contains("\"role\":\"standby\""), WAIT);
                    client.clear();

                    // a schedule time passes with both members running: it is asked for once
                    MqttProbeClient.Received fired = client.await(m -> m.topic().equals("cubeguardian/duty/cmd/check")
                            && m.text().contains("\"sched-duty-check-"), Duration.ofSeconds(75));
                    String id = fired.json().path("id").asText();
                    client.result("cubeguardian/duty/result/check", id, WAIT);
                    Thread.sleep(3_000);
                    assertEquals(1, client.all(m -> m.topic().equals("cubeguardian/duty/cmd/check") && m.text().contains(id)).size(),
                            "the schedule's command was published more than once");
                    assertEquals(1, client.all(m -> m.topic().equals("cubeguardian/duty/result/check") && m.text().contains(id)
                            && !m.text().contains("\"duplicate\"")).size());

                    // only the active member probed and answered
                    assertTrue(count(one, "cubeguardian.probes") > 0, "the active member probes its host");
                    assertEquals(0, count(two, "cubeguardian.probes"), "the standby must not probe");
                    assertEquals(0, count(two, "cubeguardian.commands"), "the standby must not answer commands");

                    // the active member stops: the standby takes the commands and the monitoring over
                    one.close();
                    client.await(m -> m.topic().equals("cubeguardian/bridge/workers/two/info") && m.text().contains("\"role\":\"active\""), WAIT);
                    client.publish("cubeguardian/duty/cmd/check", "{\"id\":\"after-takeover\"}");
                    assertEquals("CHECKED", client.result("cubeguardian/duty/result/check", "after-takeover", WAIT).path("code").asText());
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    while (count(two, "cubeguardian.probes") == 0 && System.nanoTime() < deadline) {
                        Thread.sleep(200);
                    }
                    assertTrue(count(two, "cubeguardian.probes") > 0, "the new active member probes its host");
                    assertTrue(count(two, "cubeguardian.commands") >= 1);
                }
            }
        }
    }

    private static Map<String, String> member(MosquittoBroker broker, String id, Path hosts) {
        Map<String, String> settings = new HashMap<>(Map.of("cubeguardian.mqtt.url", broker.url(),
                "cubeguardian.mqtt.client-id", "duties-it", "cubeguardian.hosts-file", hosts.toString(),
                "cubeguardian.data-dir", "none", "cubeguardian.worker-id", id, "cubeguardian.share-group", "duties",
                "cubeguardian.ha.discovery", "false"));
        return settings;
    }

    /** Read from the Prometheus registry: the probes are counted by a collector of its own there, not by Micrometer counters. */
    private static double count(WorkerUnderTest worker, String name) {
        PrometheusMeterRegistry meters = (PrometheusMeterRegistry) worker.context().getRegistry().findSingleByType(MeterRegistry.class);
        String prometheusName = name.replace('.', '_');
        return meters.getPrometheusRegistry().scrape().stream()
                .filter(metric -> metric.getMetadata().getPrometheusName().equals(prometheusName))
                .flatMap(metric -> metric.getDataPoints().stream())
                .mapToDouble(point -> ((CounterSnapshot.CounterDataPointSnapshot) point).getValue()).sum();
    }
}
