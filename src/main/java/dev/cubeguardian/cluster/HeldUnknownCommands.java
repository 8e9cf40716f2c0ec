package dev.cubeguardian.cluster;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The commands for hosts nobody owns that this worker holds until one worker has answered them,
 * bounded in count and in bytes. Each is taken out once, by whoever takes it first: its own
 * timer, a takeover after the answering worker died, or the sight of its answer.
 */
final class HeldUnknownCommands {

    /**
     * @param resultTopic where the answer goes; null when it goes to bridge/error, which no worker
     *                    reads, so only the first-ranked worker answers it
     * @param id          the command's valid id, or null: then the first answer on its result topic
     *                    for a command without one is taken for its answer
     */
    record Held(long seq, String topic, String resultTopic, String id, byte[] payload, MqttProperties properties,
            long bytes, long graceEndsNanos, long holdEndsNanos) {
    }

    private final int maxCount;
    private final long maxBytes;
    private final Map<String, LinkedHashMap<Long, Held>> byResultTopic = new HashMap<>();
    private final LinkedHashMap<Long, Held> all = new LinkedHashMap<>();
    private long nextSeq;
    private long bytes;

    HeldUnknownCommands(int maxCount, long maxBytes) {
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
    }

    /** @return the held command, or null when the bounds leave no room */
    synchronized Held hold(String topic, String resultTopic, String id, byte[] payload, MqttProperties properties,
            long size, long graceEndsNanos, long holdEndsNanos) {
        if (all.size() >= maxCount || bytes + size > maxBytes) {
            return null;
        }
        Held held = new Held(nextSeq++, topic, resultTopic, id, payload, properties, size, graceEndsNanos, holdEndsNanos);
        all.put(held.seq(), held);
        if (resultTopic != null) {
            byResultTopic.computeIfAbsent(resultTopic, t -> new LinkedHashMap<>()).put(held.seq(), held);
        }
        bytes += size;
        return held;
    }

    /** @return true for the one caller that takes it out (and then answers or drops it) */
    synchronized boolean take(Held held) {
        if (all.remove(held.seq()) == null) {
            return false;
        }
        bytes -= held.bytes();
        if (held.resultTopic() != null) {
            LinkedHashMap<Long, Held> sameTopic = byResultTopic.get(held.resultTopic());
            sameTopic.remove(held.seq());
            if (sameTopic.isEmpty()) {
                byResultTopic.remove(held.resultTopic());
            }
        }
        return true;
    }

    /** An answer on {@code resultTopic}: the command it answers is held no longer. */
    synchronized void answered(String resultTopic, String id) {
        LinkedHashMap<Long, Held> sameTopic = byResultTopic.get(resultTopic);
        if (sameTopic == null) {
            return;
        }
        Held match = null;
        for (Held held : sameTopic.values()) {
            if (id != null && id.equals(held.id())) {
                match = held;
                break;
            }
            if (match == null && held.id() == null) {
                match = held;   // the oldest without an id, if no held command has this id
            }
        }
        if (match != null) {
            take(match);
        }
    }

    synchronized boolean isHeld(Held held) {
        return all.containsKey(held.seq());
    }

    /** Everything held, oldest first: the candidates of a takeover. */
    synchronized List<Held> snapshot() {
        return List.copyOf(all.values());
    }

    synchronized boolean hasAnswerTopic(String resultTopic) {
        return byResultTopic.containsKey(resultTopic);
    }

    synchronized int count() {
        return all.size();
    }

    synchronized long bytes() {
        return bytes;
    }
}
