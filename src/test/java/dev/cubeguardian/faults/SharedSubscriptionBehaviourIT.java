package dev.cubeguardian.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.it.MosquittoBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What Mosquitto (the broker this project ships with and tests on: 2.0.11 here) does with the
 * messages of a shared subscription ({@code $share/<group>/...}) when one member dies without a
 * DISCONNECT (its JVM killed with SIGKILL). Plain Paho MQTT 5 clients, no worker: these are the
 * broker facts the share group's design (cluster/SubscriptionPlan, cluster/CommandWitness)
 * rests on, pinned so that a broker upgrade that changes them shows here first.
 */
class SharedSubscriptionBehaviourIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String GROUP = "$share/pin/";

    private final List<AutoCloseable> open = new ArrayList<>();
    private MosquittoBroker broker;
    private Sender publisher;

    @BeforeEach
    void broker() throws Exception {
        broker = keep(new MosquittoBroker().start());
        publisher = keep(new Sender(broker.url()));
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        open.add(closeable);
        return closeable;
    }

    /**
     * Persistent sessions (expiry > 0): the broker keeps the dead member's session and keeps
     * giving it its round-robin share of new messages, which wait there until the same client
     * id comes back; the live member gets only its own share meanwhile. This is why a share
     * group's command subscription has a session expiry of 0.
     */
    @Test
    void aKilledMemberWithAPersistentSessionKeepsGettingItsShareQueuedAndGetsItOnlyWhenItReconnects() throws Exception {
        String topic = "pin/persistent";
        Live live = keep(new Live(broker.url(), "pin-live-p", GROUP + topic, 600, false));
        ShareMember.Child dead = keep(new ShareMember.Child(broker.url(), "pin-dead-p", GROUP + topic, 600, false, false));
        List<String> warmUp = publish(topic, "warm", 6);
        assertTrue(Faults.await(() -> live.got().size() + dead.got().size() == warmUp.size(), WAIT));
        assertFalse(dead.got().isEmpty(), "both members get a share: " + live.got() + " / " + dead.got());
        assertFalse(live.got().isEmpty(), "both members get a share: " + live.got() + " / " + dead.got());

        dead.kill();
        Thread.sleep(500);   // the broker has seen the socket close by now
        List<String> later = publish(topic, "after-kill", 20);
        Thread.sleep(2_000);
        List<String> toLive = live.got().stream().filter(later::contains).toList();
        Faults.log("persistent session: of %d messages sent after the kill, the live member got %d", later.size(), toLive.size());
        assertTrue(toLive.size() < later.size(), "the dead member's share did not go to the live member: " + toLive);
        assertTrue(toLive.size() >= later.size() / 2 - 1, "the live member still gets its own share: " + toLive);

        ShareMember.Child back = keep(new ShareMember.Child(broker.url(), "pin-dead-p", GROUP + topic, 600, false, false));
        assertTrue(back.sessionPresent(), "its session was kept");
        Set<String> missing = new HashSet<>(later);
        toLive.forEach(missing::remove);
        assertTrue(Faults.await(() -> back.got().containsAll(missing), WAIT), "queued for the dead member: " + missing + ", got " + back.got());
        Thread.sleep(500);
        Set<String> both = new HashSet<>(back.got());
        both.retainAll(toLive);
        assertEquals(Set.of(), both, "no message went to both");
        assertEquals(missing, new HashSet<>(back.got()), "the reconnected member gets exactly its queued share");
    }

    /** Session expiry 0: the dead member's session ends with its socket, and every later message goes to the live member. */
    @Test
    void withSessionExpiryZeroEveryMessageAfterAKillGoesToTheLiveMember() throws Exception {
        String topic = "pin/expiry0";
        Live live = keep(new Live(broker.url(), "pin-live-0", GROUP + topic, 0, true));
        ShareMember.Child dead = keep(new ShareMember.Child(broker.url(), "pin-dead-0", GROUP + topic, 0, true, false));
        List<String> warmUp = publish(topic, "warm", 6);
        assertTrue(Faults.await(() -> live.got().size() + dead.got().size() == warmUp.size(), WAIT));
        assertFalse(dead.got().isEmpty(), "both members get a share");

        dead.kill();
        Thread.sleep(500);
        List<String> later = publish(topic, "after-kill", 20);
        assertTrue(Faults.await(() -> live.got().containsAll(later), WAIT), "all went to the live member: " + live.got());
        ShareMember.Child back = keep(new ShareMember.Child(broker.url(), "pin-dead-0", GROUP + topic, 0, false, false));
        assertFalse(back.sessionPresent(), "nothing was kept for it");
        Thread.sleep(1_000);
        assertEquals(List.of(), back.got());
    }

    /**
     * Session expiry 0 and messages in flight (delivered, not acknowledged: manual acks) at the
     * member that dies: the broker does not give them to the live member; they are gone. The
     * share group's witness subscription exists to recover exactly these.
     */
    @Test
    void withSessionExpiryZeroADeadMembersUnacknowledgedMessagesAreDroppedNotRedeliveredToTheLiveMember() throws Exception {
        String topic = "pin/inflight";
        Live live = keep(new Live(broker.url(), "pin-live-f", GROUP + topic, 0, true));
        ShareMember.Child dead = keep(new ShareMember.Child(broker.url(), "pin-dead-f", GROUP + topic, 0, true, true));
        List<String> sent = publish(topic, "in-flight", 10);
        assertTrue(Faults.await(() -> live.got().size() + dead.got().size() == sent.size(), WAIT));
        List<String> unacked = dead.got();
        assertFalse(unacked.isEmpty(), "the never-acking member got its share");

        dead.kill();
        List<String> later = publish(topic, "after-kill", 10);
        assertTrue(Faults.await(() -> live.got().containsAll(later), WAIT), "later messages reach the live member");
        Thread.sleep(3_000);
        List<String> redelivered = live.got().stream().filter(unacked::contains).toList();
        Faults.log("expiry 0, in flight at the killed member: %d message(s) %s; redelivered to the live member: %s",
                unacked.size(), unacked, redelivered);
        assertEquals(List.of(), redelivered, "the dead member's unacknowledged messages are not redelivered to the other");
        assertEquals(sent.size() - unacked.size() + later.size(), live.got().size(), "the live member got nothing twice: " + live.got());
    }

    private List<String> publish(String topic, String prefix, int count) {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String payload = prefix + "-" + i;
            assertTrue(publisher.publish(topic, payload, null, 5_000), "broker acknowledged " + payload);
            sent.add(payload);
        }
        return sent;
    }

    /** The member that stays alive, in this JVM, acknowledging on receipt. */
    private static final class Live implements AutoCloseable {
        private final MqttAsyncClient client;
        private final List<String> got = new CopyOnWriteArrayList<>();

        Live(String url, String clientId, String filter, long expiry, boolean cleanStart) throws MqttException {
            client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
            client.setCallback(new MqttCallback() {
                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    got.add(new String(message.getPayload(), StandardCharsets.UTF_8));
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
            });
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(cleanStart);
            options.setSessionExpiryInterval(expiry);
            options.setReceiveMaximum(1000);
            client.connect(options).waitForCompletion(10_000);
            client.subscribe(filter, 1).waitForCompletion(10_000);
        }

        List<String> got() {
            return List.copyOf(got);
        }

        @Override
        public void close() throws MqttException {
            try {
                client.disconnect().waitForCompletion(2_000);
            } catch (MqttException ignored) {
                // closing anyway
            }
            client.close(true);
        }
    }
}
