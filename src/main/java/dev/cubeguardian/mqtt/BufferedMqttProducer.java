package dev.cubeguardian.mqtt;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Endpoint;
import org.eclipse.paho.mqttv5.client.DisconnectedBufferOptions;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
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
                client.publish(topic, message);
                return;
            } catch (MqttException e) {
                // the broker's receive maximum caps unacknowledged messages; wait for acks, briefly
                if (e.getReasonCode() != org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_MAX_INFLIGHT || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(1);
            }
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
                onReconnect.run();
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
