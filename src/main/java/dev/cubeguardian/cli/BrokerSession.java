package dev.cubeguardian.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cubeguardian.config.InvalidSettingException;
import dev.cubeguardian.mqtt.BrokerFailure;
import dev.cubeguardian.mqtt.MqttClientSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * One short-lived MQTT 5 connection of the CLI: clean start, no session kept, everything it
 * receives queued for the calling thread. Uses the client-wide callback with
 * {@code subscribe(String[], int[])} (Paho 1.2.5's per-subscription listener overload recurses).
 */
final class BrokerSession implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The broker must not send the client anything larger (MQTT 5 Maximum Packet Size): a huge
     * retained payload someone left under the base topic would otherwise be read whole into the
     * client's small heap. Far above any result, event, state or info the client reads.
     */
    static final long MAX_PACKET_BYTES = 2L * 1024 * 1024;

    /** What came in; {@code lost} is set on the one message that says the connection dropped. */
    record Message(String topic, byte[] payload, boolean retained, String lost) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The payload as JSON, or null when it is not JSON (a client must tolerate junk on the broker). */
        JsonNode json() {
            try {
                JsonNode node = JSON.readTree(payload);
                return node == null || node.isMissingNode() ? null : node;
            } catch (IOException notJson) {
                return null;
            }
        }
    }

    private final MqttClient client;
    private final String url;
    private final CliTexts texts;
    private final BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();

    private BrokerSession(MqttClient client, String url, CliTexts texts) {
        this.client = client;
        this.url = url;
        this.texts = texts;
    }

    static BrokerSession connect(CliArguments arguments, Duration limit, CliTexts texts) throws CliFailure {
        String url = arguments.brokerUrl();
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setSessionExpiryInterval(0L);
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval(30);
        options.setMaximumPacketSize(MAX_PACKET_BYTES);
        options.setConnectionTimeout((int) Math.max(1, Math.min(limit.toSeconds(), 10)));
        try {
            options.setSocketFactory(MqttClientSettings.socketFactory(url, arguments.caFile()));
            if (arguments.username() != null) {
                options.setUserName(arguments.username());
            }
            if (arguments.passwordFile() != null) {
                options.setPassword(MqttClientSettings.readSecret(arguments.passwordFile()).getBytes(StandardCharsets.UTF_8));
            }
        } catch (InvalidSettingException bad) {
            throw CliFailure.usage(bad.getMessage());
        }
        MqttClient client;
        try {
            client = new MqttClient(url, "cubeguardian-cli-" + UUID.randomUUID().toString().substring(0, 8),
                    new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException bad) {
            throw CliFailure.usage(texts.get("broker.bad_url", url, bad.getMessage()));
        }
        BrokerSession session = new BrokerSession(client, url, texts);
        client.setCallback(session.callback());
        client.setTimeToWait(Math.max(1_000, Math.min(limit.toMillis(), 10_000)));
        try {
            client.connect(options);
        } catch (MqttException failed) {
            session.closeQuietly();
            throw new CliFailure(ExitCodes.TIMEOUT, texts.get("broker.cannot_connect", url, BrokerFailure.describe(failed)));
        }
        return session;
    }

    /** Subscribes at QoS 1; retained messages on these filters arrive right after. */
    void subscribe(String... filters) throws CliFailure {
        int[] qos = new int[filters.length];
        Arrays.fill(qos, 1);
        try {
            IMqttToken token = client.subscribe(filters, qos);
            int[] codes = token.getReasonCodes();
            for (int i = 0; codes != null && i < codes.length && i < filters.length; i++) {
                if (codes[i] >= 0x80) {
                    throw new CliFailure(ExitCodes.TIMEOUT, texts.get("broker.subscription_refused", url, filters[i], codes[i]));
                }
            }
        } catch (MqttException failed) {
            throw new CliFailure(ExitCodes.TIMEOUT, texts.get("broker.cannot_subscribe", url, BrokerFailure.describe(failed)));
        }
    }

    /** Publishes at QoS 1, not retained, waiting for the broker's acknowledgement. */
    void publish(String topic, String payload, long expirySeconds) throws CliFailure {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        message.setRetained(false);
        MqttProperties properties = new MqttProperties();
        properties.setMessageExpiryInterval(expirySeconds);
        properties.setContentType("application/json");
        message.setProperties(properties);
        try {
            client.publish(topic, message);
        } catch (MqttException failed) {
            throw new CliFailure(ExitCodes.TIMEOUT, texts.get("broker.cannot_publish", topic, url, BrokerFailure.describe(failed)));
        }
    }

    /** The next message, or null when the deadline (System.nanoTime) passes first. */
    Message next(long deadlineNanos) throws CliFailure {
        long left = deadlineNanos - System.nanoTime();
        Message message;
        try {
            message = left <= 0 ? inbox.poll() : inbox.poll(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new CliFailure(ExitCodes.TIMEOUT, texts.get("broker.interrupted"));
        }
        if (message != null && message.lost() != null) {
            throw new CliFailure(ExitCodes.TIMEOUT, texts.get("broker.lost", url, message.lost()));
        }
        return message;
    }

    private MqttCallback callback() {
        return new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                inbox.add(new Message(topic, message.getPayload(), message.isRetained(), null));
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
                String reason = response.getException() != null ? BrokerFailure.describe(response.getException())
                        : texts.get("broker.disconnected", response.getReturnCode());
                inbox.add(new Message("", new byte[0], false, reason));
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
        };
    }

    private void closeQuietly() {
        try {
            if (client.isConnected()) {
                client.disconnect(1_000);
            }
        } catch (MqttException ignored) {
            // closing anyway
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // nothing more to do
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
