package dev.cubeguardian.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cubeguardian.command.CommandLedger;
import dev.cubeguardian.command.CommandResult;
import dev.cubeguardian.testing.HandClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;

/** What a share group member learns from the group's commands and results, and what it takes over. */
class CommandWitnessTest {

    private static final String BASE = "cubeguardian";
    private static final String WAKE = BASE + "/pve/cmd/wake";
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final HandClock clock = new HandClock();
    private final CommandLedger ledger = new CommandLedger(clock, 100_000);
    private final CommandWitness witness = new CommandWitness(BASE, ledger, JSON, clock);

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] withId(String id) {
        return bytes("{\"id\":\"" + id + "\"}");
    }

    private static CommandResult result(int v, String id, String host, String action, String code, Boolean duplicate) {
        return new CommandResult(v, id, host, action, true, code, "sent", "2026-11-25T16:00:00Z", 12, Map.of(), null, duplicate);
    }

    private static byte[] json(Object value) throws Exception {
        return JSON.writeValueAsBytes(value);
    }

    private List<CommandWitness.Seen> takeOverAfterQuiet() {
        clock.advance(CommandWitness.QUIET);
        return witness.takeOver(clock.instant().minusSeconds(1));
    }

    // --- learning results ---

    @Test
    void aValidFirstResultIsLearnedIntoTheLedger() throws Exception {
        witness.learn("pve", "wake", json(result(1, "c1", "pve", "wake", "WAKE_SENT", null)));
        assertTrue(ledger.contains("pve", "wake", "c1"));
        assertEquals("WAKE_SENT", ledger.find("pve", "wake", "c1").orElseThrow().code());
        assertEquals(1, witness.learnedResults());
        witness.learn("pve", "wake", json(result(1, "c1", "pve", "wake", "WAKE_SENT", null)));
        assertEquals(1, witness.learnedResults(), "already known: not learned twice");
    }

    @Test
    void resultsThatAreNotValidFirstResultsForTheirTopicAreIgnored() throws Exception {
        List<byte[]> refused = List.of(
                json(result(2, "c1", "pve", "wake", "WAKE_SENT", null)),
                json(result(0, "c1", "pve", "wake", "WAKE_SENT", null)),
                json(result(1, "c1", "nas", "wake", "WAKE_SENT", null)),
                json(result(1, "c1", "pve", "shutdown", "WAKE_SENT", null)),
                json(result(1, null, "pve", "wake", "WAKE_SENT", null)),
                json(result(1, "bad id!", "pve", "wake", "WAKE_SENT", null)),
                json(result(1, "x".repeat(65), "pve", "wake", "WAKE_SENT", null)),
                json(result(1, "c1", "pve", "wake", null, null)),
                json(result(1, "c1", "pve", "wake", "WAKE_SENT", true)),
                json(result(1, "c1", "pve", "wake", "WAKE_SENT", false)),
                bytes("not json"), bytes("[]"), bytes("{\"v\":\"one\"}"), new byte[0],
                bytes("{\"v\":1,\"id\":\"c1\",\"host\":\"pve\",\"action\":\"wake\",\"code\":\"X\",\"details\":" + "[".repeat(3000) + "]".repeat(3000) + "}"));
        for (byte[] payload : refused) {
            assertDoesNotThrow(() -> witness.learn("pve", "wake", payload));
        }
        assertDoesNotThrow(() -> witness.learn("pve", "wake", null));
        assertEquals(0, witness.learnedResults());
        assertEquals(0, ledger.size());
    }

    /**
     * Product bug: CommandWitness.learn (line 127-131) reads the payload with
     * json.readValue(payload, CommandResult.class), which returns null for the JSON literal
     * {@code null}; line 131 then calls result.v() and throws a NullPointerException out of
     * accept() into route group-witness. Anyone who may publish {@code <base>/<host>/result/<action>}
     * can send it (mosquitto_pub -t cubeguardian/pve/result/wake -m null).
     */
    @Test
    void aResultThatIsTheJsonLiteralNullIsIgnored() {
        assertDoesNotThrow(() -> witness.learn("pve", "wake", bytes("null")));
        assertDoesNotThrow(() -> witness.learn("pve", "wake", bytes(" null ")));
        assertDoesNotThrow(() -> witness.accept(exchange(BASE + "/pve/result/wake", bytes("null"))));
    }

    @Test
    void anOversizedResultIsIgnored() throws Exception {
        CommandResult big = new CommandResult(1, "c1", "pve", "wake", true, "WAKE_SENT", "x".repeat(CommandWitness.MAX_RESULT_BYTES),
                "2026-11-25T16:00:00Z", 12, Map.of(), null, null);
        witness.learn("pve", "wake", json(big));
        assertFalse(ledger.contains("pve", "wake", "c1"));
    }

    @Test
    void aLearnedResultRemovesTheWitnessedCommandSoItIsNeverTakenOver() throws Exception {
        witness.witnessed(WAKE, withId("c1"), null);
        assertEquals(1, witness.waiting());
        witness.learn("pve", "wake", json(result(1, "c1", "pve", "wake", "WAKE_SENT", null)));
        assertEquals(0, witness.waiting());
        assertTrue(takeOverAfterQuiet().isEmpty());
    }

    // --- matching the witness's copy with the shared subscription's ---

    @Test
    void aWitnessedCommandMatchedByItsSharedCopyIsNeverTakenOver() {
        witness.witnessed(WAKE, withId("c1"), null);
        assertTrue(witness.firstClaim(WAKE, withId("c1"), null));
        assertEquals(0, witness.waiting());
        assertTrue(takeOverAfterQuiet().isEmpty());
    }

    @Test
    void aSharedCopyArrivingBeforeTheWitnessCopyAlsoMatches() {
        assertTrue(witness.firstClaim(WAKE, withId("c1"), null));
        witness.witnessed(WAKE, withId("c1"), null);
        assertEquals(0, witness.waiting());
        assertTrue(takeOverAfterQuiet().isEmpty());
    }

    @Test
    void anUnmatchedCommandOlderThanQuietIsTakenOverExactlyOnceAndItsLateSharedCopyIsRefused() {
        byte[] payload = withId("c1");
        witness.witnessed(WAKE, payload, null);
        Instant seenAt = clock.instant();
        clock.advance(CommandWitness.QUIET.minusMillis(1));
        assertTrue(witness.takeOver(seenAt).isEmpty(), "the shared copy may still come");
        clock.advance(Duration.ofMillis(1));
        List<CommandWitness.Seen> due = witness.takeOver(seenAt);
        assertEquals(1, due.size());
        assertEquals(WAKE, due.get(0).topic());
        assertArrayEquals(payload, due.get(0).payload());
        assertEquals(seenAt, due.get(0).at());
        assertTrue(witness.takeOver(seenAt).isEmpty(), "taken once");
        assertEquals(1, witness.takenOverCommands());
        assertFalse(witness.firstClaim(WAKE, payload, null), "the late shared copy is the same message");
        assertTrue(witness.firstClaim(WAKE, payload, null), "a further copy is a client's repeat: the ledger answers it");
    }

    @Test
    void twoCopiesOfOneIdAreMatchedOneForOne() {
        witness.witnessed(WAKE, withId("c1"), null);
        witness.witnessed(WAKE, withId("c1"), null);
        assertTrue(witness.firstClaim(WAKE, withId("c1"), null));
        assertEquals(1, witness.waiting());
        assertEquals(1, takeOverAfterQuiet().size());
    }

    @Test
    void aTakenOverCommandsSharedCopyIsRefusedOnlyWithinMatchRetention() {
        witness.witnessed(WAKE, withId("c1"), null);
        assertEquals(1, takeOverAfterQuiet().size());
        clock.advance(CommandWitness.MATCH_RETENTION.plusSeconds(1));
        witness.witnessed(BASE + "/pve/cmd/check", withId("other"), null);   // prunes
        // later than this, the ledger's record of the taken-over id is what answers the copy
        assertTrue(witness.firstClaim(WAKE, withId("c1"), null));
    }

    // --- commands without an id ---

    @Test
    void commandsWithoutAnIdAreKeyedByPayloadResponseTopicAndCorrelationData() {
        byte[] payload = bytes("{\"force\":false}");
        assertEquals(CommandWitness.key(WAKE, payload, null), CommandWitness.key(WAKE, payload.clone(), new MqttProperties()));
        assertNotEquals(CommandWitness.key(WAKE, payload, null), CommandWitness.key(BASE + "/mc/cmd/wake", payload, null));
        assertNotEquals(CommandWitness.key(WAKE, payload, null), CommandWitness.key(WAKE, bytes("{\"force\":true}"), null));
        MqttProperties replyA = new MqttProperties();
        replyA.setResponseTopic("client/a");
        MqttProperties replyB = new MqttProperties();
        replyB.setResponseTopic("client/b");
        MqttProperties correlated = new MqttProperties();
        correlated.setResponseTopic("client/a");
        correlated.setCorrelationData(new byte[] {1, 2});
        MqttProperties otherCorrelation = new MqttProperties();
        otherCorrelation.setResponseTopic("client/a");
        otherCorrelation.setCorrelationData(new byte[] {1, 3});
        List<String> keys = List.of(CommandWitness.key(WAKE, payload, null), CommandWitness.key(WAKE, payload, replyA),
                CommandWitness.key(WAKE, payload, replyB), CommandWitness.key(WAKE, payload, correlated),
                CommandWitness.key(WAKE, payload, otherCorrelation));
        assertEquals(keys.size(), keys.stream().distinct().count(), keys.toString());
        // a correlation data alone is not confused with a response topic of the same bytes
        MqttProperties onlyTopic = new MqttProperties();
        onlyTopic.setResponseTopic("ab");
        MqttProperties onlyCorrelation = new MqttProperties();
        onlyCorrelation.setCorrelationData(bytes("ab"));
        assertNotEquals(CommandWitness.key(WAKE, payload, onlyTopic), CommandWitness.key(WAKE, payload, onlyCorrelation));
    }

    @Test
    void withAnIdOnlyTheTopicAndIdMakeTheKey() {
        MqttProperties reply = new MqttProperties();
        reply.setResponseTopic("client/a");
        assertEquals(CommandWitness.key(WAKE, withId("c1"), null),
                CommandWitness.key(WAKE, bytes("{\"id\":\"c1\",\"force\":true}"), reply));
        // an invalid id is no id: the whole payload is the key
        assertNotEquals(CommandWitness.key(WAKE, bytes("{\"id\":\"bad id\"}"), null),
                CommandWitness.key(WAKE, bytes("{\"id\":\"bad id\",\"x\":1}"), null));
    }

    @Test
    void anIdlessSharedCopyWithAnotherResponseTopicDoesNotMatch() {
        byte[] payload = bytes("{}");
        MqttProperties replyA = new MqttProperties();
        replyA.setResponseTopic("client/a");
        MqttProperties replyB = new MqttProperties();
        replyB.setResponseTopic("client/b");
        witness.witnessed(WAKE, payload, replyA);
        assertTrue(witness.firstClaim(WAKE, payload, replyB));
        assertEquals(1, witness.waiting());
        assertTrue(witness.firstClaim(WAKE, payload, replyA));
        assertEquals(0, witness.waiting());
    }

    // --- takeover windows ---

    @Test
    void anIdentifiedCommandIsTakenOverIfSeenWithinAnswerBoundBeforeTheLastSignOfLife() {
        Instant start = clock.instant();
        witness.witnessed(WAKE, withId("old"), null);
        clock.advance(Duration.ofSeconds(2));
        witness.witnessed(WAKE, withId("recent"), null);
        clock.advance(Duration.ofSeconds(200));
        // the last active member was seen alive 121 s after "old", 119 s after "recent"
        List<CommandWitness.Seen> due = witness.takeOver(start.plus(CommandWitness.ANSWER_BOUND).plusSeconds(1));
        assertEquals(1, due.size());
        assertArrayEquals(withId("recent"), due.get(0).payload());
        assertEquals(1, witness.waiting(), "the old one is left alone");
    }

    @Test
    void anIdlessCommandIsTakenOverOnlyIfSeenWithinUnmatchableBoundBeforeTheLastSignOfLife() {
        Instant start = clock.instant();
        witness.witnessed(WAKE, bytes("{\"n\":1}"), null);
        clock.advance(Duration.ofMillis(600));
        witness.witnessed(WAKE, bytes("{\"n\":2}"), null);
        clock.advance(Duration.ofSeconds(10));
        List<CommandWitness.Seen> due = witness.takeOver(start.plus(CommandWitness.UNMATCHABLE_BOUND).plusMillis(100));
        assertEquals(1, due.size());
        assertArrayEquals(bytes("{\"n\":2}"), due.get(0).payload());
        assertFalse(due.get(0).identified());
    }

    @Test
    void anIdlessTakenOverCommandsSharedCopyIsRefused() {
        MqttProperties reply = new MqttProperties();
        reply.setResponseTopic("client/a");
        reply.setCorrelationData(new byte[] {9});
        witness.witnessed(WAKE, bytes("{}"), reply);
        assertEquals(1, takeOverAfterQuiet().size());
        MqttProperties sameReply = new MqttProperties();
        sameReply.setResponseTopic("client/a");
        sameReply.setCorrelationData(new byte[] {9});
        assertFalse(witness.firstClaim(WAKE, bytes("{}"), sameReply));
    }

    // --- bounds and retention ---

    @Test
    void aFloodOf100000DistinctCommandsOf4KiBStaysWithinTheByteBound() {
        String pad = "p".repeat(4096 - "{\"id\":\"c000000\",\"pad\":\"\"}".length());
        long entry = -1;
        for (int i = 0; i < 100_000; i++) {
            byte[] payload = bytes(String.format("{\"id\":\"c%06d\",\"pad\":\"%s\"}", i, pad));
            assertEquals(4096, payload.length);
            witness.witnessed(WAKE, payload, null);
            entry = 160 + WAKE.length() + payload.length;
        }
        assertTrue(witness.waiting() <= CommandWitness.MAX_SEEN);
        assertEquals(CommandWitness.MAX_SEEN_BYTES / entry, witness.waiting(), "as many as the bytes allow, no more");
        // the newest are kept
        List<CommandWitness.Seen> due = takeOverAfterQuiet();
        assertEquals(CommandWitness.MAX_SEEN_BYTES / entry, due.size());
        assertTrue(new String(due.get(due.size() - 1).payload(), StandardCharsets.UTF_8).startsWith("{\"id\":\"c099999\""));
        assertEquals(0, witness.waiting());
    }

    @Test
    void aFloodOf100000SmallCommandsStaysWithinTheCountBound() {
        for (int i = 0; i < 100_000; i++) {
            witness.witnessed(WAKE, withId("c" + i), null);
        }
        assertEquals(CommandWitness.MAX_SEEN, witness.waiting());
        for (int i = 0; i < 100_000; i++) {
            witness.witnessed(WAKE, bytes("{\"n\":" + i + "}"), null);   // id-less: hashed keys
        }
        assertEquals(CommandWitness.MAX_SEEN, witness.waiting());
    }

    @Test
    void aFloodOfSharedCopiesWithoutWitnessCopiesKeepsOnlyTheNewestTenThousandWaiting() {
        for (int i = 0; i < 100_000; i++) {
            assertTrue(witness.firstClaim(WAKE, withId("c" + i), null));
        }
        witness.witnessed(WAKE, withId("c0"), null);
        assertEquals(1, witness.waiting(), "the oldest shared copy was let go: its witness copy waits");
        witness.witnessed(WAKE, withId("c99999"), null);
        assertEquals(1, witness.waiting(), "the newest still matches");
    }

    @Test
    void witnessedCommandsArePrunedAfterTenMinutes() {
        witness.witnessed(WAKE, withId("c1"), null);
        clock.advance(CommandWitness.RETENTION.minusMillis(1));
        witness.witnessed(WAKE, withId("c2"), null);
        assertEquals(2, witness.waiting());
        clock.advance(Duration.ofMillis(2));
        witness.witnessed(WAKE, withId("c3"), null);
        assertEquals(2, witness.waiting());
        clock.advance(CommandWitness.RETENTION.plusMillis(1));
        assertTrue(witness.takeOver(Instant.EPOCH).isEmpty());
        assertEquals(0, witness.waiting());
    }

    // --- the route entry ---

    private static Exchange exchange(String topic, byte[] body) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader("CamelMqttTopic", topic);
        exchange.getMessage().setBody(body);
        return exchange;
    }

    @Test
    void theRouteEntryWitnessesCommandsAndLearnsResults() throws Exception {
        witness.accept(exchange(WAKE, withId("c1")));
        assertEquals(1, witness.waiting());
        witness.accept(exchange(BASE + "/pve/result/wake", json(result(1, "c1", "pve", "wake", "WAKE_SENT", null))));
        assertTrue(ledger.contains("pve", "wake", "c1"));
        assertEquals(0, witness.waiting());
    }

    @Test
    void theRouteEntryCarriesTheMqtt5PropertiesIntoTheKey() {
        MqttProperties reply = new MqttProperties();
        reply.setResponseTopic("client/a");
        Exchange command = exchange(WAKE, bytes("{}"));
        command.getMessage().setHeader("CamelPahoMqtt5MsgProperties", reply);
        witness.accept(command);
        assertTrue(witness.firstClaim(WAKE, bytes("{}"), null));
        assertEquals(1, witness.waiting());
        assertTrue(witness.firstClaim(WAKE, bytes("{}"), reply));
        assertEquals(0, witness.waiting());
    }

    @Test
    void theRouteEntryIgnoresRetainedCommandsForeignTopicsAndOddLevels() {
        DefaultCamelContext context = new DefaultCamelContext();
        MqttMessage retained = new MqttMessage(withId("c1"));
        retained.setRetained(true);
        PahoMqtt5Message message = new PahoMqtt5Message(context, retained);
        message.setHeader("CamelMqttTopic", WAKE);
        message.setBody(withId("c1"));
        Exchange exchange = new DefaultExchange(context);
        exchange.setMessage(message);
        witness.accept(exchange);
        for (String topic : Arrays.asList(null, "other/pve/cmd/wake", BASE + "x/pve/cmd/wake", BASE + "/pve/cmd",
                BASE + "/pve/cmd/wake/extra", BASE + "/pve/state/wake", BASE)) {
            assertDoesNotThrow(() -> witness.accept(exchange(topic, withId("c2"))));
        }
        assertDoesNotThrow(() -> witness.accept(exchange(WAKE, null)));
        assertDoesNotThrow(() -> witness.accept(exchange(BASE + "/pve/result/wake", null)));
        assertEquals(1, witness.waiting(), "only the empty command on the right topic");
    }

    @Test
    void aForgedResultIsLearnedAndAnswersTheRealCommandLater() throws Exception {
        // documents a risk: anyone who may publish <base>/<host>/result/<action> writes into the ledger
        witness.learn("pve", "wake", json(result(1, "future-id", "pve", "wake", "WAKE_SENT", null)));
        assertTrue(ledger.contains("pve", "wake", "future-id"));
    }
}
