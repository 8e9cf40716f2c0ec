package dev.cubeguardian.mqtt;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.cubeguardian.command.CommandIntake;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Message;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Component;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5ComponentConfigurer;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Consumer;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Endpoint;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5EndpointConfigurer;
import org.apache.camel.spi.PropertyConfigurer;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;

/**
 * camel-paho-mqtt5, registered under its usual name, with two changes the worker relies on:
 * <ul>
 * <li>consumers get a {@link CallbackFirstMqttClient}, so commands the broker kept for the
 * persistent session while the worker was away reach the routes instead of being lost;</li>
 * <li>producers are {@link BufferedMqttProducer}s: they never block on the broker, buffer while
 * it is away, and tell the worker when the connection is back so it can announce itself again.</li>
 * </ul>
 * URI options and their meaning are unchanged.
 */
public final class WorkerMqttComponent extends PahoMqtt5Component {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WorkerMqttComponent.class);

    private static final long STOP_WAIT_MS = 2_000;
    private static final long CALL_WAIT_MS = 15_000;

    private final List<Runnable> reconnectListeners = new CopyOnWriteArrayList<>();
    /** Each consumer route's current client; a route whose consumer stopped keeps its place, as not subscribed. */
    private final Map<String, java.util.Optional<CallbackFirstMqttClient>> consumerClients = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<BufferedMqttProducer> producers = new CopyOnWriteArrayList<>();
    private volatile boolean topicLists;
    private volatile OutboxBounds outbox = OutboxBounds.SMALL;
    /** Consumer routes that take no commands (Home Assistant's): readiness and "online" do not wait for them. */
    private volatile java.util.Set<String> auxiliaryRoutes = java.util.Set.of();

    /** How much each publishing connection keeps while the broker has not acknowledged it (set before the routes start). */
    public void outbox(OutboxBounds bounds) {
        this.outbox = bounds;
    }

    /** Consumer topics are comma-separated lists of filters (only when no base topic can hold a comma). */
    public void topicLists(boolean enabled) {
        this.topicLists = enabled;
    }

    /**
     * A consumer route stopped on purpose (a standby's command route, say) is not a lost
     * connection: the watchdog must not rebuild it, and readiness does not wait for it.
     */
    public void released(String routeId) {
        consumerClients.remove(routeId);
    }

    /**
     * Names the consumer routes that take no commands. Whether their subscriptions are in place
     * is reported ({@link #auxiliarySubscribed()}) but does not decide whether the worker takes commands.
     */
    public void auxiliary(java.util.Set<String> routeIds) {
        this.auxiliaryRoutes = java.util.Set.copyOf(routeIds);
    }

    /** True when every consumer that takes commands is connected with its subscription granted (and there is at least one). */
    public boolean commandsSubscribed() {
        java.util.Set<String> auxiliary = auxiliaryRoutes;
        return subscribed(route -> !auxiliary.contains(route));
    }

    /** True when every consumer that takes no commands is connected and subscribed (true when there is none). */
    public boolean auxiliarySubscribed() {
        java.util.Set<String> auxiliary = auxiliaryRoutes;
        return consumerClients.entrySet().stream().filter(e -> auxiliary.contains(e.getKey()))
                .allMatch(e -> e.getValue().isPresent() && e.getValue().get().subscribedNow());
    }

    /** True when this route's consumer is connected and its subscription granted (false before the route starts). */
    public boolean routeSubscribed(String routeId) {
        return subscribed(routeId::equals);
    }

    private boolean subscribed(java.util.function.Predicate<String> routes) {
        List<java.util.Optional<CallbackFirstMqttClient>> chosen = consumerClients.entrySet().stream()
                .filter(e -> routes.test(e.getKey())).map(Map.Entry::getValue).toList();
        return !chosen.isEmpty() && chosen.stream().allMatch(client -> client.isPresent() && client.get().subscribedNow());
    }

    /** The route of each consumer connection that is not subscribed now (lost, stuck, or refused). */
    public List<String> unsubscribedRoutes() {
        return consumerClients.entrySet().stream()
                .filter(e -> e.getValue().isEmpty() || !e.getValue().get().subscribedNow()).map(Map.Entry::getKey).toList();
    }

    /** True when every publishing connection is up (and there is at least one). */
    public boolean publisherConnected() {
        return !producers.isEmpty() && producers.stream().allMatch(BufferedMqttProducer::connected);
    }

    /** Messages the publishing connections dropped: outbox full, or never sendable, or refused by the broker. */
    public long droppedMessages() {
        return producers.stream().mapToLong(BufferedMqttProducer::dropped).sum();
    }

    /** Runs (on Paho's thread: hand slow work off) each time the publishing connection comes back. */
    public void onPublisherReconnect(Runnable listener) {
        reconnectListeners.add(listener);
    }

    // Camel finds generated configurers by class name; a subclass must hand over the stock ones
    @Override
    public PropertyConfigurer getComponentPropertyConfigurer() {
        return new PahoMqtt5ComponentConfigurer();
    }

    @Override
    public PropertyConfigurer getEndpointPropertyConfigurer() {
        return new PahoMqtt5EndpointConfigurer();
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        PahoMqtt5Endpoint endpoint = new WorkerEndpoint(uri, remaining, this, getConfiguration().copy());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    private void reconnected() {
        reconnectListeners.forEach(Runnable::run);
    }

    private static final class WorkerEndpoint extends PahoMqtt5Endpoint {

        private final WorkerMqttComponent component;

        WorkerEndpoint(String uri, String topic, WorkerMqttComponent component, PahoMqtt5Configuration configuration) {
            super(uri, topic, component, configuration);
            this.component = component;
        }

        MqttConnectionOptions connectionOptions() {
            MqttConnectionOptions options = createMqttConnectionOptions();
            // Paho backs off up to 2 minutes by default: a restarted broker should be found within seconds
            options.setAutomaticReconnectDelay(1, 5);
            return options;
        }

        @Override
        public Producer createProducer() {
            BufferedMqttProducer producer = new BufferedMqttProducer(this, connectionOptions(), component::reconnected, component.outbox);
            component.producers.add(producer);
            return producer;
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            PahoMqtt5Consumer consumer = new PahoMqtt5Consumer(this, processor) {
                @Override
                protected void doStart() throws Exception {
                    if (getClient() == null) {
                        CallbackFirstMqttClient client = newClient(getRouteId());
                        component.consumerClients.put(getRouteId(), java.util.Optional.of(client));
                        setClient(client);
                    }
                    super.doStart();
                }

                /**
                 * With manual acks, camel would acknowledge when the exchange completes, which for
                 * the command intake is as soon as the command is queued. Instead the exchange
                 * carries the acknowledgement, for whoever answers the message to run.
                 */
                @Override
                public Exchange createExchange(MqttMessage message, String topic) {
                    if (!getConfiguration().isManualAcksEnabled()) {
                        return super.createExchange(message, topic);
                    }
                    Exchange exchange = createExchange(true);
                    PahoMqtt5Message paho = new PahoMqtt5Message(exchange.getContext(), message);
                    paho.setBody(message.getPayload());
                    paho.setHeader(PahoMqtt5Constants.MQTT_TOPIC, topic);
                    paho.setHeader(PahoMqtt5Constants.MQTT_QOS, message.getQos());
                    paho.setHeader(PahoMqtt5Constants.CAMEL_PAHO_MSG_PROPERTIES, message.getProperties());
                    exchange.setIn(paho);
                    MqttClient client = getClient();
                    exchange.setProperty(CommandIntake.ACKNOWLEDGE, (Runnable) () -> acknowledge(client, message));
                    return exchange;
                }

                @Override
                protected void doStop() throws Exception {
                    // the consumer only disconnects clients it made itself: this one is ours. Forcibly
                    // and bounded in time: the watchdog stops consumers whose client is stuck
                    MqttClient client = getClient();
                    if (getCamelContext().isStarted()) {
                        // stopped while the worker runs: the watchdog's rebuild, which must see it as down
                        component.consumerClients.put(getRouteId(), java.util.Optional.empty());
                    } else {
                        component.consumerClients.remove(getRouteId());
                    }
                    super.doStop();
                    if (client != null) {
                        try {
                            if (client.isConnected()) {
                                client.disconnectForcibly(0, STOP_WAIT_MS, true);
                            }
                        } catch (Exception stuck) {
                            LOG.debug("Disconnect of {} failed: {}", client.getClientId(), stuck.getMessage());
                        } finally {
                            client.close(true);
                        }
                    }
                }
            };
            configureConsumer(consumer);
            return consumer;
        }

        private static void acknowledge(MqttClient client, MqttMessage message) {
            try {
                client.messageArrivedComplete(message.getId(), message.getQos());
            } catch (Exception e) {
                // the connection is gone: the broker will deliver the message again, which the
                // command id makes harmless
                LOG.debug("Could not acknowledge message {}: {}", message.getId(), e.getMessage());
            }
        }

        private CallbackFirstMqttClient newClient(String routeId) throws Exception {
            PahoMqtt5Configuration config = getConfiguration();
            CallbackFirstMqttClient client = new CallbackFirstMqttClient(config.getBrokerUrl(), config.getClientId(),
                    new MemoryPersistence(), connectionOptions(), routeId, component.topicLists);
            // every blocking call of the client (connect, subscribe) has a bound: Paho waits forever by default
            client.setTimeToWait(CALL_WAIT_MS);
            if (config.isManualAcksEnabled()) {
                client.setManualAcks(true);
            }
            return client;
        }
    }
}
