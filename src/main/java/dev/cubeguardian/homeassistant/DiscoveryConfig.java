package dev.cubeguardian.homeassistant;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.config.HostConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Home Assistant is told about one host: a device-based discovery message on
 * {@code <prefix>/device/<device id>/config} (see docs/home-assistant.md), and which configs on
 * the broker are this worker's. Pure: no MQTT here.
 *
 * <p>Keys follow the MQTT integration's documentation: the structural keys of device-based
 * discovery in their documented abbreviations ({@code dev}, {@code o}, {@code cmps}, {@code p}),
 * every other option under its full documented name.
 */
public final class DiscoveryConfig {

    static final String ORIGIN_NAME = "CubeGuardian";

    private final String prefix;
    private final String baseTopic;
    private final String version;
    private final String supportUrl;
    private final DeviceIds ids;
    private final HostComponents components;
    private final Pattern wakeTopic;

    /** A config on the broker that this worker published, for {@code host}; {@code legacy}: in an earlier version's format. */
    public record Published(String host, boolean legacy) {
    }

    private final String availabilityTopic;

    public DiscoveryConfig(String prefix, String baseTopic, String version, String supportUrl) {
        this(prefix, baseTopic, version, supportUrl, baseTopic + "/bridge/state");
    }

    /**
     * @param availabilityTopic where the worker that publishes the configs says online/offline:
     *                          v1's bridge/state, or its own bridge/workers/<id>/state (v1.1)
     */
    public DiscoveryConfig(String prefix, String baseTopic, String version, String supportUrl, String availabilityTopic) {
        this.availabilityTopic = availabilityTopic;
        this.prefix = prefix;
        this.baseTopic = baseTopic;
        this.version = version;
        this.supportUrl = supportUrl;
        this.ids = new DeviceIds(baseTopic);
        this.components = new HostComponents(baseTopic);
        this.wakeTopic = Pattern.compile(Pattern.quote(baseTopic + "/") + "([a-z0-9][a-z0-9_-]{0,62})" + Pattern.quote("/cmd/wake"));
    }

    /** The host's device id (see {@link DeviceIds}): the discovery topic's object id, device identifier and unique_id prefix. */
    public String objectId(String hostId) {
        return ids.of(hostId);
    }

    public String topic(String hostId) {
        return topicOf(ids.of(hostId));
    }

    /** Where an earlier version published the host's config; the same as {@link #topic} unless the base topic has characters other than letters, digits and {@code -}. */
    public String legacyTopic(String hostId) {
        return topicOf(ids.legacy(hostId));
    }

    /** Topic filter that matches every device-based discovery config, ours and others'. */
    public String topicFilter() {
        return prefix + "/device/+/config";
    }

    public String statusTopic() {
        return prefix + "/status";
    }

    public Map<String, Object> payload(HostConfig host) {
        String id = objectId(host.id());

        Map<String, Object> device = new LinkedHashMap<>();
        device.put("identifiers", List.of(id));
        device.put("name", host.displayName());
        device.put("manufacturer", ORIGIN_NAME);
        device.put("model", host.minecraft().isPresent() ? "Host with Minecraft server" : "Host");
        device.put("sw_version", version);

        Map<String, Object> origin = new LinkedHashMap<>();
        origin.put("name", ORIGIN_NAME);
        origin.put("sw_version", version);
        if (supportUrl != null) {
            origin.put("support_url", supportUrl);
        }

        Map<String, Object> availability = new LinkedHashMap<>();
        availability.put("topic", availabilityTopic);
        availability.put("payload_available", "online");
        availability.put("payload_not_available", "offline");

        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("dev", device);
        payload.put("o", origin);
        payload.put("availability", List.of(availability));
        payload.put("cmps", components.of(host, id));
        return payload;
    }

    /**
     * The host a retained discovery config on {@code topic} was published for by a worker with
     * this base topic, in this version's format or an earlier one's, recognised by its Wake
     * button's command topic (every host has one, the same in every version); empty for anybody
     * else's.
     */
    public Optional<Published> publishedHost(String topic, JsonNode payload) {
        if (payload == null || !mightBeOurs(topic)) {
            return Optional.empty();
        }
        JsonNode wake = payload.path("cmps").path("wake");
        String commandTopic = wake.path("command_topic").asText(wake.path("cmd_t").asText(""));
        Matcher matcher = wakeTopic.matcher(commandTopic);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        String host = matcher.group(1);
        if (topic.equals(topic(host))) {
            return Optional.of(new Published(host, false));
        }
        return topic.equals(legacyTopic(host)) ? Optional.of(new Published(host, true)) : Optional.empty();
    }

    /** Cheap test before parsing: the topic has this worker's device id prefix, or an earlier version's. */
    public boolean mightBeOurs(String topic) {
        return topic != null && topic.endsWith("/config")
                && (topic.startsWith(topicPrefix(ids.prefix())) || topic.startsWith(topicPrefix(ids.legacyPrefix())));
    }

    private String topicOf(String deviceId) {
        return topicPrefix(deviceId) + "/config";
    }

    private String topicPrefix(String deviceIdStart) {
        return prefix + "/device/" + deviceIdStart;
    }
}
