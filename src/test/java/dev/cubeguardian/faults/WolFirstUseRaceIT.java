package dev.cubeguardian.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cubeguardian.it.CountingListeners;
import dev.cubeguardian.it.MosquittoBroker;
import dev.cubeguardian.it.WorkerUnderTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seen once in the stream test: the very first wakes of a fresh worker, sent at the same time
 * for several hosts, may fail. Fresh workers, 16 hosts woken at once, a few times over.
 */
class WolFirstUseRaceIT {

    private static final int HOSTS = 16;

    @TempDir
    Path dir;

    @Test
    void simultaneousFirstWakesOfAFreshWorkerAllSucceed() throws Exception {
        Map<String, Integer> codes = new TreeMap<>();
        int rounds = Faults.scale(3, 10);
        try (MosquittoBroker broker = new MosquittoBroker().start();
                PacketCounter wol = new PacketCounter();
                CountingListeners up = new CountingListeners(1)) {
            StringBuilder inventory = new StringBuilder("version: 1\nhosts:\n");
            for (int h = 0; h < HOSTS; h++) {
                inventory.append(Faults.host("w" + h, h, wol.port(), 1, up.port(0)));
            }
            Path hosts = Faults.write(dir.resolve("hosts.yaml"), inventory.toString());
            for (int round = 0; round < rounds; round++) {
                try (WorkerUnderTest worker = new WorkerUnderTest(Map.of("cubeguardian.mqtt.url", broker.url(),
                        "cubeguardian.mqtt.client-id", "faults-wol-" + round, "cubeguardian.hosts-file", hosts.toString(),
                        "cubeguardian.wake.resend-after", "1h")).start();
                        Watcher watcher = new Watcher(broker.url(), "faults-wol-watcher-" + round, null, null, "cubeguardian/+/result/+");
                        Sender sender = new Sender(broker.url())) {
                    Faults.await(() -> worker.context().getComponent("paho-mqtt5", dev.cubeguardian.mqtt.WorkerMqttComponent.class)
                            .commandsSubscribed(), Duration.ofSeconds(20));
                    for (int h = 0; h < HOSTS; h++) {
                        sender.publish("cubeguardian/w" + h + "/cmd/wake", "{\"id\":\"r" + round + "-" + h + "\"}", null, 5_000);
                    }
                    for (int h = 0; h < HOSTS; h++) {
                        codes.merge(watcher.result("r" + round + "-" + h, Duration.ofSeconds(20)).path("code").asText()
                                + (watcher.results("r" + round + "-" + h).get(0).path("success").asBoolean() ? ""
                                        : " " + watcher.results("r" + round + "-" + h).get(0).at("/details/reason").asText()), 1, Integer::sum);
                    }
                }
            }
            Faults.log("first wakes of %d fresh workers x %d hosts at once: %s; packets %d", rounds, HOSTS, codes, wol.total());
            assertEquals(Map.of("WOL_SENT", rounds * HOSTS), codes);
        }
    }
}
