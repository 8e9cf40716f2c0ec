package dev.cubeguardian.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cubeguardian.command.CommandIntake;
import dev.cubeguardian.command.CommandLedger;
import dev.cubeguardian.command.CommandParser;
import dev.cubeguardian.command.CommandResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Message;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every member of a share group sees every command and result of the group's hosts (route
 * {@code group-witness}, a plain subscription beside the shared one). From the results it learns
 * what the active worker answered, so a repeated id is answered from that result whichever
 * member gets it. From the commands it learns what the broker gave to nobody alive: Mosquitto
 * 2 drops the commands in flight at a member that dies with a session expiry of 0 and, between
 * that death and the next member's subscription, gives the group's commands to no one. The
 * worker that takes over runs those ({@link #takeOver}); every other copy is matched with the
 * one the shared subscription brought ({@link #firstClaim}), so nothing runs twice.
 */
public final class CommandWitness implements CommandIntake.Claims {

    private static final Logger LOG = LoggerFactory.getLogger(CommandWitness.class);
    /** How long the shared subscription's copy of a command may come after the witness's. */
    static final Duration QUIET = Duration.ofSeconds(2);
    /** A command with an id unanswered this long before the takeover was waiting in the dead worker's lanes. */
    static final Duration ANSWER_BOUND = Duration.ofSeconds(120);
    /** Without an id a command cannot be matched with its result: only those of the last second are taken over. */
    static final Duration UNMATCHABLE_BOUND = Duration.ofSeconds(1);
    static final Duration RETENTION = Duration.ofMinutes(10);
    static final Duration MATCH_RETENTION = Duration.ofSeconds(30);
    static final int MAX_SEEN = 10_000;
    static final long MAX_SEEN_BYTES = 16L << 20;
    static final int MAX_RESULT_BYTES = 256 << 10;
    private static final long ENTRY_OVERHEAD = 160;

    /** A command seen on the witness subscription and not (yet) on the shared one. */
    public record Seen(String topic, byte[] payload, MqttProperties properties, boolean identified, Instant at, long nanos,
            long bytes) {
    }

    private final String baseTopic;
    private final CommandLedger ledger;
    private final ObjectMapper json;
    private final Clock clock;
    private final LinkedHashMap<String, ArrayDeque<Seen>> seen = new LinkedHashMap<>();
    private long seenCount;
    private long seenBytes;
    /** Copies the shared subscription brought before the witness's: each one matches one witness copy later. */
    private final Matches received = new Matches();
    /** Commands taken over: the shared subscription's late copy of one of them is the same message. */
    private final Matches takenOver = new Matches();
    private long learned;
    private long takenOverCount;

    /** Also told of each first result learned (PeerWork: what the active member follows). */
    public void alsoTell(java.util.function.Consumer<CommandResult> listener) {
        this.onLearned = listener;
    }

    private volatile java.util.function.Consumer<CommandResult> onLearned = result -> { };

    public CommandWitness(String baseTopic, CommandLedger ledger, ObjectMapper json, Clock clock) {
        this.baseTopic = baseTopic;
        this.ledger = ledger;
        this.json = json;
        this.clock = clock;
    }

    /** Route group-witness: a command or a result of one of the group's hosts. */
    public void accept(Exchange exchange) {
        String topic = exchange.getMessage().getHeader("CamelMqttTopic", String.class);
        byte[] payload = exchange.getMessage().getBody(byte[].class);
        if (topic == null || !topic.startsWith(baseTopic + "/")) {
            return;
        }
        String[] levels = topic.substring(baseTopic.length() + 1).split("/", -1);
        if (levels.length != 3) {
            return;
        }
        boolean retained = exchange.getMessage() instanceof PahoMqtt5Message mqtt && mqtt.getMqttMessage().isRetained();
        if (levels[1].equals("cmd") && !retained) {
            MqttProperties properties = exchange.getMessage().getHeader("CamelPahoMqtt5MsgProperties", MqttProperties.class);
            witnessed(topic, payload == null ? new byte[0] : payload, properties);
        } else if (levels[1].equals("result")) {
            learn(levels[0], levels[2], payload);
        }
    }

    void witnessed(String topic, byte[] payload, MqttProperties properties) {
        String key = key(topic, payload, properties);
        synchronized (this) {
            prune();
            if (received.takeOne(key, clock.instant())) {
                return;
            }
            long bytes = ENTRY_OVERHEAD + topic.length() + payload.length + dev.cubeguardian.mqtt.MqttSizes.of(properties);
            Seen entry = new Seen(topic, payload, properties, CommandParser.clientId(payload) != null, clock.instant(),
                    System.nanoTime(), bytes);
            seen.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(entry);
            seenCount++;
            seenBytes += bytes;
            while (seenCount > MAX_SEEN || seenBytes > MAX_SEEN_BYTES) {
                removeOldest();
            }
        }
    }

    /** A first result (not a duplicate) of one of the group's hosts, valid and matching its topic. */
    void learn(String host, String action, byte[] payload) {
        if (payload == null || payload.length == 0 || payload.length > MAX_RESULT_BYTES) {
            return;
        }
        CommandResult result;
        try {
            // a newer member's results may carry fields this one does not know: still the same answer
            result = json.readerFor(CommandResult.class)
                    .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(payload);
        } catch (Exception notAResult) {
            return;
        }
        if (result == null || result.v() != 1 || !host.equals(result.host()) || !action.equals(result.action()) || result.id() == null
                || !CommandParser.isValidId(result.id())
                || result.code() == null || result.duplicate() != null) {
            return;
        }
        String key = baseTopic + "/" + host + "/cmd/" + action + "\u0000id:" + result.id();
        synchronized (this) {
            ArrayDeque<Seen> copies = seen.remove(key);
            if (copies != null) {
                for (Seen copy : copies) {
                    seenCount--;
                    seenBytes -= copy.bytes();
                }
            }
        }
        onLearned.accept(result);
        if (!ledger.contains(host, action, result.id())) {
            // a repeat of this id is answered from this result, whichever member it reaches
            ledger.record(host, action, result.id(), result);
            synchronized (this) {
                learned++;
            }
        }
    }

    /** Route cmd-intake, for each command the shared subscription brings (see {@link CommandIntake.Claims}). */
    @Override
    public boolean firstClaim(String topic, byte[] payload, MqttProperties properties) {
        String key = key(topic, payload == null ? new byte[0] : payload, properties);
        synchronized (this) {
            Instant now = clock.instant();
            if (takenOver.takeOne(key, now)) {
                return false;
            }
            ArrayDeque<Seen> copies = seen.get(key);
            if (copies != null && !copies.isEmpty()) {
                Seen copy = copies.removeFirst();
                seenCount--;
                seenBytes -= copy.bytes();
                if (copies.isEmpty()) {
                    seen.remove(key);
                }
            } else {
                received.add(key, now);
            }
            return true;
        }
    }

    /**
     * The commands to run on becoming the group's active worker: those witnessed, unanswered and
     * never brought by the shared subscription, since {@code since} (when the last active worker
     * was seen alive, or this worker's start) less the time a command may have waited there.
     * Each is taken once: the shared subscription's later copy of it is recognised and dropped.
     */
    public List<Seen> takeOver(Instant since) {
        return takeOver(since, Instant.MIN);
    }

    /** As {@link #takeOver(Instant)}, leaving alone whatever was witnessed before {@code notBefore}. */
    public synchronized List<Seen> takeOver(Instant since, Instant notBefore) {
        prune();
        Instant now = clock.instant();
        List<Seen> due = new ArrayList<>();
        Iterator<Map.Entry<String, ArrayDeque<Seen>>> entries = seen.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<String, ArrayDeque<Seen>> entry = entries.next();
            Iterator<Seen> copies = entry.getValue().iterator();
            while (copies.hasNext()) {
                Seen copy = copies.next();
                Instant from = since.minus(copy.identified() ? ANSWER_BOUND : UNMATCHABLE_BOUND);
                if (from.isBefore(notBefore)) {
                    from = notBefore;
                }
                if (copy.at().isBefore(from) || copy.at().isAfter(now.minus(QUIET))) {
                    continue;
                }
                copies.remove();
                seenCount--;
                seenBytes -= copy.bytes();
                takenOver.add(entry.getKey(), now);
                due.add(copy);
            }
            if (entry.getValue().isEmpty()) {
                entries.remove();
            }
        }
        takenOverCount += due.size();
        if (!due.isEmpty()) {
            LOG.info("Taking over {} command(s) that no worker of the share group answered", due.size());
        }
        return due;
    }

    public synchronized long learnedResults() {
        return learned;
    }

    public synchronized long takenOverCommands() {
        return takenOverCount;
    }

    public synchronized int waiting() {
        return (int) seenCount;
    }

    private void prune() {
        Instant cutoff = clock.instant().minus(RETENTION);
        while (!seen.isEmpty()) {
            ArrayDeque<Seen> first = seen.values().iterator().next();
            if (!first.isEmpty() && !first.peekFirst().at().isBefore(cutoff)) {
                break;
            }
            removeOldest();
        }
        received.prune(clock.instant());
        takenOver.prune(clock.instant());
    }

    private void removeOldest() {
        Iterator<Map.Entry<String, ArrayDeque<Seen>>> first = seen.entrySet().iterator();
        if (!first.hasNext()) {
            seenCount = 0;
            seenBytes = 0;
            return;
        }
        Map.Entry<String, ArrayDeque<Seen>> oldest = first.next();
        Seen copy = oldest.getValue().pollFirst();
        if (copy != null) {
            seenCount--;
            seenBytes -= copy.bytes();
        }
        if (oldest.getValue().isEmpty()) {
            first.remove();
        }
    }

    /**
     * One message's identity across the two subscriptions: its topic and the client's id, or for
     * a command without an id, a digest of everything the client sent with it.
     */
    static String key(String topic, byte[] payload, MqttProperties properties) {
        String id = CommandParser.clientId(payload);
        if (id != null) {
            return topic + "\u0000id:" + id;
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(payload);
            if (properties != null && properties.getResponseTopic() != null) {
                digest.update((byte) 1);
                digest.update(properties.getResponseTopic().getBytes(StandardCharsets.UTF_8));
            }
            if (properties != null && properties.getCorrelationData() != null) {
                digest.update((byte) 2);
                digest.update(properties.getCorrelationData());
            }
            return topic + "\u0000sha:" + HexFormat.of().formatHex(digest.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Keys seen on one side and waiting for their copy from the other, each for a short while; bounded. */
    private static final class Matches {
        private static final int MAX = 10_000;
        private final LinkedHashMap<String, ArrayDeque<Instant>> waiting = new LinkedHashMap<>();
        private int count;

        void add(String key, Instant at) {
            waiting.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(at);
            count++;
            while (count > MAX) {
                dropOldest();
            }
        }

        boolean takeOne(String key, Instant now) {
            ArrayDeque<Instant> times = waiting.get(key);
            if (times == null) {
                return false;
            }
            times.pollFirst();
            count--;
            if (times.isEmpty()) {
                waiting.remove(key);
            }
            return true;
        }

        void prune(Instant now) {
            Instant cutoff = now.minus(MATCH_RETENTION);
            while (!waiting.isEmpty()) {
                ArrayDeque<Instant> first = waiting.values().iterator().next();
                if (!first.isEmpty() && !first.peekFirst().isBefore(cutoff)) {
                    return;
                }
                dropOldest();
            }
        }

        private void dropOldest() {
            Iterator<Map.Entry<String, ArrayDeque<Instant>>> first = waiting.entrySet().iterator();
            if (!first.hasNext()) {
                count = 0;
                return;
            }
            Map.Entry<String, ArrayDeque<Instant>> oldest = first.next();
            if (oldest.getValue().pollFirst() != null) {
                count--;
            }
            if (oldest.getValue().isEmpty()) {
                first.remove();
            }
        }
    }
}
