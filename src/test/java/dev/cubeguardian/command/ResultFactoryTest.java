package dev.cubeguardian.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ResultFactoryTest {

    private static final Instant AT = Instant.parse("2026-11-25T16:07:00.123Z");
    private static final List<String> CONTRACT_FIELDS = List.of("v", "id", "host", "action", "success", "code",
            "message", "timestamp", "duration_ms", "details", "error");

    private final ObjectMapper json = new ObjectMapper();

    private static ResultFactory factory(Locale locale, Instant at) {
        return new ResultFactory(new Messages(locale), Clock.fixed(at, ZoneOffset.UTC));
    }

    private static ReplyAddress reply(String id, long receivedNanos) {
        return new ReplyAddress("pve", "wake", id, receivedNanos, null, null);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void contractExampleSerializesFieldForField() throws Exception {
        // Given: the result of the contract's example, made by hand
        CommandResult result = new CommandResult(1, "c-42", "pve", "wake", true, "WOL_SENT",
                "Magic packet sent to AA:BB:CC:DD:EE:FF", "2026-11-25T16:07:00.123Z", 3,
                Outcome.details("mac", "AA:BB:CC:DD:EE:FF", "target", "192.168.1.255:9", "packets_sent", 3),
                null, null);

        // When
        String text = json.writeValueAsString(result);

        // Then
        assertEquals("{\"v\":1,\"id\":\"c-42\",\"host\":\"pve\",\"action\":\"wake\",\"success\":true,"
                + "\"code\":\"WOL_SENT\",\"message\":\"Magic packet sent to AA:BB:CC:DD:EE:FF\","
                + "\"timestamp\":\"2026-11-25T16:07:00.123Z\",\"duration_ms\":3,"
                + "\"details\":{\"mac\":\"AA:BB:CC:DD:EE:FF\",\"target\":\"192.168.1.255:9\",\"packets_sent\":3},"
                + "\"error\":null}", text);
    }

    @Test
    void successResultFromFactoryHasContractFieldsAndNullError() throws Exception {
        // Given
        Outcome outcome = Outcome.of(ResultCode.WOL_SENT,
                Outcome.details("mac", "AA:BB:CC:DD:EE:FF", "target", "192.168.1.255:9", "packets_sent", 3),
                "AA:BB:CC:DD:EE:FF");

        // When
        CommandResult result = factory(Locale.ENGLISH, AT).create(reply("c-42", System.nanoTime()), outcome);
        JsonNode node = json.readTree(json.writeValueAsString(result));

        // Then
        assertEquals(CONTRACT_FIELDS, fieldNames(node));
        assertEquals(1, node.get("v").intValue());
        assertEquals("c-42", node.get("id").textValue());
        assertEquals("pve", node.get("host").textValue());
        assertEquals("wake", node.get("action").textValue());
        assertTrue(node.get("success").booleanValue());
        assertEquals("WOL_SENT", node.get("code").textValue());
        assertEquals("Magic packet sent to AA:BB:CC:DD:EE:FF", node.get("message").textValue());
        assertEquals("2026-11-25T16:07:00.123Z", node.get("timestamp").textValue());
        assertTrue(node.get("duration_ms").isIntegralNumber());
        assertEquals(List.of("mac", "target", "packets_sent"), fieldNames(node.get("details")));
        assertEquals("{\"mac\":\"AA:BB:CC:DD:EE:FF\",\"target\":\"192.168.1.255:9\",\"packets_sent\":3}",
                json.writeValueAsString(node.get("details")));
        assertTrue(node.get("error").isNull());
        assertFalse(node.has("duplicate"));
    }

    @Test
    void failureResultHasErrorWithSameCodeAndMessage() throws Exception {
        // Given
        Outcome outcome = Outcome.of(ResultCode.UNKNOWN_HOST, Outcome.details("host", "nope"), "nope");

        // When
        CommandResult result = factory(Locale.ENGLISH, AT).create(reply("c-7", System.nanoTime()), outcome);
        JsonNode node = json.readTree(json.writeValueAsString(result));

        // Then
        assertEquals(CONTRACT_FIELDS, fieldNames(node));
        assertFalse(node.get("success").booleanValue());
        assertEquals("UNKNOWN_HOST", node.get("code").textValue());
        assertEquals("Unknown host 'nope'", node.get("message").textValue());
        assertEquals("c-7", node.get("id").textValue());
        assertEquals("{\"code\":\"UNKNOWN_HOST\",\"message\":\"Unknown host 'nope'\"}",
                json.writeValueAsString(node.get("error")));
        assertEquals("{\"host\":\"nope\"}", json.writeValueAsString(node.get("details")));
        assertFalse(node.has("duplicate"));
    }

    @ParameterizedTest
    @EnumSource(ResultCode.class)
    void successFollowsTheCodeAndErrorIsPresentExactlyOnFailure(ResultCode code) {
        CommandResult result = factory(Locale.ENGLISH, AT).create(reply("c-1", System.nanoTime()),
                new Outcome(code, code.name(), List.of(1, 2, 3, 4), Map.of()));
        assertEquals(code.success(), result.success());
        assertEquals(code.name(), result.code());
        if (code.success()) {
            assertNull(result.error());
        } else {
            assertEquals(new CommandResult.ErrorInfo(code.name(), result.message()), result.error());
        }
    }

    @Test
    void successCodesAreTheFiveOfTheContractAndIdleUpdatedAndRebootSentOfVersion11() {
        List<ResultCode> successes = new ArrayList<>();
        for (ResultCode code : ResultCode.values()) {
            if (code.success()) {
                successes.add(code);
            }
        }
        assertEquals(List.of(ResultCode.WOL_SENT, ResultCode.SHUTDOWN_SCHEDULED, ResultCode.SHUTDOWN_SENT,
                ResultCode.SHUTDOWN_CANCELLED, ResultCode.CHECKED, ResultCode.IDLE_UPDATED, ResultCode.REBOOT_SENT), successes);
    }

    @Test
    void duplicateIsTrueOnlyAfterAsDuplicateAndComesLast() throws Exception {
        // Given
        CommandResult first = factory(Locale.ENGLISH, AT).create(reply("c-42", System.nanoTime()),
                Outcome.of(ResultCode.SHUTDOWN_SENT, Map.of(), "pve"));

        // When
        CommandResult again = first.asDuplicate();
        JsonNode node = json.readTree(json.writeValueAsString(again));

        // Then
        List<String> expected = new ArrayList<>(CONTRACT_FIELDS);
        expected.add("duplicate");
        assertEquals(expected, fieldNames(node));
        assertTrue(node.get("duplicate").booleanValue());
        assertEquals(json.readTree(json.writeValueAsString(first)).get("timestamp"), node.get("timestamp"));
        assertEquals(first.durationMs(), again.durationMs());
        assertEquals("Shutdown of pve started", node.get("message").textValue());
        assertNull(first.duplicate());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "2026-11-25T16:07:00.123Z, 2026-11-25T16:07:00.123Z",
            "2026-11-25T16:07:00Z, 2026-11-25T16:07:00.000Z",
            "2026-11-25T16:07:00.100Z, 2026-11-25T16:07:00.100Z",
            "2026-11-25T16:07:00.000999Z, 2026-11-25T16:07:00.000Z",
            "2026-11-25T16:07:00.123999999Z, 2026-11-25T16:07:00.123Z",
            "2027-01-01T00:00:00.005Z, 2027-01-01T00:00:00.005Z",
            "2026-11-25T17:07:00.123+01:00, 2026-11-25T16:07:00.123Z"})
    void timestampIsUtcWithExactlyThreeFractionDigits(String instant, String expected) {
        CommandResult result = factory(Locale.ENGLISH, java.time.OffsetDateTime.parse(instant).toInstant())
                .create(reply("c-1", System.nanoTime()), Outcome.of(ResultCode.CHECKED, Map.of(), "pve"));
        assertEquals(expected, result.timestamp());
    }

    @Test
    void timestampIsAlsoUtcWhenClockZoneIsNot() {
        ResultFactory paris = new ResultFactory(new Messages(Locale.ENGLISH),
                Clock.fixed(AT, java.time.ZoneId.of("Europe/Paris")));
        assertEquals("2026-11-25T16:07:00.123Z",
                paris.create(reply("c-1", System.nanoTime()), Outcome.of(ResultCode.CHECKED, Map.of(), "pve")).timestamp());
    }

    @Test
    void durationCountsFromReceipt() {
        // Given: a command received 2.5 s ago on the monotonic clock
        long receivedNanos = System.nanoTime() - 2_500_000_000L;

        // When
        CommandResult result = factory(Locale.ENGLISH, AT).create(reply("c-1", receivedNanos),
                Outcome.of(ResultCode.CHECKED, Map.of(), "pve"));

        // Then
        assertTrue(result.durationMs() >= 2500 && result.durationMs() < 2500 + 60_000, "duration " + result.durationMs());
    }

    @Test
    void messageIsInTheFactoryLocaleAndErrorRepeatsIt() {
        CommandResult result = factory(Locale.FRENCH, AT).create(reply("c-1", System.nanoTime()),
                Outcome.of(ResultCode.WOL_FAILED, Map.of("reason", "no route"), "AA:BB:CC:DD:EE:FF", "no route"));
        assertEquals("Impossible d'envoyer le paquet magique à AA:BB:CC:DD:EE:FF : no route", result.message());
        assertEquals(new CommandResult.ErrorInfo("WOL_FAILED",
                "Impossible d'envoyer le paquet magique à AA:BB:CC:DD:EE:FF : no route"), result.error());
    }

    @Test
    void nullValuesInDetailsAreSerializedAsNull() throws Exception {
        CommandResult result = factory(Locale.ENGLISH, AT).create(reply("c-1", System.nanoTime()),
                Outcome.of(ResultCode.CHECKED, Outcome.details("host", Outcome.details("reachable", false,
                        "method", "tcp", "latency_ms", null)), "pve"));
        assertEquals("{\"host\":{\"reachable\":false,\"method\":\"tcp\",\"latency_ms\":null}}",
                json.writeValueAsString(json.readTree(json.writeValueAsString(result)).get("details")));
    }

    @Test
    void bridgeErrorResultHasNullHost() throws Exception {
        ReplyAddress noHost = new ReplyAddress(null, "wake", "c-1", System.nanoTime(), null, null);
        CommandResult result = factory(Locale.ENGLISH, AT).create(noHost,
                Outcome.variant(ResultCode.INVALID_COMMAND, "host_level", Map.of("topic", "cubeguardian/PVE/cmd/wake"), "PVE"));
        JsonNode node = json.readTree(json.writeValueAsString(result));
        assertEquals(CONTRACT_FIELDS, fieldNames(node));
        assertTrue(node.get("host").isNull());
        assertEquals("Invalid command: 'PVE' is not a host id (a-z, 0-9, _ and -, at most 63 characters)",
                node.get("message").textValue());
    }
}
