package dev.cubeguardian.mqtt;

/**
 * How much the publishing connection's outbox holds (what is not acknowledged yet, sent or not)
 * before it drops the oldest. At least 10,000 messages and 8 MiB; more for a large inventory:
 * at start, before the first connection is up, the worker publishes a state, an event and a
 * Home Assistant config (about 1.5 KB) per host, and a 10,000-host worker dropped 10,237 of
 * them with a fixed bound, so 1,766 hosts had no state until the minute's refresh (benchmark
 * 10). The inventory is the operator's, so a client cannot raise the bound.
 *
 * @param messages messages at most
 * @param bytes    bytes at most, counted as {@link BufferedMqttProducer} counts a message
 */
public record OutboxBounds(int messages, long bytes) {

    public static final OutboxBounds SMALL = new OutboxBounds(10_000, 8L << 20);
    /** A host's share: its state twice (first probe, announcement), an event, its discovery config. */
    static final int MESSAGES_PER_HOST = 4;
    static final long BYTES_PER_HOST = 4L << 10;

    public OutboxBounds {
        if (messages < 1 || bytes < 1) {
            throw new IllegalArgumentException("an outbox holds at least one message and one byte");
        }
    }

    public static OutboxBounds forHosts(int hosts) {
        return new OutboxBounds(Math.max(SMALL.messages(), MESSAGES_PER_HOST * hosts + 1_000),
                Math.max(SMALL.bytes(), BYTES_PER_HOST * hosts));
    }
}
