package dev.cubeguardian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands that reach the broker while the worker is down: the persistent session keeps them,
 * they run once when it is back unless expired, and a retained command is never replayed.
 */
class WorkerRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private static void marker(MqttProbeClient client, String id) throws Exception {
        client.publish("cubeguardian/pve/cmd/check", "{\"id\":\"" + id + "\"}");
        client.result("cubeguardian/pve/result/check", id, WAIT);
    }

    @Test
    void commandsQueuedWhileTheWorkerIsDownRunOnceUnlessExpiredAndRetainedOnesAreNotReplayed() throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker().start();
                MagicPacketReceiver wol = new MagicPacketReceiver()) {
            Path hosts = dir.resolve("hosts.yaml");
            Files.writeString(hosts, "hosts:\n  pve:\n    mac: \"AA:BB:CC:DD:EE:FF\"\n    address: 127.0.0.1\n"
                    + "    wol: {broadcast: 127.0.0.1, port: " + wol.port() + ", packets: 1}\n"
                    + "    probe: {method: tcp, port: " + MosquittoBroker.freePort() + ", timeout: 300ms}\n");
            Map<String, String> settings = Map.of("cubeguardian.mqtt.url", broker.url(),
                    "cubeguardian.mqtt.client-id", "restart-it", "cubeguardian.hosts-file", hosts.toString());
            try (MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/+/result/#")) {
                // Given a worker that has subscribed once (so the broker keeps its session) and then stopped
                new WorkerUnderTest(settings).start().close();

                // When commands arrive while it is away: one plain, one whose MQTT 5 expiry runs out, one retained
                client.publish("cubeguardian/pve/cmd/wake", "{\"id\":\"queued-1\"}");
                MqttProperties shortLived = new MqttProperties();
                shortLived.setMessageExpiryInterval(1L);
                client.publish("cubeguardian/pve/cmd/check", "{\"id\":\"expires-1\"}".getBytes(StandardCharsets.UTF_8), shortLived);
                client.publishRetained("cubeguardian/pve/cmd/check", "{\"id\":\"retained-1\"}");
                Thread.sleep(2_000);

                try (WorkerUnderTest worker = new WorkerUnderTest(settings).start()) {
                    // Then the queued wake runs once and the expired check never reaches the worker
                    JsonNode wake = client.result("cubeguardian/pve/result/wake", "queued-1", WAIT);
                    assertEquals("WOL_SENT", wake.get("code").asText());
                    marker(client, "marker-1");
                    assertEquals(1, wol.awaitPackets(1, WAIT).size());
                    assertEquals(0, client.all(m -> m.text().contains("expires-1")).size());
                }
                // The retained command was live for the kept session, so it ran once; the copy the
                // broker replays on every later subscribe must not run again
                try (WorkerUnderTest again = new WorkerUnderTest(settings).start()) {
                    marker(client, "marker-2");
                    assertEquals(1, client.all(m -> m.text().contains("retained-1")).size());
                    assertEquals(1, client.all(m -> m.text().contains("queued-1")).size());
                    assertEquals(1, wol.packets().size());
                }
            }
        }
    }
}
