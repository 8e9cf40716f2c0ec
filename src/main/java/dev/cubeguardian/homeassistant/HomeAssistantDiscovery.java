package dev.cubeguardian.homeassistant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cubeguardian.config.HostConfig;
import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.mqtt.MqttOut;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one retained Home Assistant device discovery config per host, and removes the
 * configs of hosts that left the inventory. Route steps: {@link #publishAll()} from
 * bridge-announce (start and every reconnect), {@link #onStatus} from HA's birth message,
 * {@link #onConfig} for every discovery config the broker holds or receives.
 */
public final class HomeAssistantDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(HomeAssistantDiscovery.class);
    private static final byte[] EMPTY = new byte[0];

    private final HomeAssistantSettings settings;
    private final DiscoveryConfig config;
    private final Inventory inventory;
    private final ProducerTemplate template;
    private final ObjectMapper json;

    public HomeAssistantDiscovery(HomeAssistantSettings settings, DiscoveryConfig config, Inventory inventory,
            ProducerTemplate template, ObjectMapper json) {
        this.settings = settings;
        this.config = config;
        this.inventory = inventory;
        this.template = template;
        this.json = json;
    }

    private volatile java.util.function.BooleanSupplier active = () -> true;
    private volatile java.util.function.Predicate<String> ours = availability -> true;

    /**
     * Several workers under one base topic (v1.1): only the active member of a share group
     * publishes, and a worker clears only configs that it or its group published (their
     * availability topic says whose they are), never another worker's hosts.
     */
    public void scope(java.util.function.BooleanSupplier isActive, java.util.function.Predicate<String> ourAvailabilityTopic) {
        this.active = isActive;
        this.ours = ourAvailabilityTopic;
    }

    /** Whether this run's first announcement is still to publish its configs. */
    private final java.util.concurrent.atomic.AtomicBoolean firstPending = new java.util.concurrent.atomic.AtomicBoolean(true);
    private final java.util.concurrent.atomic.AtomicBoolean firstRequested = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile FirstDiscovery first = new FirstDiscovery(
            () -> java.util.concurrent.CompletableFuture.completedFuture(null), () -> true, System::nanoTime);

    /**
     * What the first announcement's configs wait for ({@link FirstDiscovery}): the monitor's
     * first sweep, and route ha-cleanup's subscription with the broker's replay of the retained
     * configs. HA loses nothing by the wait: it reads the retained state when a config makes it
     * subscribe.
     */
    public void firstAfter(java.util.function.Supplier<java.util.concurrent.CompletionStage<Void>> sweep,
            java.util.function.BooleanSupplier cleanupSubscribed) {
        this.first = new FirstDiscovery(sweep, cleanupSubscribed, System::nanoTime);
    }

    /**
     * Every host's config, retained, so HA finds them whenever it (re)subscribes. The first
     * call of a run (the start's announcement) publishes later, off the calling thread, and
     * leaves out the configs the broker already holds unchanged; later calls (a reconnect, a
     * takeover, HA's birth) publish all at once.
     */
    public void publishAll() {
        if (!settings.enabled() || !active.getAsBoolean()) {
            return;
        }
        if (firstPending.get()) {
            if (!firstRequested.compareAndSet(false, true)) {
                // a reconnect (or HA's birth) before the first configs went out: the broker may have
                // lost what it held, so what was seen on it no longer counts
                first.forgetUnchanged();
            }
            first.whenReady(this::publishFirst);
            return;
        }
        for (HostConfig host : inventory.hosts().values()) {
            publish(host);
        }
    }

    private void publishFirst() {
        if (!firstPending.compareAndSet(true, false) || !active.getAsBoolean()) {
            return;
        }
        int unchanged = 0;
        try {
            for (HostConfig host : inventory.hosts().values()) {
                if (first.unchangedOnBroker(host.id())) {
                    unchanged++;
                } else {
                    publish(host);
                }
            }
        } catch (RuntimeException stopping) {
            LOG.debug("Discovery configs not published: {}", stopping.getMessage());
            return;
        }
        LOG.info("Home Assistant discovery: {} config(s) published, {} already on the broker unchanged",
                inventory.hosts().size() - unchanged, unchanged);
    }

    /** Route ha-status: HA says {@code online} on {@code <prefix>/status} when it (re)starts. */
    public void onStatus(Exchange exchange) {
        String status = new String(body(exchange), StandardCharsets.UTF_8).trim();
        if ("online".equals(status)) {
            LOG.info("Home Assistant is online: publishing discovery for {} host(s)", settings.enabled() ? inventory.hosts().size() : 0);
            publishAll();
        }
    }

    /**
     * Route ha-cleanup: a discovery config seen on the broker. One this worker published for a
     * host that is no longer in the inventory (or with discovery turned off) is cleared with an
     * empty retained message, which also makes HA remove the device. One in an earlier
     * version's format is cleared whatever the host, and a host still here gets its current
     * config again right after, so HA ends with exactly one device for it.
     */
    public void onConfig(Exchange exchange) {
        String topic = exchange.getMessage().getHeader("CamelMqttTopic", String.class);
        byte[] payload = body(exchange);
        if (payload.length == 0 || topic == null || !config.mightBeOurs(topic) || !active.getAsBoolean()) {
            return;
        }
        JsonNode parsed;
        try {
            parsed = json.readTree(payload);
        } catch (IOException notJson) {
            return;
        }
        Optional<DiscoveryConfig.Published> published = config.publishedHost(topic, parsed);
        if (published.isEmpty()) {
            return;
        }
        String hostId = published.get().host();
        if (!ours.test(parsed.path("availability").path(0).path("topic").asText(""))) {
            return;   // another worker's host, under the same base topic
        }
        Optional<HostConfig> host = settings.enabled() ? inventory.host(hostId) : Optional.empty();
        if (host.isPresent() && !published.get().legacy()) {
            if (firstPending.get()) {
                // a restart with the same inventory sends none of its configs again
                first.seen(hostId, java.util.Arrays.equals(payload, configBytes(host.get())));
            }
            return;
        }
        LOG.info("Removing Home Assistant discovery for {} ({}): {}", hostId, topic,
                published.get().legacy() ? "published in an earlier version's format"
                        : settings.enabled() ? "no longer in the inventory" : "discovery is turned off");
        publish(topic, EMPTY);
        host.ifPresent(this::publish);
    }

    private static byte[] body(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        return body == null ? EMPTY : body;
    }

    private void publish(HostConfig host) {
        publish(config.topic(host.id()), configBytes(host));
    }

    private byte[] configBytes(HostConfig host) {
        try {
            return json.writeValueAsBytes(config.payload(host));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void publish(String topic, byte[] body) {
        Exchange done = template.send("direct:mqtt-publish", e -> {
            e.getMessage().setBody(body);
            MqttOut.address(e.getMessage(), topic, true, null);
        });
        if (done.getException() != null) {
            LOG.warn("Could not publish on {}: {}", topic, done.getException().getMessage());
        }
    }
}
