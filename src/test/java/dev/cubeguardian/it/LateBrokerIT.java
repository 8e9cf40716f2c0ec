package dev.cubeguardian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A homelab boots: the worker comes up before its broker. */
class LateBrokerIT {

    @Test
    void aWorkerStartedBeforeItsBrokerSaysOnlineOnceItTakesCommands() throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker();
                WorkerUnderTest worker = new WorkerUnderTest(Map.of(
                        "cubeguardian.mqtt.url", broker.url(),
                        "cubeguardian.mqtt.client-id", "late-broker-it")).start()) {
            Thread.sleep(5_000); // the worker tries, and fails, to reach the broker
            broker.start();
            try (MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/#")) {
                client.await(m -> m.topic().equals("cubeguardian/bridge/state") && m.text().equals("online"), Duration.ofSeconds(30));
                // "online" promises that commands are taken: the first one sent on seeing it is answered
                client.publish("cubeguardian/demo/cmd/check", "{\"id\":\"late-1\"}");
                assertEquals("CHECKED", client.result("cubeguardian/demo/result/check", "late-1", Duration.ofSeconds(10))
                        .path("code").asText());
            }
        }
    }
}
