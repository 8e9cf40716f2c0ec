package dev.cubeguardian.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * What a host's tracker is following, in a form kept on disk (v1.1): after a restart, a wake
 * still ends with its {@code completed} event and original id, a shutdown is still waited
 * for, an idle countdown goes on, and idle shutdown stays off if a user turned it off.
 * Times are instants: a restart does not move a deadline. A reboot being followed keeps whether
 * the host was already seen going down: after a restart it is not asked to go down twice.
 */
public record FollowedWork(String wakeId, Instant wakeStartedAt, Instant wakeDeadline,
                           String shutdownId, Instant shutdownSentAt, Instant shutdownScheduledFor, Instant shutdownDeadline,
                           Instant idleSince, Instant idleGraceEnds, Boolean idleOff, Instant idleOffUntil,
                           String rebootId, Instant rebootSentAt, Instant rebootDeadline, Boolean rebootWentDown) {

    static final FollowedWork NOTHING = new FollowedWork(null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    boolean isNothing() {
        return equals(NOTHING);
    }

    public byte[] toBytes() {
        ObjectNode node = JSON.createObjectNode();
        put(node, "wake_id", wakeId);
        put(node, "wake_started_at", wakeStartedAt);
        put(node, "wake_deadline", wakeDeadline);
        put(node, "shutdown_id", shutdownId);
        put(node, "shutdown_sent_at", shutdownSentAt);
        put(node, "shutdown_scheduled_for", shutdownScheduledFor);
        put(node, "shutdown_deadline", shutdownDeadline);
        put(node, "idle_since", idleSince);
        put(node, "idle_grace_ends", idleGraceEnds);
        if (idleOff != null) {
            node.put("idle_off", idleOff);
        }
        put(node, "idle_off_until", idleOffUntil);
        put(node, "reboot_id", rebootId);
        put(node, "reboot_sent_at", rebootSentAt);
        put(node, "reboot_deadline", rebootDeadline);
        if (rebootWentDown != null) {
            node.put("reboot_went_down", rebootWentDown);
        }
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Empty for bytes that are not a FollowedWork (a file of another version): nothing is resumed. */
    public static Optional<FollowedWork> fromBytes(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            return Optional.of(new FollowedWork(text(node, "wake_id"), time(node, "wake_started_at"), time(node, "wake_deadline"),
                    text(node, "shutdown_id"), time(node, "shutdown_sent_at"), time(node, "shutdown_scheduled_for"),
                    time(node, "shutdown_deadline"), time(node, "idle_since"), time(node, "idle_grace_ends"),
                    node.has("idle_off") ? node.get("idle_off").asBoolean() : null, time(node, "idle_off_until"),
                    text(node, "reboot_id"), time(node, "reboot_sent_at"), time(node, "reboot_deadline"),
                    node.has("reboot_went_down") ? node.get("reboot_went_down").asBoolean() : null));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void put(ObjectNode node, String field, Object value) {
        if (value != null) {
            node.put(field, value.toString());
        }
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static Instant time(JsonNode node, String field) {
        return node.hasNonNull(field) ? Instant.parse(node.get(field).asText()) : null;
    }
}
