package dev.cubeguardian.command;

/**
 * Everything needed to answer a command, valid or not: which host and action it was for
 * (as given on the topic), its id, when it arrived, and the MQTT 5 response address if any.
 * {@code host} is null when the topic's host level is not a host id: the answer then goes to
 * {@code <base>/bridge/error}.
 */
public record ReplyAddress(
        String host,
        String action,
        String id,
        long receivedNanos,
        String responseTopic,
        byte[] correlationData) {
}
