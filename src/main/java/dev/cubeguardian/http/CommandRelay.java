package dev.cubeguardian.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the HTTP API's commands on the broker like any MQTT 5 client, and hands each its result.
 * One Paho async connection for all requests. Each command carries a Response Topic outside the
 * worker's namespaces ({@code replies/<user>/http-api/...}, the one the shipped ACL lets the
 * worker's user read) and a random Correlation Data; the worker's MQTT 5 reply comes back there
 * and completes the request's future. Nothing here blocks: Paho's callback only looks the
 * correlation up, and waits end by a timer. At most {@code maxPending} requests and
 * {@code maxPendingBytes} of payload wait at once; beyond that a request is refused at once.
 */
final class CommandRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandRelay.class);
    /** Results are at most a few KiB; the cap only keeps a hostile broker from filling memory. */
    static final long MAX_PENDING_BYTES = 4L * 1024 * 1024;

    /** Why a command could not be sent or answered. */
    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private record Pending(CompletableFuture<byte[]> future, int bytes) {
    }

    private final MqttAsyncClient client;
    private final MqttConnectionOptions options;
    private final String replyTopic;
    private final ScheduledExecutorService timers;
    private final int maxPending;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private volatile boolean subscribed;

    CommandRelay(String brokerUrl, String clientId, MqttConnectionOptions options, String replyTopic,
            ScheduledExecutorService timers, int maxPending) throws MqttException {
        this.client = new MqttAsyncClient(brokerUrl, clientId, new MemoryPersistence());
        this.options = options;
        this.replyTopic = replyTopic;
        this.timers = timers;
        this.maxPending = maxPending;
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                answer(message);
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                subscribe();
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
                subscribed = false;
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
                LOG.debug("HTTP API's MQTT connection: {}", exception.getMessage());
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
                // QoS 1 acknowledgements need nothing more
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
                // no enhanced authentication
            }
        });
    }

    /** Connects in the background; Paho's automatic reconnect keeps trying while the broker is away. */
    void start() {
        try {
            client.connect(options);
        } catch (MqttException e) {
            LOG.warn("The HTTP API cannot connect to the MQTT broker yet ({}); it answers 503 until it can", e.getMessage());
        }
    }

    boolean ready() {
        return subscribed && client.isConnected();
    }

    int pending() {
        return count.get();
    }

    /** Publishes the command; the future completes with the result's JSON or fails with {@link Refused}. */
    CompletableFuture<byte[]> send(String topic, byte[] payload, long waitMillis) {
        if (!ready()) {
            return CompletableFuture.failedFuture(new Refused(503, "the worker's HTTP API is not connected to the MQTT broker"));
        }
        if (count.incrementAndGet() > maxPending || bytes.addAndGet(payload.length) > MAX_PENDING_BYTES) {
            count.decrementAndGet();
            bytes.addAndGet(-payload.length);
            return CompletableFuture.failedFuture(new Refused(503, "too many HTTP requests are waiting for their results"));
        }
        String correlation = UUID.randomUUID().toString();
        CompletableFuture<byte[]> future = new CompletableFuture<>();
        Pending entry = new Pending(future, payload.length);
        pending.put(correlation, entry);
        java.util.concurrent.ScheduledFuture<?> timeout =
                timers.schedule(() -> future.completeExceptionally(new TimeoutException()), waitMillis, TimeUnit.MILLISECONDS);
        // the timer goes with the answer: a flood of fast answers must not leave their results queued for the whole wait
        future.whenComplete((result, error) -> {
            timeout.cancel(false);
            release(correlation, entry);
        });
        MqttProperties properties = new MqttProperties();
        properties.setResponseTopic(replyTopic);
        properties.setCorrelationData(correlation.getBytes(StandardCharsets.US_ASCII));
        MqttMessage message = new MqttMessage(payload);
        message.setQos(1);
        message.setProperties(properties);
        try {
            // a broker that refuses the command (an ACL: PUBACK 0x87) is said at once, not after the wait
            client.publish(topic, message, null, new org.eclipse.paho.mqttv5.client.MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] codes = token.getReasonCodes();
                    if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                        future.completeExceptionally(new Refused(503, "the broker refused the command (MQTT reason code 0x"
                                + Integer.toHexString(codes[0]) + "): let the worker's user publish on " + topic));
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    future.completeExceptionally(new Refused(503, "the command could not be sent to the broker: "
                            + failure.getMessage()));
                }
            });
        } catch (MqttException e) {
            future.completeExceptionally(new Refused(503, "the command could not be sent to the broker: " + e.getMessage()));
        }
        return future;
    }

    private void release(String correlation, Pending entry) {
        if (pending.remove(correlation, entry)) {
            count.decrementAndGet();
            bytes.addAndGet(-entry.bytes());
        }
    }

    private void answer(MqttMessage message) {
        MqttProperties properties = message.getProperties();
        byte[] data = properties == null ? null : properties.getCorrelationData();
        if (data == null) {
            return;
        }
        Pending entry = pending.get(new String(data, StandardCharsets.US_ASCII));
        if (entry != null) {
            entry.future().complete(message.getPayload());
        }
    }

    private void subscribe() {
        try {
            client.subscribe(new MqttSubscription[] {new MqttSubscription(replyTopic, 1)}, null, new org.eclipse.paho.mqttv5.client.MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] codes = token.getReasonCodes();
                    subscribed = codes == null || codes.length == 0 || codes[0] < 0x80;
                    if (!subscribed) {
                        LOG.warn("The broker refused the HTTP API's subscription to {} (reason code {}): the API answers 503;"
                                + " let the worker's user read replies/<user>/#", replyTopic, codes[0]);
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    LOG.warn("The HTTP API could not subscribe to {}: {}", replyTopic, failure.getMessage());
                }
            }, new MqttProperties());
        } catch (MqttException e) {
            LOG.warn("The HTTP API could not subscribe to {}: {}", replyTopic, e.getMessage());
        }
    }

    static String replyTopic(String user, String clientId) {
        return "replies/" + user + "/http-api/" + clientId;
    }

    @Override
    public void close() {
        pending.values().forEach(p -> p.future().completeExceptionally(new Refused(503, "the worker is stopping")));
        timers.shutdownNow();
        try {
            if (client.isConnected()) {
                client.disconnect(2000).waitForCompletion(2000);
            }
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("closing the HTTP API's MQTT connection: {}", e.getMessage());
        }
    }

    static MqttConnectionOptions options(String url, String username, String password, java.nio.file.Path caFile) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(10_000);
        options.setConnectionTimeout(10);
        options.setKeepAliveInterval(30);
        if (username != null) {
            options.setUserName(username);
        }
        if (password != null) {
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        options.setSocketFactory(dev.cubeguardian.mqtt.MqttClientSettings.socketFactory(url, caFile));
        return options;
    }

}
