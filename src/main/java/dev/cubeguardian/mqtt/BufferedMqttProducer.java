package dev.cubeguardian.mqtt;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Endpoint;
import org.eclipse.paho.mqttv5.client.DisconnectedBufferOptions;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's publishing connection. Unlike camel-paho-mqtt5's producer it never waits for the
 * broker: messages go out asynchronously, and while the broker is away they are buffered and
 * sent after the reconnect, so a result or event produced during an outage is delayed, not lost.
 * Messages that were on the wire, unacknowledged, when the broker went away are sent again after
 * the reconnect (QoS 1 is "at least once": a subscriber may see such a message twice). Paho cannot
 * do this itself here: resuming the session (clean start off) makes it resend in a way Mosquitto
 * rejects as a protocol error.
 * It reports connection changes in the log and tells the worker when it has reconnected.
 */
final class BufferedMqttProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(BufferedMqttProducer.class);
    static final int BUFFER_SIZE = 10_000;
    private static final long CONNECT_WAIT_MS = 10_000;
    private static final long INFLIGHT_RETRY_MS = 5_000;

    private final PahoMqtt5Endpoint endpoint;
    private final MqttConnectionOptions options;
    private final Runnable onReconnect;
    private volatile MqttAsyncClient client;
    private final Deque<InFlight> inFlight = new ConcurrentLinkedDeque<>();
    private final ExecutorService reconnectWork = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "mqtt-reconnect");
        thread.setDaemon(true);
        return thread;
    });

    /** A message sent while connected, kept until the broker acknowledges it. */
    private record InFlight(IMqttToken token, String topic, MqttMessage message) {
    }

    BufferedMqttProducer(PahoMqtt5Endpoint endpoint, MqttConnectionOptions options, Runnable onReconnect) {
        super(endpoint);
        this.endpoint = endpoint;
        this.options = options;
        this.onReconnect = onReconnect;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        PahoMqtt5Configuration config = endpoint.getConfiguration();
        MqttAsyncClient async = new MqttAsyncClient(config.getBrokerUrl(), config.getClientId(), new MemoryPersistence());
        DisconnectedBufferOptions buffer = new DisconnectedBufferOptions();
        buffer.setBufferEnabled(true);
        buffer.setBufferSize(BUFFER_SIZE);
        buffer.setPersistBuffer(false);
        buffer.setDeleteOldestMessages(false);
        async.setBufferOpts(buffer);
        async.setCallback(new ConnectionLog(config.getBrokerUrl()));
        // the first connection must succeed: the route controller retries the route until it does
        async.connect(options).waitForCompletion(CONNECT_WAIT_MS);
        client = async;
    }

    @Override
    protected void doStop() throws Exception {
        reconnectWork.shutdownNow();
        MqttAsyncClient async = client;
        client = null;
        if (async != null) {
            try {
                if (async.isConnected()) {
                    async.disconnect().waitForCompletion(CONNECT_WAIT_MS);
                }
            } finally {
                async.close(true);
            }
        }
        super.doStop();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String topic = exchange.getMessage().getHeader(MqttOut.TOPIC, endpoint.getTopic(), String.class);
        MqttMessage message = new MqttMessage(exchange.getMessage().getBody(byte[].class));
        message.setQos(exchange.getMessage().getHeader(MqttOut.QOS, 1, Integer.class));
        message.setRetained(exchange.getMessage().getHeader(MqttOut.RETAINED, false, Boolean.class));
        MqttProperties properties = exchange.getMessage().getHeader(MqttOut.PROPERTIES, MqttProperties.class);
        message.setProperties(properties == null ? new MqttProperties() : properties);
        publish(topic, message);
    }

    private void publish(String topic, MqttMessage message) throws MqttException, InterruptedException {
        long deadline = System.nanoTime() + INFLIGHT_RETRY_MS * 1_000_000;
        while (true) {
            try {
                boolean onTheWire = client.isConnected();
                IMqttToken token = client.publish(topic, message);
                if (onTheWire && message.getQos() > 0) {
                    forgetAcknowledged();
                    if (inFlight.size() < BUFFER_SIZE) {
                        inFlight.add(new InFlight(token, topic, message));
                    }
                }
                return;
            } catch (MqttException e) {
                // Two short waits: the broker's receive maximum caps unacknowledged messages (wait for
                // acks), and right after a connection drops Paho refuses messages until it has
                // switched to reconnecting, from when on it buffers them.
                int reason = e.getReasonCode();
                boolean retryable = reason == MqttClientException.REASON_CODE_MAX_INFLIGHT
                        || reason == MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED;
                if (!retryable || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(reason == MqttClientException.REASON_CODE_MAX_INFLIGHT ? 1 : 20);
            }
        }
    }

    private void forgetAcknowledged() {
        inFlight.removeIf(sent -> sent.token().isComplete());
    }

    /** After a reconnect: what the old connection never got acknowledged goes out again. */
    private void resendUnacknowledged() {
        List<InFlight> lost = new ArrayList<>();
        for (InFlight sent : inFlight) {
            if (!sent.token().isComplete() || sent.token().getException() != null) {
                lost.add(sent);
            }
        }
        inFlight.clear();
        for (InFlight sent : lost) {
            try {
                publish(sent.topic(), sent.message());
            } catch (MqttException | InterruptedException e) {
                LOG.warn("Could not send again a message for {}: {}", sent.topic(), e.getMessage());
            }
        }
        if (!lost.isEmpty()) {
            LOG.info("Sent again {} message(s) the broker had not acknowledged before it went away", lost.size());
        }
    }

    private final class ConnectionLog implements MqttCallback {
        private final String url;

        ConnectionLog(String url) {
            this.url = url;
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            if (reconnect) {
                LOG.info("MQTT broker {} is back: publishing again (buffered messages first)", url);
                // off Paho's thread: publishing from its callback can wait for acknowledgements it delivers
                reconnectWork.execute(() -> {
                    resendUnacknowledged();
                    onReconnect.run();
                });
            } else {
                LOG.info("Connected to MQTT broker {}", url);
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            LOG.warn("Lost the MQTT broker {} ({}): buffering up to {} messages while reconnecting", url,
                    response.getReasonString() != null ? response.getReasonString()
                            : response.getException() != null ? response.getException().getMessage() : "disconnected",
                    BUFFER_SIZE);
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("MQTT error on {}: {}", url, exception.getMessage());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            // the publishing connection subscribes to nothing
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
