package dev.cubeguardian.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.config.HostConfig;
import dev.cubeguardian.config.IdleSettings;
import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.config.LifecycleTimeouts;
import dev.cubeguardian.config.ProbeSettings;
import dev.cubeguardian.config.WolSettings;
import dev.cubeguardian.wol.MacAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandParserTest {

    private static final Instant NOW = Instant.parse("2026-11-25T16:07:00.123Z");
    private static final String BASE = "cubeguardian";
    private static final Messages ENGLISH = new Messages(Locale.ENGLISH);

    private final CommandParser parser = new CommandParser(BASE, inventory(), new CommandIds(),
            Clock.fixed(NOW, ZoneOffset.UTC));

    static Inventory inventory() {
        HostConfig pve = new HostConfig("pve", "Proxmox", MacAddress.parse("AA:BB:CC:DD:EE:FF"), "192.168.1.10",
                new WolSettings("192.168.1.255", 9, 3, Duration.ofMillis(100), null),
                new ProbeSettings(ProbeSettings.ProbeMethod.TCP, 22, Duration.ofSeconds(1)),
                Optional.empty(), Optional.empty(),
                new LifecycleTimeouts(Duration.ofMinutes(5), Duration.ofMinutes(3)),
                IdleSettings.disabled());
        return new Inventory(null, Map.of("pve", pve));
    }

    private Admission parse(String action, String payload) {
        return parse("cubeguardian/pve/cmd/" + action, payload.getBytes(StandardCharsets.UTF_8), null);
    }

    private Admission parse(String topic, byte[] payload, MqttProperties properties) {
        return parser.parse(topic, payload, properties);
    }

    private static Command command(Admission admission) {
        return assertInstanceOf(Command.class, admission, () -> "expected a command, got " + admission);
    }

    private static Rejection rejection(Admission admission) {
        return assertInstanceOf(Rejection.class, admission, () -> "expected a rejection, got " + admission);
    }

    private static String english(Outcome outcome) {
        return ENGLISH.format(outcome.messageKey(), outcome.messageArgs());
    }

    /** Details must match in content and in order (they are serialized as they are). */
    private static void assertDetails(Map<String, Object> expected, Map<String, Object> actual) {
        assertEquals(expected, actual);
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()));
    }

    private static void assertGeneratedId(String id) {
        assertTrue(id.startsWith("cg-") && id.length() > 3, "generated id: " + id);
        assertTrue(CommandParser.COMMAND_ID.matcher(id).matches(), "generated id is a valid client id: " + id);
    }

    // ---------------------------------------------------------------- accepted payloads

    static Stream<Arguments> acceptedPayloads() {
        // payload, action, id (null = generated), delay, force, requested_by, ttl seconds from NOW
        return Stream.of(
                Arguments.of("empty", "", "wake", null, 0, false, null, 300),
                Arguments.of("whitespace", " \t\r\n ", "wake", null, 0, false, null, 300),
                Arguments.of("empty object", "{}", "wake", null, 0, false, null, 300),
                Arguments.of("full example", "{\"id\":\"c-42\",\"delay_minutes\":5,\"force\":false,"
                        + "\"requested_by\":\"discord:1234\",\"ttl_s\":60}", "shutdown", "c-42", 5, false, "discord:1234", 60),
                Arguments.of("unknown fields ignored", "{\"colour\":\"blue\",\"nested\":{\"a\":[1,2,{}]},\"n\":1.5}",
                        "wake", null, 0, false, null, 300),
                Arguments.of("all null means absent", "{\"id\":null,\"delay_minutes\":null,\"force\":null,"
                        + "\"requested_by\":null,\"ttl_s\":null}", "shutdown", null, 0, false, null, 60),
                Arguments.of("force true", "{\"force\":true}", "shutdown", null, 0, true, null, 60),
                Arguments.of("delay 0", "{\"delay_minutes\":0}", "shutdown", null, 0, false, null, 60),
                Arguments.of("delay 1440", "{\"delay_minutes\":1440}", "shutdown", null, 1440, false, null, 60),
                Arguments.of("ttl 1", "{\"ttl_s\":1}", "wake", null, 0, false, null, 1),
                Arguments.of("ttl 86400", "{\"ttl_s\":86400}", "wake", null, 0, false, null, 86400),
                Arguments.of("id of 64 chars", "{\"id\":\"" + "a".repeat(64) + "\"}", "wake", "a".repeat(64), 0, false,
                        null, 300),
                Arguments.of("id with every allowed class", "{\"id\":\"Az09._:-\"}", "check", "Az09._:-", 0, false,
                        null, 300),
                Arguments.of("id of 1 char", "{\"id\":\"x\"}", "cancel", "x", 0, false, null, 60),
                Arguments.of("requested_by of 128 chars", "{\"requested_by\":\"" + "r".repeat(128) + "\"}", "wake", null,
                        0, false, "r".repeat(128), 300),
                Arguments.of("negative zero is the integer 0", "{\"delay_minutes\":-0}", "shutdown", null, 0, false,
                        null, 60));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedPayloads")
    void acceptedPayloadBecomesCommandWithExactFields(String name, String payload, String action, String id,
            int delay, boolean force, String requestedBy, int ttlSeconds) {
        // When
        Command command = command(parse(action, payload));

        // Then
        assertEquals("pve", command.host());
        assertEquals(Action.fromWireName(action).orElseThrow(), command.action());
        if (id == null) {
            assertGeneratedId(command.id());
            assertTrue(command.idGenerated());
        } else {
            assertEquals(id, command.id());
            assertFalse(command.idGenerated());
        }
        assertEquals(delay, command.delayMinutes());
        assertEquals(force, command.force());
        assertEquals(requestedBy, command.requestedBy());
        assertEquals(NOW, command.receivedAt());
        assertEquals(NOW.plusSeconds(ttlSeconds), command.expiresAt());
        assertNull(command.responseTopic());
        assertNull(command.correlationData());
    }

    @Test
    void fullExamplePayloadGivesExactCommandAndReplyAddress() {
        // Given
        String payload = "{\"id\":\"c-42\",\"delay_minutes\":5,\"force\":false,\"requested_by\":\"discord:1234\",\"ttl_s\":60}";

        // When
        Command command = command(parse("wake", payload));

        // Then
        assertEquals(new Command("pve", Action.WAKE, "c-42", false, 5, false, "discord:1234", NOW,
                command.receivedNanos(), NOW.plusSeconds(60), null, null, null), command);
        ReplyAddress reply = command.replyAddress();
        assertEquals("pve", reply.host());
        assertEquals("wake", reply.action());
        assertEquals("c-42", reply.id());
    }

    @Test
    void nullPayloadIsTreatedAsEmpty() {
        Command command = command(parse("cubeguardian/pve/cmd/check", null, null));
        assertEquals(Action.CHECK, command.action());
        assertEquals(NOW.plusSeconds(300), command.expiresAt());
    }

    @Test
    void twoCommandsWithoutIdGetDifferentGeneratedIds() {
        assertFalse(command(parse("wake", "")).id().equals(command(parse("wake", "")).id()));
    }

    @ParameterizedTest(name = "{0} -> {1} s")
    @CsvSource({"wake,300", "check,300", "shutdown,60", "cancel,60"})
    void defaultTtlDependsOnAction(String action, int seconds) {
        assertEquals(NOW.plusSeconds(seconds), command(parse(action, "")).expiresAt());
    }

    // ---------------------------------------------------------------- wrong types and ranges (min/max known)

    static Stream<Arguments> rangedFieldErrors() {
        // payload, variant, field, min, max, English message
        return Stream.of(
                Arguments.of("{\"delay_minutes\":\"5\"}", "not_integer", "delay_minutes", 0, 1440,
                        "Invalid command: delay_minutes must be a JSON integer from 0 to 1440"),
                Arguments.of("{\"delay_minutes\":5.5}", "not_integer", "delay_minutes", 0, 1440,
                        "Invalid command: delay_minutes must be a JSON integer from 0 to 1440"),
                Arguments.of("{\"delay_minutes\":5.0}", "not_integer", "delay_minutes", 0, 1440,
                        "Invalid command: delay_minutes must be a JSON integer from 0 to 1440"),
                Arguments.of("{\"delay_minutes\":1e2}", "not_integer", "delay_minutes", 0, 1440,
                        "Invalid command: delay_minutes must be a JSON integer from 0 to 1440"),
                Arguments.of("{\"delay_minutes\":true}", "not_integer", "delay_minutes", 0, 1440,
                        "Invalid command: delay_minutes must be a JSON integer from 0 to 1440"),
                Arguments.of("{\"delay_minutes\":[5]}", "not_integer", "delay_minutes", 0, 1440,
                        "Invalid command: delay_minutes must be a JSON integer from 0 to 1440"),
                Arguments.of("{\"delay_minutes\":-1}", "out_of_range", "delay_minutes", 0, 1440,
                        "Invalid command: delay_minutes must be from 0 to 1440"),
                Arguments.of("{\"delay_minutes\":1441}", "out_of_range", "delay_minutes", 0, 1440,
                        "Invalid command: delay_minutes must be from 0 to 1440"),
                Arguments.of("{\"delay_minutes\":4294967296}", "out_of_range", "delay_minutes", 0, 1440,
                        "Invalid command: delay_minutes must be from 0 to 1440"),
                Arguments.of("{\"delay_minutes\":123456789012345678901234567890}", "out_of_range", "delay_minutes", 0,
                        1440, "Invalid command: delay_minutes must be from 0 to 1440"),
                Arguments.of("{\"ttl_s\":0}", "out_of_range", "ttl_s", 1, 86400,
                        "Invalid command: ttl_s must be from 1 to 86400"),
                Arguments.of("{\"ttl_s\":86401}", "out_of_range", "ttl_s", 1, 86400,
                        "Invalid command: ttl_s must be from 1 to 86400"),
                Arguments.of("{\"ttl_s\":\"60\"}", "not_integer", "ttl_s", 1, 86400,
                        "Invalid command: ttl_s must be a JSON integer from 1 to 86400"),
                Arguments.of("{\"requested_by\":\"\"}", "bad_text", "requested_by", 1, 128,
                        "Invalid command: requested_by must be 1 to 128 printable characters"),
                Arguments.of("{\"requested_by\":\"" + "r".repeat(129) + "\"}", "bad_text", "requested_by", 1, 128,
                        "Invalid command: requested_by must be 1 to 128 printable characters"),
                Arguments.of("{\"requested_by\":\"a\\nb\"}", "bad_text", "requested_by", 1, 128,
                        "Invalid command: requested_by must be 1 to 128 printable characters"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("rangedFieldErrors")
    void wrongTypeOrRangeIsInvalidCommandWithFieldDetails(String payload, String variant, String field, int min,
            int max, String message) {
        // When
        Rejection rejection = rejection(parse("shutdown", payload));

        // Then
        Outcome outcome = rejection.outcome();
        assertEquals(ResultCode.INVALID_COMMAND, outcome.code());
        assertEquals("INVALID_COMMAND." + variant, outcome.messageKey());
        assertDetails(Outcome.details("field", field, "reason", variant, "min", min, "max", max), outcome.details());
        assertEquals(message, english(outcome));
        assertEquals("pve", rejection.replyAddress().host());
        assertEquals("shutdown", rejection.replyAddress().action());
        assertGeneratedId(rejection.replyAddress().id());
    }

    @Test
    void validIdIsEchoedWhenAnotherFieldIsInvalid() {
        // Given
        String payload = "{\"id\":\"c-42\",\"delay_minutes\":\"5\"}";

        // When
        Rejection rejection = rejection(parse("shutdown", payload));

        // Then
        assertEquals("INVALID_COMMAND.not_integer", rejection.outcome().messageKey());
        assertEquals("c-42", rejection.replyAddress().id());
    }

    // ---------------------------------------------------------------- wrong types without a range

    static final String BUG_NULL_MESSAGE_ARGS = "BUG: CommandParser throws NullPointerException instead of returning a Rejection for every field error"
            + " without a range (not_boolean, not_string, id_format): FieldException(field, reason) has min=max=null and"
            + " CommandParser.invalid(...) passes them as message args to Outcome.variant, whose List.of(args) (and"
            + " Outcome's List.copyOf) reject null elements. So {\"force\":\"true\"}, {\"force\":1}, {\"requested_by\":5},"
            + " {\"id\":5} and any badly formed id (\"a b\", 65 chars, \"c;rm -rf /\") are never answered (the exception"
            + " escapes CommandIntake.accept on the Paho thread).";

    static Stream<Arguments> unrangedFieldErrors() {
        // payload, variant, field, English message
        return Stream.of(
                Arguments.of("{\"force\":\"true\"}", "not_boolean", "force", "Invalid command: force must be true or false"),
                Arguments.of("{\"force\":1}", "not_boolean", "force", "Invalid command: force must be true or false"),
                Arguments.of("{\"requested_by\":5}", "not_string", "requested_by",
                        "Invalid command: requested_by must be a string"),
                Arguments.of("{\"id\":5}", "id_format", "id",
                        "Invalid command: id must be 1 to 64 characters from A-Z a-z 0-9 . _ : -"),
                Arguments.of("{\"id\":\"\"}", "id_format", "id",
                        "Invalid command: id must be 1 to 64 characters from A-Z a-z 0-9 . _ : -"),
                Arguments.of("{\"id\":\"" + "a".repeat(65) + "\"}", "id_format", "id",
                        "Invalid command: id must be 1 to 64 characters from A-Z a-z 0-9 . _ : -"),
                Arguments.of("{\"id\":\"a b\"}", "id_format", "id",
                        "Invalid command: id must be 1 to 64 characters from A-Z a-z 0-9 . _ : -"),
                Arguments.of("{\"id\":\"c;rm -rf /\"}", "id_format", "id",
                        "Invalid command: id must be 1 to 64 characters from A-Z a-z 0-9 . _ : -"),
                Arguments.of("{\"id\":\"$(reboot)\"}", "id_format", "id",
                        "Invalid command: id must be 1 to 64 characters from A-Z a-z 0-9 . _ : -"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("unrangedFieldErrors")
    void wrongTypeWithoutRangeIsInvalidCommandWithFieldDetails(String payload, String variant, String field,
            String message) {
        // When
        Rejection rejection = rejection(parse("shutdown", payload));

        // Then
        Outcome outcome = rejection.outcome();
        assertEquals(ResultCode.INVALID_COMMAND, outcome.code());
        assertEquals("INVALID_COMMAND." + variant, outcome.messageKey());
        assertDetails(Outcome.details("field", field, "reason", variant, "min", null, "max", null), outcome.details());
        assertEquals(message, english(outcome));
        assertEquals("pve", rejection.replyAddress().host());
        // an id that is not valid is never echoed: the answer carries a generated one
        assertGeneratedId(rejection.replyAddress().id());
    }

    @ParameterizedTest(name = "id ''{0}''")
    @ValueSource(strings = {"a b", "c;rm -rf /", "$(reboot)", "", "é"})
    void invalidIdIsReplacedByGeneratedIdInTheAnswer(String badId) {
        // Given: an invalid id on a host that does not exist (answered before the fields are read)
        String payload = "{\"id\":\"" + badId + "\"}";

        // When
        Rejection rejection = rejection(parse("cubeguardian/nope/cmd/wake", payload.getBytes(StandardCharsets.UTF_8),
                null));

        // Then
        assertEquals(ResultCode.UNKNOWN_HOST, rejection.outcome().code());
        assertGeneratedId(rejection.replyAddress().id());
    }

    @Test
    void idOf65CharsIsNotEchoed() {
        Rejection rejection = rejection(parse("cubeguardian/nope/cmd/wake",
                ("{\"id\":\"" + "a".repeat(65) + "\"}").getBytes(StandardCharsets.UTF_8), null));
        assertGeneratedId(rejection.replyAddress().id());
    }

    // ---------------------------------------------------------------- not a JSON object

    static Stream<Arguments> notAnObject() {
        return Stream.of(
                Arguments.of("[]", "not_object", "Invalid command: the payload must be a JSON object"),
                Arguments.of("\"x\"", "not_object", "Invalid command: the payload must be a JSON object"),
                Arguments.of("42", "not_object", "Invalid command: the payload must be a JSON object"),
                Arguments.of("null", "not_object", "Invalid command: the payload must be a JSON object"),
                Arguments.of("true", "not_object", "Invalid command: the payload must be a JSON object"),
                Arguments.of("{", "not_json", "Invalid command: the payload is not valid JSON"),
                Arguments.of("{\"id\":}", "not_json", "Invalid command: the payload is not valid JSON"),
                Arguments.of("wake", "not_json", "Invalid command: the payload is not valid JSON"),
                Arguments.of("{'id':'c-1'}", "not_json", "Invalid command: the payload is not valid JSON"),
                Arguments.of("{} x", "not_json", "Invalid command: the payload is not valid JSON"),
                Arguments.of("{}{}", "not_json", "Invalid command: the payload is not valid JSON"),
                Arguments.of("{\"id\":\"a\",\"id\":\"b\"}", "not_json", "Invalid command: the payload is not valid JSON"),
                Arguments.of("{\"force\":true,\"force\":true}", "not_json",
                        "Invalid command: the payload is not valid JSON"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("notAnObject")
    void payloadThatIsNotOneJsonObjectIsRefused(String payload, String variant, String message) {
        // When
        Rejection rejection = rejection(parse("wake", payload));

        // Then
        assertEquals(ResultCode.INVALID_COMMAND, rejection.outcome().code());
        assertEquals("INVALID_COMMAND." + variant, rejection.outcome().messageKey());
        assertDetails(Map.of("reason", variant), rejection.outcome().details());
        assertEquals(message, english(rejection.outcome()));
        assertEquals("pve", rejection.replyAddress().host());
        assertEquals("wake", rejection.replyAddress().action());
        assertGeneratedId(rejection.replyAddress().id());
    }

    static Stream<Arguments> invalidUtf8() {
        byte[] prefix = "{\"requested_by\":\"".getBytes(StandardCharsets.US_ASCII);
        byte[] suffix = "\"}".getBytes(StandardCharsets.US_ASCII);
        return Stream.of(
                Arguments.of("lone continuation byte", concat(prefix, new byte[] {(byte) 0x80}, suffix)),
                Arguments.of("truncated two-byte sequence", concat(prefix, new byte[] {(byte) 0xC3, 0x28}, suffix)),
                Arguments.of("0xFF byte", concat(prefix, new byte[] {(byte) 0xFF}, suffix)),
                Arguments.of("in an unknown field", concat("{\"x\":\"".getBytes(StandardCharsets.US_ASCII),
                        new byte[] {(byte) 0xE2, (byte) 0x82}, suffix)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUtf8")
    void invalidUtf8IsNotJson(String name, byte[] payload) {
        Rejection rejection = rejection(parse("cubeguardian/pve/cmd/wake", payload, null));
        assertEquals("INVALID_COMMAND.not_json", rejection.outcome().messageKey());
        assertDetails(Map.of("reason", "not_json"), rejection.outcome().details());
    }

    @Test
    void deeplyNestedUnknownFieldWithinLimitIsIgnored() {
        // Given: 500 levels of arrays in an unknown field
        String payload = "{\"id\":\"c-1\",\"x\":" + "[".repeat(500) + "]".repeat(500) + "}";

        // When
        Command command = command(parse("wake", payload));

        // Then
        assertEquals("c-1", command.id());
    }

    @Test
    void nestingDeeperThanJacksonAllowsIsAnsweredNotThrown() {
        // Given: about 2000 levels, still under 4 KiB
        String payload = "{\"x\":" + "[".repeat(2040) + "]".repeat(2040) + "}";
        assertTrue(payload.length() <= 4096);

        // When
        Rejection rejection = rejection(parse("wake", payload));

        // Then
        assertEquals("INVALID_COMMAND.not_json", rejection.outcome().messageKey());
    }

    @Test
    void deeplyNestedTopLevelArrayIsAnsweredNotThrown() {
        String payload = "[".repeat(2048) + "]".repeat(2048);
        assertEquals(4096, payload.length());
        Rejection rejection = rejection(parse("wake", payload));
        assertEquals(ResultCode.INVALID_COMMAND, rejection.outcome().code());
    }

    // ---------------------------------------------------------------- size limit

    private static byte[] padded(int totalBytes, String padUnit) {
        String head = "{\"id\":\"c-7\",\"pad\":\"";
        String tail = "\"}";
        int room = totalBytes - head.length() - tail.length();
        int unitBytes = padUnit.getBytes(StandardCharsets.UTF_8).length;
        String pad = padUnit.repeat(room / unitBytes) + "x".repeat(room % unitBytes);
        byte[] bytes = (head + pad + tail).getBytes(StandardCharsets.UTF_8);
        assertEquals(totalBytes, bytes.length);
        return bytes;
    }

    @ParameterizedTest(name = "pad with ''{0}''")
    @ValueSource(strings = {"x", "é", "€"})
    void payloadOfExactly4096BytesIsAccepted(String padUnit) {
        Command command = command(parse("cubeguardian/pve/cmd/wake", padded(4096, padUnit), null));
        assertEquals("c-7", command.id());
    }

    @ParameterizedTest(name = "pad with ''{0}''")
    @ValueSource(strings = {"x", "é", "€"})
    void payloadOf4097BytesIsRefusedAsTooLarge(String padUnit) {
        // When
        Rejection rejection = rejection(parse("cubeguardian/pve/cmd/wake", padded(4097, padUnit), null));

        // Then
        Outcome outcome = rejection.outcome();
        assertEquals(ResultCode.INVALID_COMMAND, outcome.code());
        assertEquals("INVALID_COMMAND.payload_too_large", outcome.messageKey());
        assertDetails(Outcome.details("reason", "payload_too_large", "size", 4097, "limit", 4096), outcome.details());
        assertEquals("Invalid command: the payload has 4097 bytes, the limit is 4096", english(outcome));
        assertEquals("pve", rejection.replyAddress().host());
        assertEquals("wake", rejection.replyAddress().action());
        // the oversized payload is not parsed, so its id is not known
        assertGeneratedId(rejection.replyAddress().id());
    }

    @Test
    void tooLargePayloadOnBadHostLevelAlsoNamesTheTopic() {
        Rejection rejection = rejection(parse("cubeguardian/PVE/cmd/wake", new byte[5000], null));
        assertNull(rejection.replyAddress().host());
        assertDetails(Outcome.details("reason", "payload_too_large", "size", 5000, "limit", 4096, "topic", "cubeguardian/PVE/cmd/wake"),
                rejection.outcome().details());
    }

    // ---------------------------------------------------------------- topic levels

    @Test
    void unknownHostIsAnsweredOnItsOwnTopicWithValidIdEchoed() {
        // When
        Rejection rejection = rejection(parse("cubeguardian/nope/cmd/wake",
                "{\"id\":\"c-42\"}".getBytes(StandardCharsets.UTF_8), null));

        // Then
        assertEquals(ResultCode.UNKNOWN_HOST, rejection.outcome().code());
        assertEquals("UNKNOWN_HOST", rejection.outcome().messageKey());
        assertDetails(Map.of("host", "nope"), rejection.outcome().details());
        assertEquals("Unknown host 'nope'", english(rejection.outcome()));
        assertEquals("nope", rejection.replyAddress().host());
        assertEquals("wake", rejection.replyAddress().action());
        assertEquals("c-42", rejection.replyAddress().id());
    }

    @Test
    void unknownHostWinsOverUnknownActionAndBadPayload() {
        Rejection rejection = rejection(parse("cubeguardian/nope/cmd/hibernate",
                "not json".getBytes(StandardCharsets.UTF_8), null));
        assertEquals(ResultCode.UNKNOWN_HOST, rejection.outcome().code());
        assertEquals("hibernate", rejection.replyAddress().action());
    }

    @Test
    void unknownActionIsAnsweredWithKnownActions() {
        // When
        Rejection rejection = rejection(parse("hibernate", "{\"id\":\"c-9\"}"));

        // Then
        Outcome outcome = rejection.outcome();
        assertEquals(ResultCode.UNKNOWN_ACTION, outcome.code());
        assertEquals("UNKNOWN_ACTION", outcome.messageKey());
        assertDetails(Outcome.details("action", "hibernate", "actions",
                List.of("wake", "shutdown", "cancel", "check", "idle", "reboot")), outcome.details());
        assertEquals("Unknown action 'hibernate' (known: wake, shutdown, cancel, check, idle, reboot)", english(outcome));
        assertEquals("pve", rejection.replyAddress().host());
        assertEquals("hibernate", rejection.replyAddress().action());
        assertEquals("c-9", rejection.replyAddress().id());
    }

    @ParameterizedTest(name = "action ''{0}''")
    @ValueSource(strings = {"WAKE", "Wake", "wake ", ""})
    void actionIsMatchedExactly(String action) {
        assertEquals(ResultCode.UNKNOWN_ACTION, rejection(parse(action, "")).outcome().code());
    }

    static Stream<String> badHostLevels() {
        return Stream.of("PVE", "a".repeat(64), "a.b", "-x", "_x", "", "p ve", "pvé");
    }

    @ParameterizedTest(name = "host level ''{0}''")
    @MethodSource("badHostLevels")
    void hostLevelThatIsNotAHostIdGoesToBridgeError(String hostLevel) {
        // Given
        String topic = "cubeguardian/" + hostLevel + "/cmd/wake";

        // When
        Rejection rejection = rejection(parse(topic, "{\"id\":\"c-5\"}".getBytes(StandardCharsets.UTF_8), null));

        // Then
        Outcome outcome = rejection.outcome();
        assertEquals(ResultCode.INVALID_COMMAND, outcome.code());
        assertEquals("INVALID_COMMAND.host_level", outcome.messageKey());
        assertDetails(Outcome.details("reason", "host_level", "topic", topic), outcome.details());
        assertEquals("Invalid command: '" + hostLevel + "' is not a host id (a-z, 0-9, _ and -, at most 63 characters)",
                english(outcome));
        assertNull(rejection.replyAddress().host());
        assertEquals("wake", rejection.replyAddress().action());
        assertEquals("c-5", rejection.replyAddress().id());
    }

    @Test
    void hostLevelOf63CharsIsAHostIdButUnknown() {
        String host = "a".repeat(63);
        Rejection rejection = rejection(parse("cubeguardian/" + host + "/cmd/wake", new byte[0], null));
        assertEquals(ResultCode.UNKNOWN_HOST, rejection.outcome().code());
        assertEquals(host, rejection.replyAddress().host());
    }

    @Test
    void veryLongBadHostLevelIsTruncatedInDetailsAndMessage() {
        // Given
        String hostLevel = "X".repeat(300);
        String topic = "cubeguardian/" + hostLevel + "/cmd/wake";

        // When
        Rejection rejection = rejection(parse(topic, new byte[0], null));

        // Then
        assertEquals(topic.substring(0, 256) + "…", rejection.outcome().details().get("topic"));
        assertEquals(List.of("X".repeat(256) + "…"), rejection.outcome().messageArgs());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cubeguardian/pve/cmd", "cubeguardian/pve/cmd/wake/extra", "cubeguardian/pve/state/wake",
            "other/pve/cmd/wake", "cubeguardianx/pve/cmd/wake"})
    void topicOfAnotherShapeIsInvalidWithoutHost(String topic) {
        Rejection rejection = rejection(parse(topic, new byte[0], null));
        assertEquals("INVALID_COMMAND.host_level", rejection.outcome().messageKey());
        assertDetails(Outcome.details("reason", "host_level", "topic", topic), rejection.outcome().details());
        assertNull(rejection.replyAddress().host());
    }

    // ---------------------------------------------------------------- MQTT 5 properties

    @Test
    void responseTopicAndCorrelationDataAreCarriedByTheCommand() {
        // Given
        MqttProperties properties = new MqttProperties();
        properties.setResponseTopic("clients/ha/replies");
        properties.setCorrelationData(new byte[] {1, 2, 3, (byte) 0xFE});

        // When
        Command command = command(parse("cubeguardian/pve/cmd/wake", "{\"id\":\"c-1\"}".getBytes(StandardCharsets.UTF_8),
                properties));

        // Then
        assertEquals("clients/ha/replies", command.responseTopic());
        assertArrayEquals(new byte[] {1, 2, 3, (byte) 0xFE}, command.correlationData());
        assertEquals("clients/ha/replies", command.replyAddress().responseTopic());
        assertArrayEquals(new byte[] {1, 2, 3, (byte) 0xFE}, command.replyAddress().correlationData());
        assertEquals(NOW.plusSeconds(300), command.expiresAt());
    }

    @Test
    void responseTopicAndCorrelationDataAreCarriedByARejection() {
        MqttProperties properties = new MqttProperties();
        properties.setResponseTopic("clients/ha/replies");
        properties.setCorrelationData(new byte[] {9});

        Rejection rejection = rejection(parse("cubeguardian/pve/cmd/wake", "[]".getBytes(StandardCharsets.UTF_8),
                properties));

        assertEquals("clients/ha/replies", rejection.replyAddress().responseTopic());
        assertArrayEquals(new byte[] {9}, rejection.replyAddress().correlationData());
    }

    @Test
    void responseAddressIsKeptEvenForABadHostLevel() {
        MqttProperties properties = new MqttProperties();
        properties.setResponseTopic("clients/x");
        Rejection rejection = rejection(parse("cubeguardian/PVE/cmd/wake", new byte[0], properties));
        assertEquals("clients/x", rejection.replyAddress().responseTopic());
    }

    @ParameterizedTest(name = "{0}: ttl_s {1}, expiry {2} -> {3} s")
    @CsvSource({
            "wake,     ,   10,  10",
            "wake,     ,  299, 299",
            "wake,     ,  301, 300",
            "wake,     , 3600, 300",
            "wake,    5,   10,   5",
            "wake,   30,   10,  10",
            "shutdown, ,   30,  30",
            "shutdown, ,  120,  60",
            "check, 600,  500, 500"})
    void messageExpiryIntervalCanOnlyShortenTheDeadline(String action, Integer ttl, long expiry, int expectedSeconds) {
        // Given
        MqttProperties properties = new MqttProperties();
        properties.setMessageExpiryInterval(expiry);
        String payload = ttl == null ? "" : "{\"ttl_s\":" + ttl + "}";

        // When
        Command command = command(parse("cubeguardian/pve/cmd/" + action, payload.getBytes(StandardCharsets.UTF_8),
                properties));

        // Then
        assertEquals(NOW.plusSeconds(expectedSeconds), command.expiresAt());
    }

    @Test
    void propertiesWithoutExpiryKeepTheTtl() {
        Command command = command(parse("cubeguardian/pve/cmd/shutdown", "{\"ttl_s\":45}".getBytes(StandardCharsets.UTF_8),
                new MqttProperties()));
        assertEquals(NOW.plusSeconds(45), command.expiresAt());
        assertNull(command.responseTopic());
    }

    private static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    // ---------------------------------------------------------------- reboot (v1.1)

    @Test
    void aRebootTakesForceAndTheCommonFieldsAndExpiresLikeAShutdown() {
        // When
        Command command = command(parse("reboot", "{\"id\":\"r-1\",\"force\":true,\"requested_by\":\"discord:42\"}"));

        // Then
        assertEquals(Action.REBOOT, command.action());
        assertEquals("r-1", command.id());
        assertTrue(command.force());
        assertEquals("discord:42", command.requestedBy());
        assertEquals(0, command.delayMinutes());
        assertEquals(NOW.plusSeconds(60), command.expiresAt(), "restarting late is not harmless: 60 s, as a shutdown");
        assertTrue(command.action().needsSsh());
    }

    @Test
    void anEmptyRebootPayloadIsARebootWithoutForce() {
        Command command = command(parse("reboot", ""));
        assertEquals(Action.REBOOT, command.action());
        assertFalse(command.force());
        assertTrue(command.idGenerated());
    }

    @Test
    void aRebootAskedForLaterIsRefusedRatherThanRunAtOnce() {
        // When someone expects "restart in 5 minutes"
        Rejection rejection = rejection(parse("reboot", "{\"id\":\"r-2\",\"delay_minutes\":5}"));

        // Then nothing runs now: the command is invalid, and says why
        assertEquals(ResultCode.INVALID_COMMAND, rejection.outcome().code());
        assertEquals("not_for_reboot", rejection.outcome().details().get("reason"));
        assertEquals("delay_minutes", rejection.outcome().details().get("field"));
        assertEquals("Invalid command: delay_minutes does not apply to a reboot, which always runs at once",
                english(rejection.outcome()));
        assertEquals("r-2", rejection.replyAddress().id());
        // "now" said explicitly is fine
        assertEquals(Action.REBOOT, command(parse("reboot", "{\"delay_minutes\":0}")).action());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"force\":\"true\"}                      | force        | not_boolean",
        "{\"force\":1}                               | force        | not_boolean",
        "{\"requested_by\":\"x\\n; reboot -f\"}  | requested_by | bad_text",
        "{\"requested_by\":[\"rm -rf /\"]}         | requested_by | not_string",
        "{\"id\":\"a;reboot\"}                     | id           | id_format",
        "{\"ttl_s\":\"60; reboot\"}                | ttl_s        | not_integer",
        "{\"delay_minutes\":\"1; reboot\"}         | delay_minutes | not_integer",
    })
    void aRebootWithABadFieldIsInvalidLikeAnyCommand(String payload, String field, String reason) {
        Rejection rejection = rejection(parse("reboot", payload));
        assertEquals(ResultCode.INVALID_COMMAND, rejection.outcome().code());
        assertEquals(field, rejection.outcome().details().get("field"));
        assertEquals(reason, rejection.outcome().details().get("reason"));
    }

    @Test
    void fieldsOfNoActionAreIgnoredOnARebootAsTheContractSays() {
        // "Unknown fields are ignored": they reach nothing, the remote command comes from the inventory only
        Command command = command(parse("reboot", "{\"id\":\"r-3\",\"command\":\"rm -rf /\",\"reboot-command\":\"halt\"}"));
        assertEquals(Action.REBOOT, command.action());
        assertEquals("r-3", command.id());
    }
}
