package dev.cubeguardian.it;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cubeguardian.bridge.BridgeAnnouncer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * "online" promises that commands are taken, and only that: it waits for the command
 * subscription, not for the Home Assistant consumers, which start after it (routes/bridge.yaml).
 */
class OnlineAnnouncementIT {

    @Test
    void aHomeAssistantConsumerWithoutItsSubscriptionDoesNotHoldBackOnline() throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker().start();
                WorkerUnderTest worker = new WorkerUnderTest(Map.of(
                        "cubeguardian.mqtt.url", broker.url(),
                        "cubeguardian.mqtt.client-id", "online-announcement-it")).start();
                MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/#")) {
            client.await(m -> m.topic().equals("cubeguardian/bridge/state") && m.text().equals("online"), Duration.ofSeconds(20));
            BridgeAnnouncer announcer = worker.context().getRegistry().lookupByNameAndType("bridgeAnnouncer", BridgeAnnouncer.class);

            // a Home Assistant consumer not subscribed, as while it connects just after the command intake at start
            // (the announcement raced it and came 2 s late whenever it lost), or while its connection is lost
            worker.context().getRouteController().stopRoute("ha-status");
            assertDoesNotThrow(announcer::requireCommandsSubscribed, "online waits for the Home Assistant consumers");
            client.publish("cubeguardian/demo/cmd/check", "{\"id\":\"online-1\"}");
            assertEquals("CHECKED", client.result("cubeguardian/demo/result/check", "online-1", Duration.ofSeconds(10))
                    .path("code").asText());

            // the command intake without its subscription: no "online"
            worker.context().getRouteController().stopRoute("cmd-intake");
            assertThrows(IllegalStateException.class, announcer::requireCommandsSubscribed);
        }
    }
}
