package dev.cubeguardian.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A client as a user would run one: subscribes to everything under the base topic and publishes commands. */
public final class MqttProbeClient implements AutoCloseable {

    /** A message as it arrived; {@code at} is the {@link System#nanoTime()} of its arrival. */
    public record Received(String topic, byte[] payload, MqttProperties properties, boolean retained, long at) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(payload);
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON on " + topic + ": " + text(), e);
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MqttClient client;
    private final List<Received> received = new ArrayList<>();

    public MqttProbeClient(String url, String... filters) throws MqttException {
        this(url, "test-" + UUID.randomUUID(), false, filters);
    }

    /** A durable client keeps its session on the broker and reconnects by itself, to see what was sent while it was cut off. */
    public MqttProbeClient(String url, String clientId, boolean durable, String... filters) throws MqttException {
        client = new MqttClient(url, clientId, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(!durable);
        if (durable) {
            options.setSessionExpiryInterval(300L);
            options.setAutomaticReconnect(true);
            options.setAutomaticReconnectDelay(1, 2);
        }
        // like the worker: without TCP_NODELAY every round trip picks up Nagle's delay
        options.setSocketFactory(dev.cubeguardian.mqtt.MqttClientSettings.socketFactory(url, null));
        // the client-wide callback: Paho 1.2.5's per-subscription listener overload recurses forever
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                record(topic, message);
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
        client.connect(options);
        int[] qos = new int[filters.length];
        java.util.Arrays.fill(qos, 1);
        client.subscribe(filters, qos);
    }

    private void record(String topic, MqttMessage message) {
        synchronized (received) {
            received.add(new Received(topic, message.getPayload(), message.getProperties(), message.isRetained(), System.nanoTime()));
            received.notifyAll();
        }
    }

    public void publish(String topic, String payload) throws MqttException {
        publish(topic, payload.getBytes(StandardCharsets.UTF_8), new MqttProperties());
    }

    public void publishRetained(String topic, String payload) throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        message.setRetained(true);
        send(topic, message);
    }

    public void publish(String topic, byte[] payload, MqttProperties properties) throws MqttException {
        MqttMessage message = new MqttMessage(payload);
        message.setQos(1);
        message.setProperties(properties);
        send(topic, message);
    }

    /**
     * Paho's synchronous publish returns when the acknowledgement's token completes, on its
     * receiver thread, and counts the message out of flight a moment later on its callback thread
     * (paho.mqtt.java#551). A test publishing fast, while the callback thread delivers large
     * messages, can get "Too many publishes in progress" from the client itself (CliWorkersIT did
     * once in CI): try again for a while, as the worker's own publisher does.
     */
    private void send(String topic, MqttMessage message) throws MqttException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                client.publish(topic, message);
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() != org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_MAX_INFLIGHT
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The first message (seen so far or arriving within the limit) that matches. */
    public Received await(Predicate<Received> match, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (received) {
            while (true) {
                for (Received message : received) {
                    if (match.test(message)) {
                        return message;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching message within " + limit + "; received: " + describe());
                }
                TimeUnit.NANOSECONDS.timedWait(received, left);
            }
        }
    }

    /** The result for a command id, on the given topic. */
    public JsonNode result(String topic, String id, Duration limit) throws InterruptedException {
        return await(m -> m.topic().equals(topic) && id.equals(m.json().path("id").asText(null)), limit).json();
    }

    public List<Received> all(Predicate<Received> match) {
        synchronized (received) {
            return received.stream().filter(match).toList();
        }
    }

    public void clear() {
        synchronized (received) {
            received.clear();
        }
    }

    private String describe() {
        StringBuilder text = new StringBuilder();
        for (Received message : received) {
            text.append("\n  ").append(message.topic()).append(' ').append(message.text());
        }
        return text.toString();
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
