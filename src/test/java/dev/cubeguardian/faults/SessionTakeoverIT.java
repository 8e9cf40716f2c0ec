package dev.cubeguardian.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.it.MosquittoBroker;
import dev.cubeguardian.it.MqttProbeClient;
import dev.cubeguardian.it.WorkerUnderTest;
import dev.cubeguardian.mqtt.WorkerMqttComponent;
import java.time.Duration;
import java.util.Map;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A broker user that connects with the worker's documented client id ({@code <id>-commands})
 * takes over its session and disconnects it. On a broker that does not bind client ids to
 * users (the shipped config does: BrokerAclIT), the worker must come back by itself, bounded in
 * time, and answer commands again: before the watchdog it could stay disconnected for good.
 */
class SessionTakeoverIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @ParameterizedTest
    @ValueSource(ints = {1, 5})
    void aClientThatTakesOverTheWorkersSessionDoesNotKeepItAwayForGood(int takeovers) throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker().start();
                WorkerUnderTest worker = new WorkerUnderTest(Map.of("cubeguardian.mqtt.url", broker.url(),
                        "cubeguardian.mqtt.client-id", "victim", "cubeguardian.mqtt.watchdog-grace", "5s",
                        "cubeguardian.demo.boot-seconds", "1")).start();
                MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/#")) {
            client.await(m -> m.topic().equals("cubeguardian/bridge/state") && m.text().equals("online"), WAIT);
            WorkerMqttComponent mqtt = worker.context().getComponent("paho-mqtt5", WorkerMqttComponent.class);

            // Given an intruder that connects with the worker's command client id, a clean start
            // (the broker drops the worker's session and its subscription), again and again
            for (int k = 0; k < takeovers; k++) {
                MqttAsyncClient intruder = new MqttAsyncClient(broker.url(), "victim-commands", new MemoryPersistence());
                MqttConnectionOptions options = new MqttConnectionOptions();
                options.setCleanStart(true);
                intruder.connect(options).waitForCompletion(5_000);
                Thread.sleep(1_500);
                if (intruder.isConnected()) {
                    intruder.disconnect().waitForCompletion(5_000);
                }
                intruder.close(true);
            }

            // Then within a bounded time the worker takes commands again
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!mqtt.commandsSubscribed() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(mqtt.commandsSubscribed(), "the command subscription is back");
            client.publish("cubeguardian/demo/cmd/check", "{\"id\":\"after-takeover-" + takeovers + "\"}");
            assertEquals("CHECKED", client.result("cubeguardian/demo/result/check", "after-takeover-" + takeovers, WAIT)
                    .path("code").asText());
        }
    }

    @org.junit.jupiter.api.Test
    void aCommandConnectionThatPahoGaveUpOnIsRebuiltByTheWatchdog() throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker().start();
                WorkerUnderTest worker = new WorkerUnderTest(Map.of("cubeguardian.mqtt.url", broker.url(),
                        "cubeguardian.mqtt.client-id", "given-up", "cubeguardian.mqtt.watchdog-grace", "5s",
                        "cubeguardian.demo.boot-seconds", "1")).start();
                MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/#")) {
            client.await(m -> m.topic().equals("cubeguardian/bridge/state") && m.text().equals("online"), WAIT);
            WorkerMqttComponent mqtt = worker.context().getComponent("paho-mqtt5", WorkerMqttComponent.class);

            // Given the command client in the state the takeover left it in: disconnected, and
            // Paho no longer trying (a client disconnected from our side never reconnects itself)
            org.eclipse.paho.mqttv5.client.MqttClient commands = commandClient(mqtt);
            commands.disconnectForcibly(0, 1_000, false);
            assertTrue(!mqtt.commandsSubscribed());
            Thread.sleep(3_000);
            assertTrue(!commands.isConnected(), "Paho does not come back by itself");

            // Then the watchdog rebuilds it within its grace period and commands are answered
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!mqtt.commandsSubscribed() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(mqtt.commandsSubscribed(), "the command subscription is back");
            client.publish("cubeguardian/demo/cmd/check", "{\"id\":\"after-rebuild\"}");
            assertEquals("CHECKED", client.result("cubeguardian/demo/result/check", "after-rebuild", WAIT).path("code").asText());
        }
    }

    @SuppressWarnings("unchecked")
    private static org.eclipse.paho.mqttv5.client.MqttClient commandClient(WorkerMqttComponent mqtt) throws Exception {
        java.lang.reflect.Field field = WorkerMqttComponent.class.getDeclaredField("consumerClients");
        field.setAccessible(true);
        Map<String, java.util.Optional<? extends org.eclipse.paho.mqttv5.client.MqttClient>> clients =
                (Map<String, java.util.Optional<? extends org.eclipse.paho.mqttv5.client.MqttClient>>) field.get(mqtt);
        return clients.get("cmd-intake").orElseThrow();
    }
}
