package dev.cubeguardian.mqtt;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Endpoint;
import org.apache.camel.support.DefaultProducer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import dev.cubeguardian.logging.LogText;
import dev.cubeguardian.logging.ThrottledWarning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's publishing connection, built around an outbox. Publishing never waits for the
 * broker: a message is sent at once when connected and stays in the outbox until the broker
 * acknowledges it. While the broker is away, messages wait in the outbox; after the reconnect
 * everything unacknowledged goes out again, in the order it was first published. So a result or
 * an event produced during an outage is late, never lost or reordered. QoS 1 is "at least once":
 * a message the broker got but had not acknowledged when it went away arrives twice.
 *
 * <p>Paho's own offline buffer is not used: it sends what was buffered before anything we
 * would resend, which reorders events; and resuming the session (clean start off) makes Paho
 * resend in a way Mosquitto rejects as a protocol error.
 */
final class BufferedMqttProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(BufferedMqttProducer.class);
    /** Bounded in messages and in bytes: 10,000 results of a few hundred bytes, or far fewer big ones (more for a large inventory). */
    private final OutboxBounds bounds;
    private static final long CONNECT_WAIT_MS = 10_000;
    /** As the route controller's back-off for the routes that connect at start (camel.routeController.backOffDelay). */
    static final long FIRST_CONNECT_RETRY_MS = 2_000;
    private static final long INFLIGHT_WAIT_MS = 5_000;

    /** A message and the token of its latest send (null while it waits for a connection). */
    private static final class Pending {
        final String topic;
        final MqttMessage message;
        IMqttToken token;

        Pending(String topic, MqttMessage message) {
            this.topic = topic;
            this.message = message;
        }

        long bytes() {
            return 64L + 2L * topic.length() + message.getPayload().length;
        }

        boolean acknowledged() {
            return token != null && token.isComplete() && token.getException() == null;
        }

        /**
         * The broker answered with a refusal (an MQTT 5 reason code of 0x80 or more, e.g. 0x87
         * "not authorized" by its ACL): sending it again would be refused again. A connection
         * lost before the answer is a Paho client code (32xxx) instead, and is sent again.
         */
        boolean refusedByBroker() {
            if (token == null || !token.isComplete() || token.getException() == null) {
                return false;
            }
            int code = token.getException().getReasonCode();
            return code >= 0x80 && code <= 0xFF;
        }
    }

    private final PahoMqtt5Endpoint endpoint;
    private final MqttConnectionOptions options;
    private final Runnable onReconnect;
    private final Deque<Pending> outbox = new ArrayDeque<>();
    private final ScheduledExecutorService reconnectWork = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "mqtt-reconnect");
        thread.setDaemon(true);
        return thread;
    });
    private volatile MqttAsyncClient client;
    /** Sends waiting for the broker's receive maximum to let another message in flight. */
    private final java.util.concurrent.atomic.AtomicInteger windowWaiters = new java.util.concurrent.atomic.AtomicInteger();
    private boolean flushing;
    private long outboxBytes;
    private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();
    private final ThrottledWarning droppedUnsendable = ThrottledWarning.lines(LOG::warn, java.time.Duration.ofSeconds(10));

    BufferedMqttProducer(PahoMqtt5Endpoint endpoint, MqttConnectionOptions options, Runnable onReconnect) {
        this(endpoint, options, onReconnect, OutboxBounds.SMALL);
    }

    BufferedMqttProducer(PahoMqtt5Endpoint endpoint, MqttConnectionOptions options, Runnable onReconnect, OutboxBounds bounds) {
        super(endpoint);
        this.bounds = bounds;
        this.endpoint = endpoint;
        this.options = options;
        this.onReconnect = onReconnect;
    }

    /**
     * Starts the first connection and returns without waiting for it: Paho takes about 300 ms to
     * connect on loopback (it sleeps 100 ms for each of its threads to start), and the command
     * connection, started next, connects meanwhile instead of after it (cold start, issue 16).
     * What is published before the broker has answered waits in the outbox and goes out first,
     * in order, once it has; so `online`, published after the command subscription is in place,
     * still comes after it. A refused or failed first connection is tried again every
     * {@link #FIRST_CONNECT_RETRY_MS}, as the route controller retries the routes that connect
     * at start (Paho reconnects by itself only after a first success).
     */
    @Override
    protected void doStart() throws Exception {
        super.doStart();
        PahoMqtt5Configuration config = endpoint.getConfiguration();
        MqttAsyncClient async = new MqttAsyncClient(config.getBrokerUrl(), config.getClientId(), new MemoryPersistence());
        async.setCallback(new ConnectionLog(config.getBrokerUrl()));
        synchronized (this) {
            // nothing is sent before the first flush, which sends what waited in the order it came
            flushing = true;
        }
        client = async;
        connectFirst(async);
    }

    private void connectFirst(MqttAsyncClient async) {
        if (client != async || reconnectWork.isShutdown()) {
            return;
        }
        try {
            async.connect(options, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    // connectComplete (ConnectionLog) flushes the outbox
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    firstConnectFailed(failure);
                    retryFirstConnect(async);
                }
            });
        } catch (MqttException e) {
            firstConnectFailed(e);
            retryFirstConnect(async);
        }
    }

    /**
     * At DEBUG: the command connection uses the same broker, address and credentials, and its
     * route's failed starts are already said once, in one line, by {@link BrokerRetryLog}.
     */
    private void firstConnectFailed(Throwable failure) {
        LOG.debug("The publishing connection cannot reach the MQTT broker {}: {}; retrying in {} ms",
                endpoint.getConfiguration().getBrokerUrl(), BrokerFailure.describe(failure), FIRST_CONNECT_RETRY_MS);
    }

    private void retryFirstConnect(MqttAsyncClient async) {
        try {
            reconnectWork.schedule(() -> connectFirst(async), FIRST_CONNECT_RETRY_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // the producer is stopping: no more attempts
        }
    }

    boolean connected() {
        MqttAsyncClient async = client;
        return async != null && async.isConnected();
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
        Pending pending = new Pending(topic, message);
        boolean held = HeldPublishes.hold(() -> {
            try {
                enqueue(pending);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        if (!held) {
            enqueue(pending);
        }
    }

    /** Messages dropped: the outbox was full, or the message could never be sent. */
    long dropped() {
        return dropped.get();
    }

    private synchronized void enqueue(Pending pending) throws InterruptedException {
        removeAcknowledged();
        while (!outbox.isEmpty() && (outbox.size() >= bounds.messages() || outboxBytes + pending.bytes() > bounds.bytes())) {
            Pending oldest = outbox.pollFirst();
            outboxBytes -= oldest.bytes();
            dropped.incrementAndGet();
            droppedUnsendable.warn("MQTT outbox full (" + bounds.messages() + " messages or " + (bounds.bytes() >> 20)
                    + " MiB): dropped the oldest, for " + LogText.of(oldest.topic));
        }
        outbox.addLast(pending);
        outboxBytes += pending.bytes();
        // while a reconnect flush runs, later messages wait their turn to keep the order
        if (!flushing) {
            send(pending);
        }
    }

    /**
     * Takes what the broker has answered off the front of the outbox. Only the front: the broker
     * acknowledges in order, and a scan of the whole outbox on every publish made a large
     * inventory's start quadratic (40,000 messages). An answer behind an unanswered one is taken
     * off when that one is.
     */
    private void removeAcknowledged() {
        Pending head;
        while ((head = outbox.peekFirst()) != null) {
            boolean refused = head.refusedByBroker();
            if (!refused && !head.acknowledged()) {
                return;
            }
            outbox.pollFirst();
            outboxBytes -= head.bytes();
            if (refused) {
                dropped.incrementAndGet();
                droppedUnsendable.warn("The broker refused a message for " + LogText.of(head.topic) + " (reason code 0x"
                        + Integer.toHexString(head.token.getException().getReasonCode())
                        + "): dropped, not sent again");
            }
        }
    }

    /** After a reconnect: every message not acknowledged yet goes out again, oldest first. */
    private void flush() throws InterruptedException {
        synchronized (this) {
            flushing = true;
        }
        int resent = 0;
        try {
            while (true) {
                Pending next = null;
                synchronized (this) {
                    removeAcknowledged();
                    for (Pending pending : outbox) {
                        // unsent, or sent and lost with the connection (answered ones behind the front are done)
                        if (pending.token == null
                                || pending.token.isComplete() && !pending.acknowledged() && !pending.refusedByBroker()) {
                            next = pending;
                            break;
                        }
                    }
                    if (next == null) {
                        flushing = false;
                        break;
                    }
                    send(next);
                    resent++;
                    // a message MQTT cannot carry has left the outbox: carry on with the next
                    if (next.token == null && outbox.contains(next)) {
                        // the connection dropped again: the next reconnect flushes what is left
                        flushing = false;
                        break;
                    }
                }
            }
        } finally {
            synchronized (this) {
                flushing = false;
            }
        }
        if (resent > 0) {
            LOG.info("Sent {} message(s) that waited for the broker", resent);
        }
    }

    /** Sends now if connected; on failure the message simply stays unsent in the outbox. */
    private void send(Pending pending) throws InterruptedException {
        MqttAsyncClient async = client;
        long deadline = System.nanoTime() + INFLIGHT_WAIT_MS * 1_000_000;
        while (async != null && async.isConnected()) {
            try {
                pending.token = async.publish(pending.topic, pending.message);
                return;
            } catch (IllegalArgumentException | IllegalStateException unsendable) {
                // Paho refuses this message itself (a topic over 65,535 bytes, say): it never will
                // be sent, and left in the outbox it would fail every flush after every reconnect
                outbox.remove(pending);
                outboxBytes -= pending.bytes();
                dropped.incrementAndGet();
                droppedUnsendable.warn("Dropped a message that MQTT cannot carry, for " + LogText.of(pending.topic)
                        + ": " + unsendable.getMessage());
                pending.token = null;
                return;
            } catch (MqttException e) {
                // the broker's receive maximum caps unacknowledged messages: wait for acks, briefly
                if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT || System.nanoTime() > deadline) {
                    pending.token = null;
                    return;
                }
                windowWaiters.incrementAndGet();
                try {
                    wait(1);
                } finally {
                    windowWaiters.decrementAndGet();
                }
            }
        }
        pending.token = null;
    }

    private final class ConnectionLog implements MqttCallback {
        private final String url;

        ConnectionLog(String url) {
            this.url = url;
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            if (reconnect) {
                LOG.info("MQTT broker {} is back: sending what waited, then announcing the worker again", url);
            } else {
                LOG.info("Connected to MQTT broker {}", url);
            }
            synchronized (BufferedMqttProducer.this) {
                // from now until the flush is through, what is published joins the queue behind what waited
                flushing = true;
            }
            // off Paho's thread: publishing from its callback would wait for acknowledgements it delivers
            try {
                reconnectWork.execute(() -> {
                    try {
                        flush();
                        if (reconnect) {
                            onReconnect.run();
                        }
                    } catch (InterruptedException stopping) {
                        Thread.currentThread().interrupt();
                    }
                });
            } catch (RejectedExecutionException stopping) {
                // the producer is stopping
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            LOG.warn("Lost the MQTT broker {} ({}): keeping up to {} messages until it is back", url,
                    response.getReasonString() != null ? response.getReasonString()
                            : response.getException() != null ? BrokerFailure.describe(response.getException()) : "disconnected",
                    bounds.messages());
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("MQTT error on {}: {}", url, BrokerFailure.describe(exception));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            // the publishing connection subscribes to nothing
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // acknowledged messages leave the outbox lazily, on the next publish or flush; a send
            // waiting for room in the broker's receive maximum goes on now, not after its 1 ms nap
            // (a burst of results waited up to 1 ms per acknowledgement). Only those waiting get
            // the monitor's attention: its holders never wait for the network, so this is brief.
            if (windowWaiters.get() > 0) {
                synchronized (BufferedMqttProducer.this) {
                    BufferedMqttProducer.this.notifyAll();
                }
            }
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
