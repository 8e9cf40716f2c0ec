package dev.cubeguardian.command;

import java.time.Instant;

/**
 * A command that passed validation and names a host of the inventory.
 *
 * @param idGenerated  true when the client sent no id and the worker made one (never de-duplicated)
 * @param receivedNanos {@link System#nanoTime()} at receipt, for duration_ms
 * @param responseTopic MQTT 5 response topic, or null
 * @param correlationData MQTT 5 correlation data, or null
 */
public record Command(
        String host,
        Action action,
        String id,
        boolean idGenerated,
        int delayMinutes,
        boolean force,
        String requestedBy,
        Instant receivedAt,
        long receivedNanos,
        Instant expiresAt,
        String responseTopic,
        byte[] correlationData,
        IdleRequest idle) implements Admission {

    /**
     * What an {@code idle} command asks (null for every other action).
     *
     * @param forMinutes how long idle shutdown stays off; null: until turned on again
     */
    public record IdleRequest(boolean enabled, Integer forMinutes) {
    }

    public ReplyAddress replyAddress() {
        return new ReplyAddress(host, action.wireName(), id, receivedNanos, responseTopic, correlationData);
    }
}
