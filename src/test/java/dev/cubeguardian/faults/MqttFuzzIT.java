package dev.cubeguardian.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.command.CommandParser;
import dev.cubeguardian.it.CountingListeners;
import dev.cubeguardian.it.MosquittoBroker;
import dev.cubeguardian.it.WorkerUnderTest;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, fault 3 (over MQTT): generated messages through Mosquitto to the running worker.
 * Each carries an MQTT 5 response topic and its index as correlation data, so every answer
 * is matched to its message: exactly one each, and the same answer on the message's result
 * topic (or bridge/error). Afterwards the worker still serves a valid command, and its heap
 * after GC and its live threads are where they were.
 */
// both cores for itself: see the failsafe executions in pom.xml
@Tag("alone")
class MqttFuzzIT {

    private static final String REPLIES = "fuzz/replies";

    @TempDir
    Path dir;

    private record Sent(int index, String topic) {
        String expectedResultTopic() {
            String[] levels = topic.split("/", -1);
            return CommandParser.HOST_ID.matcher(levels[1]).matches()
                    ? "cubeguardian/" + levels[1] + "/result/" + levels[3] : "cubeguardian/bridge/error";
        }
    }

    @Test
    void everyMessageGetsExactlyOneAnswerAndTheWorkerStaysFlat() throws Exception {
        int messages = Faults.scale(2_000, 20_000);
        try (MosquittoBroker broker = new MosquittoBroker().start();
                PacketCounter wol = new PacketCounter();
                CountingListeners up = new CountingListeners(1)) {
            StringBuilder inventory = new StringBuilder("version: 1\nhosts:\n");
            for (int h = 0; h < FuzzInput.HOSTS.size(); h++) {
                inventory.append(Faults.host(FuzzInput.HOSTS.get(h), h, wol.port(), 1, up.port(0)));
            }
            Path hosts = Faults.write(dir.resolve("hosts.yaml"), inventory.toString());
            Map<String, String> settings = Map.of("cubeguardian.mqtt.url", broker.url(), "cubeguardian.mqtt.client-id", "faults-fuzz",
                    "cubeguardian.hosts-file", hosts.toString(), "cubeguardian.wake.resend-after", "1h");
            try (WorkerUnderTest worker = new WorkerUnderTest(settings).start();
                    Watcher watcher = new Watcher(broker.url(), "faults-fuzz-watcher", null, null,
                            "cubeguardian/+/result/+", "cubeguardian/bridge/error", "cubeguardian/bridge/state", REPLIES);
                    Sender sender = new Sender(broker.url())) {
                watcher.await(m -> m.topic().equals("cubeguardian/bridge/state") && m.text().equals("online"), Duration.ofSeconds(20));
                FuzzInput input = new FuzzInput(new Random(Long.getLong("faults.seed", 7L)), true);

                // warm-up: the worker's pools and caches fill, so before/after compares steady states
                List<Sent> warmUp = send(sender, input, 0, 300);
                awaitReplies(watcher, warmUp, Duration.ofSeconds(60));
                // the worker runs in this JVM: the watcher's copies of every answer must not count as its heap
                watcher.forget();
                long heapBefore = heapAfterGc();
                int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
                int seenBefore = watcher.all().size();

                long start = System.nanoTime();
                List<Sent> sent = send(sender, input, 1_000, messages);
                long publishedMs = (System.nanoTime() - start) / 1_000_000;
                boolean all = awaitReplies(watcher, sent, Duration.ofSeconds(Faults.LONG ? 600 : 90));
                long answeredMs = (System.nanoTime() - start) / 1_000_000;
                Thread.sleep(2_000); // a second answer to anything would arrive by now

                // exactly one answer per message, and it is also on the message's own result topic
                Map<String, List<Watcher.Seen>> replies = new HashMap<>();
                Map<String, Integer> onResultTopics = new HashMap<>();
                Map<String, Integer> codes = new TreeMap<>();
                List<Watcher.Seen> during = watcher.all().subList(seenBefore, watcher.all().size());
                for (Watcher.Seen seen : during) {
                    if (seen.topic().equals(REPLIES)) {
                        replies.computeIfAbsent(seen.correlation(), k -> new ArrayList<>()).add(seen);
                    } else if (seen.topic().contains("/result/") || seen.topic().equals("cubeguardian/bridge/error")) {
                        onResultTopics.merge(seen.topic() + " " + seen.text(), 1, Integer::sum);
                    }
                }
                List<String> problems = new ArrayList<>();
                for (Sent s : sent) {
                    List<Watcher.Seen> mine = replies.getOrDefault(Integer.toString(s.index()), List.of());
                    if (mine.size() != 1) {
                        problems.add(s.topic() + " #" + s.index() + ": " + mine.size() + " answers");
                        continue;
                    }
                    String reply = mine.get(0).text();
                    codes.merge(mine.get(0).json().path("code").asText(), 1, Integer::sum);
                    if ("INTERNAL_ERROR".equals(mine.get(0).json().path("code").asText())) {
                        problems.add(s.topic() + " #" + s.index() + ": INTERNAL_ERROR " + reply);
                    }
                    String key = s.expectedResultTopic() + " " + reply;
                    if (onResultTopics.merge(key, -1, Integer::sum) < 0) {
                        problems.add(s.topic() + " #" + s.index() + ": answer not on " + s.expectedResultTopic());
                    }
                }
                onResultTopics.forEach((k, n) -> {
                    if (n > 0 && !k.contains("\"id\":\"after-fuzz")) {
                        problems.add("extra result: " + k);
                    }
                });
                Faults.log("mqtt fuzz: %d messages published in %d ms, all answered: %s after %d ms; codes %s; magic packets %d",
                        messages, publishedMs, all, answeredMs, codes, wol.total());
                assertEquals(List.of(), problems.stream().limit(20).toList());

                // still serving
                sender.publish("cubeguardian/pve/cmd/check", "{\"id\":\"after-fuzz\"}", null, 5_000);
                assertEquals("CHECKED", watcher.result("after-fuzz", Duration.ofSeconds(15)).path("code").asText());

                replies.clear();
                onResultTopics.clear();
                sent.clear();
                during = List.of();
                watcher.forget();
                long heapAfter = heapAfterGc();
                int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
                Faults.log("mqtt fuzz: heap after GC %d KiB -> %d KiB, live threads %d -> %d",
                        heapBefore / 1024, heapAfter / 1024, threadsBefore, threadsAfter);
                assertTrue(heapAfter - heapBefore < 48L << 20, "heap grew by " + (heapAfter - heapBefore) / 1024 + " KiB");
                // bounded pools may still be filling after the warm-up (8 command-lane threads, probe and
                // async-connect threads); a leak per message would add hundreds over 2,000 messages
                assertTrue(threadsAfter - threadsBefore <= 16, "threads " + threadsBefore + " -> " + threadsAfter);
            }
        }
    }

    private static List<Sent> send(Sender sender, FuzzInput input, int firstIndex, int count) throws InterruptedException {
        List<Sent> sent = new ArrayList<>();
        for (int i = firstIndex; i < firstIndex + count; i++) {
            FuzzInput.Case c = input.next();
            MqttProperties properties = new MqttProperties();
            properties.setResponseTopic(REPLIES);
            properties.setCorrelationData(Integer.toString(i).getBytes(StandardCharsets.UTF_8));
            if (sender.publish(c.topic(), c.payload(), properties, 5_000)) {
                sent.add(new Sent(i, c.topic()));
            } else {
                Faults.log("not acknowledged: %s (%s)", c.topic(), sender.lastFailure()); // not answerable: it never reached the worker
            }
            if (i % 200 == 199) {
                Thread.sleep(100); // a breath now and then: the point is odd input, not a flood of BUSY
            }
        }
        return sent;
    }

    private static boolean awaitReplies(Watcher watcher, List<Sent> sent, Duration limit) throws InterruptedException {
        java.util.Set<String> wanted = new java.util.HashSet<>();
        sent.forEach(s -> wanted.add(Integer.toString(s.index())));
        return Faults.await(() -> {
            for (Watcher.Seen seen : watcher.all(m -> m.topic().equals(REPLIES))) {
                wanted.remove(seen.correlation());
            }
            return wanted.isEmpty();
        }, limit);
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
