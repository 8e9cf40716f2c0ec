package dev.cubeguardian.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A durable subscriber that survives broker restarts: it keeps its session, reconnects by
 * itself and subscribes again after every reconnect (a killed broker may have lost the
 * session). It records every message, and indexes results by command id.
 */
final class Watcher implements AutoCloseable {

    record Seen(String topic, String text, boolean retained, long atNanos, String correlation) {
        JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (java.io.IOException e) {
                return null;
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MqttAsyncClient client;
    private final String[] filters;
    private final List<Seen> all = new CopyOnWriteArrayList<>();
    private final Map<String, List<JsonNode>> resultsById = new ConcurrentHashMap<>();

    Watcher(String url, String clientId, String username, byte[] password, String... filters) throws MqttException {
        this.filters = filters;
        client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(600L);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 1);
        options.setKeepAliveInterval(5);
        // no Nagle delay on each round trip, like the worker
        options.setSocketFactory(dev.cubeguardian.mqtt.MqttClientSettings.socketFactory(url, null));
        if (username != null) {
            options.setUserName(username);
            options.setPassword(password);
        }
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                record(topic, message);
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                if (reconnect) {
                    subscribe();
                }
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
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        client.connect(options).waitForCompletion(10_000);
        int[] qos = new int[filters.length];
        java.util.Arrays.fill(qos, 1);
        client.subscribe(filters, qos).waitForCompletion(10_000);
    }

    private void subscribe() {
        int[] qos = new int[filters.length];
        java.util.Arrays.fill(qos, 1);
        try {
            client.subscribe(filters, qos); // asynchronous: never wait on Paho's own thread
        } catch (MqttException e) {
            Faults.log("resubscribe failed: %s", e);
        }
    }

    private void record(String topic, MqttMessage message) {
        byte[] correlation = message.getProperties() == null ? null : message.getProperties().getCorrelationData();
        Seen seen = new Seen(topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.isRetained(), System.nanoTime(),
                correlation == null ? null : new String(correlation, StandardCharsets.UTF_8));
        all.add(seen);
        if (topic.contains("/result/") || topic.endsWith("/bridge/error")) {
            JsonNode json = seen.json();
            if (json != null && json.hasNonNull("id")) {
                resultsById.computeIfAbsent(json.get("id").asText(), k -> new CopyOnWriteArrayList<>()).add(json);
            }
        }
    }

    List<Seen> all() {
        return List.copyOf(all);
    }

    /** Drops what was seen so far, e.g. before measuring the heap of a worker in the same JVM. */
    void forget() {
        all.clear();
        resultsById.clear();
    }

    List<Seen> all(Predicate<Seen> match) {
        return all.stream().filter(match).toList();
    }

    List<JsonNode> results(String id) {
        return resultsById.getOrDefault(id, List.of());
    }

    Map<String, List<JsonNode>> resultsById() {
        return resultsById;
    }

    boolean answered(String id) {
        return !results(id).isEmpty();
    }

    JsonNode result(String id, Duration limit) throws InterruptedException {
        if (!Faults.await(() -> answered(id), limit)) {
            throw new AssertionError("no result for " + id + " within " + limit);
        }
        return results(id).get(0);
    }

    Seen await(Predicate<Seen> match, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            for (Seen seen : all) {
                if (match.test(seen)) {
                    return seen;
                }
            }
            Thread.sleep(20);
        }
        List<String> tail = new ArrayList<>();
        all.stream().skip(Math.max(0, all.size() - 20)).forEach(s -> tail.add(s.topic() + " " + s.text()));
        throw new AssertionError("no matching message within " + limit + "; last: " + tail);
    }

    @Override
    public void close() throws MqttException {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(2_000);
            }
        } catch (MqttException ignored) {
            // closing anyway
        }
        client.close(true);
    }
}
