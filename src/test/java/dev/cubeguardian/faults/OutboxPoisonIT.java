package dev.cubeguardian.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cubeguardian.it.MosquittoBroker;
import dev.cubeguardian.it.MqttProbeClient;
import dev.cubeguardian.it.WorkerUnderTest;
import dev.cubeguardian.mqtt.MqttOut;
import dev.cubeguardian.mqtt.WorkerMqttComponent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

/**
 * One message that MQTT can never carry must not stop everything after it: before the fix, a
 * result topic over 65,535 bytes stayed in the outbox and every reconnect's flush threw on it,
 * so states were never announced again and results of later outages were lost. The poisoned
 * message goes in from inside (the command intake no longer lets such a topic through).
 */
class OutboxPoisonIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aMessageMqttCannotCarryIsDroppedAndCountedAndLaterOutagesLoseNothing() throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker().start();
                WorkerUnderTest worker = new WorkerUnderTest(Map.of("cubeguardian.mqtt.url", broker.url(),
                        "cubeguardian.mqtt.client-id", "poison", "cubeguardian.demo.boot-seconds", "1")).start()) {
            ProducerTemplate template = worker.context().createProducerTemplate();
            WorkerMqttComponent mqtt = worker.context().getComponent("paho-mqtt5", WorkerMqttComponent.class);
            MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/#", "poison/#");
            try {
                client.await(m -> m.topic().equals("cubeguardian/bridge/state") && m.text().equals("online"), WAIT);
                // Given a message whose topic Paho refuses, then a good one
                publish(template, "poison/" + "x".repeat(70_000), "never");
                publish(template, "poison/after", "sent");
                client.await(m -> m.topic().equals("poison/after"), WAIT);
                assertEquals(1, mqtt.droppedMessages(), "the unsendable message was dropped and counted");

                // When the broker is away while a message is published, then comes back
                broker.stop(false);
                publish(template, "poison/during-outage", "kept");
                broker.start();
                client.close();
                client = new MqttProbeClient(broker.url(), "cubeguardian/#", "poison/#");

                // Then what waited is sent and the worker announces itself again
                client.await(m -> m.topic().equals("poison/during-outage") && m.text().equals("kept"), WAIT);
                client.await(m -> m.topic().equals("cubeguardian/bridge/state") && m.text().equals("online") && !m.retained(), WAIT);
                assertEquals(1, mqtt.droppedMessages());
            } finally {
                client.close();
            }
        }
    }

    private static void publish(ProducerTemplate template, String topic, String payload) {
        template.send("direct:mqtt-publish", exchange -> {
            exchange.getMessage().setBody(payload.getBytes(StandardCharsets.UTF_8));
            MqttOut.address(exchange.getMessage(), topic, false, null);
        });
    }
}
