package dev.cubeguardian.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.it.CountingListeners;
import dev.cubeguardian.it.MosquittoBroker;
import dev.cubeguardian.it.MqttProbeClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client floods the worker with 150,000 unique command ids, as fast as the worker answers
 * them. Each answered id is remembered for duplicate detection; before the memory was bounded
 * in bytes, ~70,000 of them filled the image's 126 MiB heap, the worker fell into a full-GC
 * loop and its health check timed out. 150,000 is twice that; 500,000 took over 8 minutes
 * on a CI machine once every answer also went to the durable store. The worker runs as its
 * own process, with exactly the JVM flags of the image's ENTRYPOINT.
 */
// both cores for itself: see the failsafe executions in pom.xml
@Tag("alone")
class MemoryFloodIT {

    private static final int IDS = 150_000;
    private static final int HOSTS = 40;
    /** Commands in flight at once: enough to keep every lane busy, few enough to get no BUSY. */
    private static final int WINDOW = 200;

    @TempDir
    Path dir;

    @Test
    void twiceTheIdsThatOnceFilledTheHeapAtTheMaximumRateLeaveTheWorkerAnsweringWithTheImagesFlags() throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker().start();
                PacketCounter wol = new PacketCounter();
                CountingListeners up = new CountingListeners(1)) {
            StringBuilder inventory = new StringBuilder("version: 1\nhosts:\n");
            for (int h = 0; h < HOSTS; h++) {
                inventory.append(Faults.host("h" + h, h, wol.port(), 1, up.port(0)));
            }
            Path hosts = Faults.write(dir.resolve("hosts.yaml"), inventory.toString());
            try (JarWorker worker = new JarWorker(dir, "memory-flood", Map.of("CUBEGUARDIAN_MQTT_URL", broker.url(),
                    "CUBEGUARDIAN_MQTT_CLIENT_ID", "flooded", "CUBEGUARDIAN_HOSTS_FILE", hosts.toString(),
                    "CUBEGUARDIAN_MONITOR_STEADY_INTERVAL", "1h"), JarWorker.imageJvmFlags());
                    MqttProbeClient watch = new MqttProbeClient(broker.url(), "cubeguardian/bridge/state", "cubeguardian/h0/result/+")) {
                watch.await(m -> m.text().equals("online"), Duration.ofSeconds(60));

                Flood flood = new Flood(broker.url());
                long start = System.nanoTime();
                long firstTenthMs = 0;
                for (int k = 0; k < IDS; k++) {
                    assertTrue(flood.window.tryAcquire(60, TimeUnit.SECONDS),
                            "the worker stopped answering after " + flood.answered.get() + " ids");
                    flood.send("cubeguardian/h" + (k % HOSTS) + "/cmd/check", "{\"id\":\"flood-" + k + "\"}");
                    if (k == IDS / 10) {
                        firstTenthMs = (System.nanoTime() - start) / 1_000_000;
                    }
                }
                assertTrue(flood.window.tryAcquire(WINDOW, 60, TimeUnit.SECONDS), "every id answered");
                long totalMs = (System.nanoTime() - start) / 1_000_000;
                flood.close();
                Faults.log("memory flood: %d ids in %d ms (first tenth %d ms), %d BUSY, worker alive %s", IDS, totalMs,
                        firstTenthMs, flood.busy.get(), worker.alive());

                // Then the worker is still there and still quick: the last nine tenths went at
                // least a third as fast as the first tenth (a full-GC loop slows it tenfold)
                assertTrue(worker.alive(), "the worker is running");
                double firstRate = (IDS / 10.0) / Math.max(1, firstTenthMs);
                double restRate = (IDS * 0.9) / Math.max(1, totalMs - firstTenthMs);
                assertTrue(restRate > firstRate / 3, String.format("ids/ms: first tenth %.2f, the rest %.2f", firstRate, restRate));
                assertEquals(0, flood.busy.get(), "the window never overfilled a lane");

                // and a new command, and a repeat of a recent id, are answered as they should be
                watch.publish("cubeguardian/h0/cmd/check", "{\"id\":\"after-flood\"}");
                assertEquals("CHECKED", watch.result("cubeguardian/h0/result/check", "after-flood", Duration.ofSeconds(10))
                        .path("code").asText());
                String recent = "flood-" + (IDS - HOSTS);
                watch.publish("cubeguardian/h0/cmd/check", "{\"id\":\"" + recent + "\"}");
                assertTrue(watch.await(m -> m.topic().equals("cubeguardian/h0/result/check") && m.text().contains(recent)
                        && m.json().path("duplicate").asBoolean(), Duration.ofSeconds(10)) != null);
                String log = worker.output();
                assertTrue(!log.contains("OutOfMemoryError"), "no OutOfMemoryError in the worker's log");
            }
        }
    }

    /** A publisher that keeps at most WINDOW commands unanswered and counts what comes back. */
    private static final class Flood implements MqttCallback, AutoCloseable {
        final Semaphore window = new Semaphore(WINDOW);
        final AtomicLong answered = new AtomicLong();
        final AtomicLong busy = new AtomicLong();
        private final MqttAsyncClient client;

        Flood(String url) throws MqttException {
            client = new MqttAsyncClient(url, "flood-" + System.nanoTime(), new MemoryPersistence());
            client.setCallback(this);
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setReceiveMaximum(65_535);
            client.connect(options).waitForCompletion(10_000);
            client.subscribe("cubeguardian/+/result/check", 0).waitForCompletion(10_000);
        }

        void send(String topic, String payload) throws MqttException, InterruptedException {
            MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
            message.setQos(0);
            client.publish(topic, message);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (new String(message.getPayload(), StandardCharsets.UTF_8).contains("\"code\":\"BUSY\"")) {
                busy.incrementAndGet();
            }
            answered.incrementAndGet();
            window.release();
        }

        @Override
        public void close() throws MqttException {
            client.disconnect().waitForCompletion(10_000);
            client.close(true);
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
