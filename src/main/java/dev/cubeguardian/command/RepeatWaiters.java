package dev.cubeguardian.command;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Commands with a client id that are waiting or running, and the repeats of each that arrived
 * meanwhile (a client retrying after an outage). A repeat takes no place in its host's lane:
 * it waits here for the first command's result, which then answers it too, on its own MQTT 5
 * response topic, and only then is it acknowledged to the broker.
 *
 * <p>Bounded in bytes, not only in entries: a repeat's response topic and correlation data are
 * the client's to choose (up to 64 KiB each). A repeat that does not fit is answered by the
 * first command's result on the result topic all the same; only its own reply is lost.
 */
final class RepeatWaiters {

    /** A repeat waiting for the first command's answer. */
    record Repeat(ReplyAddress reply, Runnable acknowledge) {

        long bytes() {
            String topic = reply.responseTopic();
            byte[] correlation = reply.correlationData();
            return 96L + (topic == null ? 0 : 2L * topic.length()) + (correlation == null ? 0 : correlation.length);
        }
    }

    static final int MAX_REPEATS_PER_COMMAND = 32;

    private final Map<String, List<Repeat>> waiting = new HashMap<>();
    private final long maxBytes;
    private long bytes;

    RepeatWaiters(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The first command with this key is queued. @return false when one with this key already is */
    synchronized boolean begin(String key) {
        return waiting.putIfAbsent(key, new ArrayList<>(0)) == null;
    }

    synchronized boolean isWaiting(String key) {
        return waiting.containsKey(key);
    }

    /**
     * Adds a repeat of the waiting command with this key.
     * @return false when no such command waits, or the repeat does not fit: answer it another way
     */
    synchronized boolean add(String key, Repeat repeat) {
        List<Repeat> repeats = waiting.get(key);
        if (repeats == null || repeats.size() >= MAX_REPEATS_PER_COMMAND || bytes + repeat.bytes() > maxBytes) {
            return false;
        }
        repeats.add(repeat);
        bytes += repeat.bytes();
        return true;
    }

    /** The first command is answered (or never ran): @return the repeats that waited for it */
    synchronized List<Repeat> end(String key) {
        List<Repeat> repeats = waiting.remove(key);
        if (repeats == null) {
            return List.of();
        }
        for (Repeat repeat : repeats) {
            bytes -= repeat.bytes();
        }
        return repeats;
    }

    synchronized long bytes() {
        return bytes;
    }
}
