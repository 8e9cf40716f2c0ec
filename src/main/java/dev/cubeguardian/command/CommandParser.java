package dev.cubeguardian.command;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cubeguardian.config.Inventory;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Turns one MQTT message on {@code <base>/<host>/cmd/<action>} into a {@link Command} or a
 * {@link Rejection}. It never throws on bad input and never trusts a field it has not checked:
 * nothing here is ever pasted into a shell command.
 */
public final class CommandParser {

    public static final int MAX_PAYLOAD_BYTES = 4096;
    public static final Pattern HOST_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    public static final Pattern COMMAND_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    static final int MAX_DELAY_MINUTES = 1440;
    static final int MAX_TTL_SECONDS = 86_400;
    static final int MAX_REQUESTED_BY = 128;
    /** {@code for_minutes} of an idle command: up to a week. */
    static final int MAX_IDLE_MINUTES = 10_080;
    private static final int MAX_TOPIC_IN_DETAILS = 256;
    private static final java.util.List<String> ACTION_NAMES =
            java.util.Arrays.stream(Action.values()).map(Action::wireName).toList();

    private static final ObjectMapper STRICT_JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final String baseTopic;
    private final Inventory inventory;
    private final CommandIds ids;
    private final Clock clock;

    public CommandParser(String baseTopic, Inventory inventory, CommandIds ids, Clock clock) {
        this.baseTopic = baseTopic;
        this.inventory = inventory;
        this.ids = ids;
        this.clock = clock;
    }

    public Admission parse(String topic, byte[] payload, MqttProperties properties) {
        return parse(topic, payload, properties, clock.instant(), System.nanoTime());
    }

    /**
     * A command received earlier than now (one a share group's new active worker takes over from
     * the one that died with it): its time to live counts from when it was received.
     */
    public Admission parse(String topic, byte[] payload, MqttProperties properties, Instant receivedAt, long receivedNanos) {
        String responseTopic = properties == null ? null : properties.getResponseTopic();
        byte[] correlation = properties == null ? null : properties.getCorrelationData();
        byte[] body = payload == null ? new byte[0] : payload;

        TopicLevels levels = TopicLevels.of(baseTopic, topic);
        // an action level so long that the result topic could not be sent (MQTT topics stop at
        // 65,535 bytes) is answered on bridge/error, like a topic that names no host
        boolean resultTopicFits = resultTopicFits(levels);
        String host = resultTopicFits && HOST_ID.matcher(levels.host()).matches() ? levels.host() : null;
        // the topic goes into the details only when the answer cannot go to the host's own topic
        Map<String, Object> where = host == null ? Outcome.details("topic", truncate(topic)) : Map.of();
        String replyAction = resultTopicFits ? levels.action() : truncate(levels.action());

        if (body.length > MAX_PAYLOAD_BYTES) {
            ReplyAddress reply = new ReplyAddress(host, replyAction, ids.next(), receivedNanos, responseTopic, correlation);
            return invalid(reply, "payload_too_large",
                    with(where, "size", body.length, "limit", MAX_PAYLOAD_BYTES), body.length, MAX_PAYLOAD_BYTES);
        }

        JsonNode json;
        try {
            json = isBlank(body) ? STRICT_JSON.createObjectNode() : STRICT_JSON.readTree(body);
        } catch (Exception notJson) {
            json = null;
        }
        String clientId = json != null && json.isObject() ? validId(json.get("id")) : null;
        ReplyAddress reply = new ReplyAddress(host, replyAction, clientId != null ? clientId : ids.next(),
                receivedNanos, responseTopic, correlation);

        if (!resultTopicFits) {
            return invalid(reply, "topic_too_long", with(where, "limit", ResultPublisher.MAX_TOPIC_BYTES),
                    ResultPublisher.MAX_TOPIC_BYTES);
        }
        if (host == null) {
            return invalid(reply, "host_level", where, truncate(levels.host()));
        }
        if (inventory.host(host).isEmpty()) {
            return new Rejection(reply, Outcome.of(ResultCode.UNKNOWN_HOST, Outcome.details("host", host), host));
        }
        Optional<Action> action = Action.fromWireName(levels.action());
        if (action.isEmpty()) {
            return new Rejection(reply, Outcome.of(ResultCode.UNKNOWN_ACTION,
                    Outcome.details("action", truncate(levels.action()), "actions", ACTION_NAMES),
                    truncate(levels.action())));
        }
        if (json == null || !json.isObject()) {
            String reason = json == null ? "not_json" : "not_object";
            return invalid(reply, reason, Map.of());
        }

        FieldReader fields = new FieldReader(json);
        try {
            if (json.hasNonNull("id") && clientId == null) {
                throw new FieldException("id", "id_format");
            }
            int delay = fields.integer("delay_minutes", 0, MAX_DELAY_MINUTES, 0);
            if (action.get() == Action.REBOOT && delay != 0) {
                // a reboot is always now: running it at once would surprise whoever asked for "in 5 minutes"
                throw new FieldException("delay_minutes", "not_for_reboot");
            }
            boolean force = fields.bool("force", false);
            String requestedBy = fields.text("requested_by", MAX_REQUESTED_BY);
            int ttl = fields.integer("ttl_s", 1, MAX_TTL_SECONDS, action.get().defaultTtlSeconds());
            Instant expiresAt = receivedAt.plusSeconds(ttl);
            Long brokerExpiry = properties == null ? null : properties.getMessageExpiryInterval();
            if (brokerExpiry != null && brokerExpiry >= 0) {
                // the broker has already counted down the time the message waited in its queue
                Instant brokerDeadline = receivedAt.plusSeconds(brokerExpiry);
                expiresAt = brokerDeadline.isBefore(expiresAt) ? brokerDeadline : expiresAt;
            }
            Command.IdleRequest idle = action.get() == Action.IDLE
                    ? new Command.IdleRequest(fields.requiredBool("enabled"),
                            fields.optionalInteger("for_minutes", 1, MAX_IDLE_MINUTES))
                    : null;
            return new Command(host, action.get(), reply.id(), clientId == null, delay, force, requestedBy,
                    receivedAt, receivedNanos, expiresAt, responseTopic, correlation, idle);
        } catch (FieldException bad) {
            return invalid(reply, bad.reason,
                    Outcome.details("field", bad.field, "min", bad.min, "max", bad.max),
                    bad.field, bad.min, bad.max);
        }
    }

    /** Every INVALID_COMMAND says why in {@code details.reason}, the same word as its message variant. */
    private static Rejection invalid(ReplyAddress reply, String variant, Map<String, Object> details, Object... args) {
        // the field a reason is about reads first: {"field":"delay_minutes","reason":"not_integer",...}
        Map<String, Object> withReason = new java.util.LinkedHashMap<>();
        if (details.containsKey("field")) {
            withReason.put("field", details.get("field"));
        }
        withReason.put("reason", variant);
        details.forEach(withReason::putIfAbsent);
        return new Rejection(reply, Outcome.variant(ResultCode.INVALID_COMMAND, variant, withReason, args));
    }

    private static Map<String, Object> with(Map<String, Object> base, Object... keyValues) {
        Map<String, Object> map = Outcome.details(keyValues);
        map.putAll(base);
        return map;
    }

    /** The host and action levels of {@code <base>/<host>/cmd/<action>}; empty strings for any other shape. */
    private record TopicLevels(String host, String action) {

        static TopicLevels of(String baseTopic, String topic) {
            String prefix = baseTopic + "/";
            if (topic == null || !topic.startsWith(prefix)) {
                return new TopicLevels("", "");
            }
            String[] rest = topic.substring(prefix.length()).split("/", -1);
            if (rest.length != 3 || !"cmd".equals(rest[1])) {
                return new TopicLevels("", "");
            }
            return new TopicLevels(rest[0], rest[2]);
        }
    }

    private boolean resultTopicFits(TopicLevels levels) {
        // a UTF-8 character takes at most 3 bytes per UTF-16 unit: most topics need no encoding to tell
        int fixed = baseTopic.length() * 3 + levels.host().length() * 3 + "//result/".length();
        if (fixed + levels.action().length() * 3 <= ResultPublisher.MAX_TOPIC_BYTES) {
            return true;
        }
        return ResultPublisher.fitsInTopic(baseTopic, levels.host(), levels.action());
    }

    public static boolean isValidId(String id) {
        return id != null && COMMAND_ID.matcher(id).matches();
    }

    /** The client's own command id in a payload, or null (none, not JSON, or not a valid id). */
    public static String clientId(byte[] payload) {
        if (payload == null || payload.length == 0 || payload.length > MAX_PAYLOAD_BYTES) {
            return null;
        }
        try {
            JsonNode json = STRICT_JSON.readTree(payload);
            return json != null && json.isObject() ? validId(json.get("id")) : null;
        } catch (Exception notJson) {
            return null;
        }
    }

    private static String validId(JsonNode node) {
        return node != null && node.isTextual() && COMMAND_ID.matcher(node.textValue()).matches() ? node.textValue() : null;
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static String truncate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= MAX_TOPIC_IN_DETAILS ? text : text.substring(0, MAX_TOPIC_IN_DETAILS) + "…";
    }

    /** Reads optional fields with no type coercion; JSON null means absent. */
    private record FieldReader(JsonNode json) {

        int integer(String name, int min, int max, int fallback) {
            JsonNode node = json.get(name);
            if (node == null || node.isNull()) {
                return fallback;
            }
            if (!node.isIntegralNumber()) {
                throw new FieldException(name, "not_integer", min, max);
            }
            if (!node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
                throw new FieldException(name, "out_of_range", min, max);
            }
            return node.intValue();
        }

        boolean requiredBool(String name) {
            JsonNode node = json.get(name);
            if (node == null || node.isNull()) {
                throw new FieldException(name, "missing");
            }
            return bool(name, false);
        }

        Integer optionalInteger(String name, int min, int max) {
            JsonNode node = json.get(name);
            return node == null || node.isNull() ? null : integer(name, min, max, 0);
        }

        boolean bool(String name, boolean fallback) {
            JsonNode node = json.get(name);
            if (node == null || node.isNull()) {
                return fallback;
            }
            if (!node.isBoolean()) {
                throw new FieldException(name, "not_boolean");
            }
            return node.booleanValue();
        }

        String text(String name, int maxLength) {
            JsonNode node = json.get(name);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isTextual()) {
                throw new FieldException(name, "not_string");
            }
            String value = node.textValue();
            if (value.isEmpty() || value.length() > maxLength || value.chars().anyMatch(Character::isISOControl)) {
                throw new FieldException(name, "bad_text", 1, maxLength);
            }
            return value;
        }
    }

    private static final class FieldException extends RuntimeException {
        final String field;
        final String reason;
        final Integer min;
        final Integer max;

        FieldException(String field, String reason) {
            this(field, reason, null, null);
        }

        FieldException(String field, String reason, Integer min, Integer max) {
            super(reason, null, false, false);
            this.field = field;
            this.reason = reason;
            this.min = min;
            this.max = max;
        }
    }
}
