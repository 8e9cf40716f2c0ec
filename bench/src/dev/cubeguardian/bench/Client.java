package dev.cubeguardian.bench;

import static dev.cubeguardian.bench.Bench.field;

import dev.cubeguardian.mqtt.MqttClientSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A Paho MQTT 5 client with TCP_NODELAY (as the worker's), recording arrival times by command id. */
final class Client implements AutoCloseable {
    final MqttAsyncClient c;
    final Map<String, CompletableFuture<Long>> waiting = new ConcurrentHashMap<>();
    volatile BiConsumer<String, MqttMessage> handler;
    volatile BiConsumer<String, Long> resultHandler;
    final List<Long> durations = java.util.Collections.synchronizedList(new ArrayList<>());

    Client(String url, String id) throws MqttException {
        c = new MqttAsyncClient(url, id + "-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setSocketFactory(MqttClientSettings.socketFactory(url, null));
        c.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                long t = System.nanoTime();
                BiConsumer<String, MqttMessage> h = handler;
                if (h != null) {
                    h.accept(topic, message);
                    return;
                }
                String rid = field(message.getPayload(), "id");
                if (rid != null) {
                    String dm = field(message.getPayload(), "duration_ms");
                    if (dm != null && !dm.equals("null")) {
                        durations.add(Long.parseLong(dm));
                    }
                    CompletableFuture<Long> f = waiting.remove(rid);
                    if (f != null) {
                        f.complete(t);
                    }
                    BiConsumer<String, Long> r = resultHandler;
                    if (r != null) {
                        r.accept(rid, t);
                    }
                }
            }

            @Override
            public void disconnected(MqttDisconnectResponse r) {
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String uri) {
            }

            @Override
            public void authPacketArrived(int code, MqttProperties p) {
            }
        });
        c.connect(o).waitForCompletion(10_000);
    }

    void onMessage(BiConsumer<String, MqttMessage> h) {
        handler = h;
    }

    void onResult(BiConsumer<String, Long> h) {
        resultHandler = h;
    }

    void subscribe(String filter) throws MqttException {
        c.subscribe(filter, 1).waitForCompletion(10_000);
    }

    CompletableFuture<Long> expect(String id) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        waiting.put(id, f);
        return f;
    }

    void publish(String topic, byte[] payload) throws MqttException {
        send(topic, payload, false);
    }

    void publishRetained(String topic, byte[] payload) throws MqttException {
        send(topic, payload, true).waitForCompletion(10_000);
    }

    /** From Paho's callback thread: hand the publish to another thread, never wait for acknowledgements there. */
    void publishQuietly(String topic, byte[] payload) {
        echoOut.execute(() -> {
            try {
                send(topic, payload, false);
            } catch (MqttException e) {
                System.err.println("echo publish failed: " + e);
            }
        });
    }

    final java.util.concurrent.ExecutorService echoOut = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "echo-out");
        t.setDaemon(true);
        return t;
    });

    IMqttToken send(String topic, byte[] payload, boolean retained) throws MqttException {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        m.setRetained(retained);
        long limit = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                return c.publish(topic, m);
            } catch (MqttException e) {
                // the broker's receive maximum: wait for acknowledgements, as the worker does
                if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT || System.nanoTime() > limit) {
                    throw e;
                }
                LockSupport.parkNanos(50_000);
            }
        }
    }

    @Override
    public void close() throws MqttException {
        try {
            c.disconnect().waitForCompletion(5_000);
        } catch (MqttException ignored) {
            // closing anyway
        }
        c.close(true);
    }
}
