package dev.cubeguardian.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cubeguardian.it.CountingListeners;
import dev.cubeguardian.it.MosquittoBroker;
import dev.cubeguardian.it.WorkerUnderTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smallest form of the fault behind the disabled stream test: commands that wait in the
 * worker's persistent session while the broker restarts must all be taken once it is back.
 */
class ResubscribeDeadlockIT {

    @TempDir
    Path dir;

    @Test
    void aFewCommandsQueuedWhileTheBrokerRestartsAreTaken() throws Exception {
        assertEquals(List.of(), unanswered(5, Duration.ofSeconds(20)));
    }

    @Test
    void manyCommandsQueuedWhileTheBrokerRestartsAreTakenPromptly() throws Exception {
        assertEquals(List.of(), unanswered(30, Duration.ofSeconds(20)));
    }

    private List<String> unanswered(int commands, Duration limit) throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker().start();
                PacketCounter wol = new PacketCounter();
                CountingListeners up = new CountingListeners(1)) {
            Path hosts = Faults.write(dir.resolve("hosts.yaml"), "version: 1\nhosts:\n" + Faults.host("q", 1, wol.port(), 1, up.port(0)));
            try (WorkerUnderTest worker = new WorkerUnderTest(Map.of("cubeguardian.mqtt.url", broker.url(),
                    "cubeguardian.mqtt.client-id", "faults-resub", "cubeguardian.hosts-file", hosts.toString())).start();
                    Watcher watcher = new Watcher(broker.url(), "faults-resub-watcher", null, null,
                            "cubeguardian/+/result/+", "cubeguardian/bridge/state");
                    Sender sender = new Sender(broker.url())) {
                watcher.await(m -> m.topic().equals("cubeguardian/bridge/state") && m.text().equals("online"), Duration.ofSeconds(20));
                sender.publish("cubeguardian/q/cmd/check", "{\"id\":\"before\"}", null, 2_000);
                watcher.result("before", Duration.ofSeconds(10));

                // the broker restarts (gracefully); commands reach it before the worker is back
                broker.stop(false);
                broker.start();
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < commands; i++) {
                    String id = "q-" + i;
                    ids.add(id);
                    while (!sender.publish("cubeguardian/q/cmd/check", "{\"id\":\"" + id + "\"}", null, 2_000)) {
                        Thread.sleep(50);
                    }
                }
                long start = System.nanoTime();
                Faults.await(() -> ids.stream().allMatch(watcher::answered), limit);
                List<String> missing = ids.stream().filter(id -> !watcher.answered(id)).toList();
                Faults.log("%d commands queued across a broker restart: %d answered within %d ms of the last publish",
                        commands, commands - missing.size(), (System.nanoTime() - start) / 1_000_000);
                return missing;
            }
        }
    }
}
