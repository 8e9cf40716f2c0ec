package dev.cubeguardian.discord.bus;

import dev.cubeguardian.client.Announcements;
import dev.cubeguardian.client.HostEntries;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cubeguardian.mqtt.MqttClientSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
 * The bot's only way to the workers: the public MQTT API. Publishes commands, keeps the retained
 * bridge topics (v1 {@code bridge/info} and {@code bridge/state}, and every worker's
 * {@code bridge/workers/<id>/...}: {@link Announcements}) and host states, and hands results and
 * events to whoever watches a host. No Discord in here.
 */
public final class CommandBus implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandBus.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PUBLISH_WAIT = Duration.ofSeconds(5);
    /**
     * The broker must not send the bot anything larger (MQTT 5 Maximum Packet Size): a huge
     * retained payload someone left would otherwise be read whole into a small heap. Far above
     * any result, event, state or {@link Announcements#MAX_INFO_BYTES info}.
     */
    static final long MAX_PACKET_BYTES = 2L * 1024 * 1024;

    private final String base;
    private final MqttAsyncClient client;
    private final MqttConnectionOptions options;
    private final Map<String, JsonNode> states = new ConcurrentHashMap<>();
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private final List<Consumer<BusMessage>> listeners = new CopyOnWriteArrayList<>();
    private final Announcements announcements;
    private volatile List<HostInfo> hosts = List.of();
    private volatile boolean closed;
    private Thread connector;

    public CommandBus(String url, String clientId, String username, Path passwordFile, Path caFile, String baseTopic)
            throws MqttException {
        this.base = baseTopic;
        this.announcements = new Announcements(baseTopic);
        client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 10);
        options.setConnectionTimeout(5);
        options.setKeepAliveInterval(30);
        options.setMaximumPacketSize(MAX_PACKET_BYTES);
        if (username != null) {
            options.setUserName(username);
        }
        if (passwordFile != null) {
            options.setPassword(MqttClientSettings.readSecret(passwordFile).getBytes(StandardCharsets.UTF_8));
        }
        options.setSocketFactory(MqttClientSettings.socketFactory(url, caFile));
        // the client-wide callback: Paho 1.2.5's per-subscription listener overload recurses forever
        client.setCallback(new Callback());
    }

    /** Connects in the background, retrying until the broker answers; Paho reconnects after that. */
    public CommandBus start() {
        connector = new Thread(this::connectLoop, "discord-mqtt-connect");
        connector.setDaemon(true);
        connector.start();
        return this;
    }

    private void connectLoop() {
        long delay = 500;
        while (!closed && !client.isConnected()) {
            try {
                client.connect(options).waitForCompletion(10_000);
                return;
            } catch (MqttException e) {
                LOG.warn("Cannot reach the MQTT broker {} ({}); retrying", client.getServerURI(),
                        dev.cubeguardian.mqtt.BrokerFailure.describe(e));
            }
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                return;
            }
            delay = Math.min(delay * 2, 10_000);
        }
    }

    public boolean connected() {
        return client.isConnected();
    }

    /** Whether any worker says it is online. */
    public boolean workerOnline() {
        return announcements.known().stream().anyMatch(Announcements.Worker::online);
    }

    /**
     * Whether a worker that announces this host is online: a host of a worker that is offline
     * gets no commands run (its standby, if any, takes them). For a host nobody announces, any worker.
     */
    public boolean workerOnline(String host) {
        List<Announcements.Worker> owners = announcements.owners(host);
        return owners.isEmpty() ? workerOnline() : owners.stream().anyMatch(Announcements.Worker::online);
    }

    /** The workers that announced themselves, the v1 one (id null) first. */
    public List<Announcements.Worker> workers() {
        return announcements.workers();
    }

    public List<HostInfo> hosts() {
        return hosts;
    }

    public Optional<HostInfo> host(String id) {
        return hosts.stream().filter(h -> h.id().equals(id)).findFirst();
    }

    public Optional<JsonNode> state(String host) {
        return Optional.ofNullable(states.get(host));
    }

    public String baseTopic() {
        return base;
    }

    /** A fresh command id, as the API allows: {@code discord-<uuid>}. */
    public static String newId() {
        return "discord-" + UUID.randomUUID();
    }

    /** Every message, for presence and notifications. Called on Paho's thread: be quick. */
    public void addListener(Consumer<BusMessage> listener) {
        listeners.add(listener);
    }

    /** Starts queueing the results, events and states of one host; open it before publishing. */
    public Watch watch(String host) {
        Watch watch = new Watch(host);
        watches.add(watch);
        return watch;
    }

    /**
     * Publishes a command at QoS 1, not retained, and waits for the broker's acknowledgement.
     *
     * @throws BrokerUnavailableException when the bot is cut off from the broker or the worker is offline
     */
    public void publish(String host, String action, ObjectNode payload) throws BrokerUnavailableException {
        if (!client.isConnected()) {
            throw new BrokerUnavailableException(true, "not connected to " + client.getServerURI());
        }
        if (!workerOnline(host)) {
            throw new BrokerUnavailableException(false, "no worker of " + host + " is online");
        }
        try {
            MqttMessage message = new MqttMessage(JSON.writeValueAsBytes(payload));
            message.setQos(1);
            message.setRetained(false);
            IMqttToken token = client.publish(base + "/" + host + "/cmd/" + action, message);
            token.waitForCompletion(PUBLISH_WAIT.toMillis());
        } catch (MqttException | IOException e) {
            throw new BrokerUnavailableException(true, "publish failed: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        if (connector != null) {
            connector.interrupt();
        }
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(2_000);
            }
        } catch (MqttException e) {
            LOG.debug("disconnect: {}", e.getMessage());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("close: {}", e.getMessage());
        }
    }

    void dispatch(String topic, byte[] payload) {
        if (!topic.startsWith(base + "/")) {
            return;
        }
        if (announcements.covers(topic)) {
            // what it refuses (junk, too large, a bad worker id) changes nothing and is not passed on
            if (announcements.accept(topic, payload)) {
                hosts = parseHosts(announcements.hosts());
                deliver(topic.endsWith("/info") ? new BusMessage.Hosts()
                        : new BusMessage.Availability(client.isConnected(), workerOnline()));
            }
            return;
        }
        String[] levels = topic.substring(base.length() + 1).split("/");
        String text = new String(payload, StandardCharsets.UTF_8);
        BusMessage message;
        try {
            if (levels.length == 2 && levels[1].equals("state") && !text.isBlank()) {
                JsonNode json = JSON.readTree(text);
                states.put(levels[0], json);
                message = new BusMessage.State(levels[0], json);
            } else if (levels.length == 2 && levels[1].equals("event")) {
                message = new BusMessage.Event(levels[0], JSON.readTree(text));
            } else if (levels.length == 3 && levels[1].equals("result")) {
                message = new BusMessage.Result(levels[0], levels[2], JSON.readTree(text));
            } else {
                return;
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Ignoring an unreadable message on {}: {}", dev.cubeguardian.logging.LogText.of(topic),
                    dev.cubeguardian.logging.LogText.of(e.getMessage()));
            return;
        }
        deliver(message);
    }

    private void deliver(BusMessage message) {
        String host = null;
        if (message instanceof BusMessage.Result r) {
            host = r.host();
        } else if (message instanceof BusMessage.Event e) {
            host = e.host();
        } else if (message instanceof BusMessage.State s) {
            host = s.host();
        }
        for (Watch watch : watches) {
            if (host == null || watch.host.equals(host)) {
                watch.queue.add(message);
            }
        }
        for (Consumer<BusMessage> listener : listeners) {
            try {
                listener.accept(message);
            } catch (RuntimeException e) {
                LOG.warn("A bus listener failed", e);
            }
        }
    }

    /** The hosts of one info, as {@link HostEntries} lets them through. */
    static List<HostInfo> parseHosts(JsonNode info) {
        return parseHosts(List.copyOf(HostEntries.of(info)));
    }

    static List<HostInfo> parseHosts(List<JsonNode> entries) {
        List<HostInfo> list = new ArrayList<>();
        for (JsonNode host : entries) {
            List<String> capabilities = new ArrayList<>();
            host.path("capabilities").forEach(c -> capabilities.add(c.asText()));
            String id = host.path("id").asText();
            String service = host.path("service").isTextual() ? host.path("service").asText() : null;
            list.add(new HostInfo(id, host.path("name").asText(id), List.copyOf(capabilities), service,
                    host.path("rcon").path("stop_game").asBoolean(false), nextSchedule(host.path("next_schedule"))));
        }
        return List.copyOf(list);
    }

    /** v1.1 next_schedule: [{"action": "wake", "at": "2026-12-04T18:00:00+01:00"}]; a time this client cannot read is none. */
    static List<HostInfo.Scheduled> nextSchedule(JsonNode entries) {
        List<HostInfo.Scheduled> next = new ArrayList<>();
        for (JsonNode entry : entries) {
            if (!entry.path("action").isTextual()) {
                continue;
            }
            Instant at = null;
            if (entry.path("at").isTextual()) {
                try {
                    at = java.time.OffsetDateTime.parse(entry.get("at").asText()).toInstant();
                } catch (java.time.format.DateTimeParseException notATime) {
                    // left unknown
                }
            }
            next.add(new HostInfo.Scheduled(entry.get("action").asText(), at));
        }
        return List.copyOf(next);
    }

    /** The messages of one host (and availability changes) from the moment it was opened. */
    public final class Watch implements AutoCloseable {

        private final String host;
        private final BlockingQueue<BusMessage> queue = new LinkedBlockingQueue<>();

        private Watch(String host) {
            this.host = host;
        }

        /** The next message, or null at the deadline. */
        public BusMessage next(Instant deadline) throws InterruptedException {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            return left <= 0 ? queue.poll() : queue.poll(left, TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            watches.remove(this);
        }
    }

    private final class Callback implements MqttCallback {

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            dispatch(topic, message.getPayload());
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            LOG.info("Connected to the MQTT broker {}{}", serverURI, reconnect ? " again" : "");
            if (reconnect) {
                // a clean start: the broker hands every retained announcement over again, and a
                // worker retired meanwhile (its info cleared) is not among them
                announcements.clear();
                hosts = List.of();
            }
            List<String> filters = new ArrayList<>(List.of(announcements.filters()));
            filters.addAll(List.of(base + "/+/state", base + "/+/event", base + "/+/result/+"));
            int[] qos = new int[filters.size()];
            java.util.Arrays.fill(qos, 1);
            try {
                client.subscribe(filters.toArray(String[]::new), qos);
            } catch (MqttException e) {
                LOG.warn("Cannot subscribe to {}/#: {}", base, dev.cubeguardian.mqtt.BrokerFailure.describe(e));
            }
            deliver(new BusMessage.Availability(true, workerOnline()));
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            LOG.warn("Lost the MQTT broker: {}", response == null ? "?" : response.getReasonString());
            deliver(new BusMessage.Availability(false, workerOnline()));
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("MQTT error: {}", exception.getMessage());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
