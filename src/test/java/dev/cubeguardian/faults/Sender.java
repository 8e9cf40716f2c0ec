package dev.cubeguardian.faults;

import java.nio.charset.StandardCharsets;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A publishing client that tells the caller whether the broker acknowledged a QoS 1 command
 * (PUBACK). It never hides a failure: the caller re-sends what was not acknowledged, with
 * the same id. It reconnects on demand (clean start).
 */
final class Sender implements AutoCloseable {

    private final String url;
    private final String username;
    private final byte[] password;
    private MqttAsyncClient client;
    private int connects;
    private volatile Throwable lastFailure;

    Sender(String url) {
        this(url, null, null);
    }

    Sender(String url, String username, byte[] password) {
        this.url = url;
        this.username = username;
        this.password = password;
    }

    /** True when the broker acknowledged the message within the limit. */
    synchronized boolean publish(String topic, String payload, MqttProperties properties, long limitMs) {
        return publish(topic, payload.getBytes(StandardCharsets.UTF_8), properties, limitMs);
    }

    synchronized boolean publish(String topic, byte[] payload, MqttProperties properties, long limitMs) {
        try {
            ensureConnected();
            MqttMessage message = new MqttMessage(payload);
            message.setQos(1);
            message.setProperties(properties == null ? new MqttProperties() : properties);
            client.publish(topic, message).waitForCompletion(limitMs);
            return true;
        } catch (MqttException | RuntimeException failed) {
            lastFailure = failed;
            drop();
            return false;
        }
    }

    Throwable lastFailure() {
        return lastFailure;
    }

    int connects() {
        return connects;
    }

    private void ensureConnected() throws MqttException {
        if (client != null && client.isConnected()) {
            return;
        }
        drop();
        client = new MqttAsyncClient(url, "faults-sender-" + java.util.UUID.randomUUID(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setConnectionTimeout(2);
        options.setKeepAliveInterval(5);
        // no Nagle delay on each round trip, like the worker
        options.setSocketFactory(dev.cubeguardian.mqtt.MqttClientSettings.socketFactory(url, null));
        options.setReceiveMaximum(1000);
        if (username != null) {
            options.setUserName(username);
            options.setPassword(password);
        }
        client.connect(options).waitForCompletion(3_000);
        connects++;
    }

    private void drop() {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 100, false);
            }
        } catch (MqttException ignored) {
            // gone anyway
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // gone anyway
        }
        client = null;
    }

    @Override
    public synchronized void close() {
        drop();
    }
}
