package dev.cubeguardian.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.command.Action;
import dev.cubeguardian.command.Admission;
import dev.cubeguardian.command.Command;
import dev.cubeguardian.command.CommandIds;
import dev.cubeguardian.command.CommandParser;
import dev.cubeguardian.command.Rejection;
import dev.cubeguardian.command.ResultCode;
import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.config.InventoryLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, fault 3 (in process): 100,000 generated payloads and topics through the real
 * CommandParser. It must never throw, and every answer is a Rejection with an answerable
 * address, or a Command whose every field is within the documented ranges. Payloads built to
 * be valid must come out as exactly that command.
 */
// both cores for itself: see the failsafe executions in pom.xml
@Tag("alone")
class ParserFuzzIT {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    static final Pattern GENERATED_ID = Pattern.compile("cg-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    static final Set<String> REJECTION_CODES = Set.of("INVALID_COMMAND", "UNKNOWN_HOST", "UNKNOWN_ACTION");

    @TempDir
    Path dir;

    @Test
    void noPayloadOrTopicMakesTheParserThrowOrLetAnOutOfRangeFieldThrough() throws Exception {
        Path file = Faults.write(dir.resolve("hosts.yaml"), "version: 1\nhosts:\n"
                + Faults.host("pve", 1, 9, 1, null) + Faults.host("a-b_c", 2, 9, 1, null) + Faults.host("9", 3, 9, 1, null));
        Inventory inventory = InventoryLoader.load(file);
        Instant now = Instant.parse("2026-11-25T16:07:00.123Z");
        CommandParser parser = new CommandParser("cubeguardian", inventory, new CommandIds(), Clock.fixed(now, ZoneOffset.UTC));
        FuzzInput input = new FuzzInput(new Random(Long.getLong("faults.seed", 20261125L)));
        int runs = 100_000;
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < runs && problems.size() < 20; i++) {
            FuzzInput.Case c = input.next();
            MqttProperties properties = null;
            if (c.expirySeconds() != null) {
                properties = new MqttProperties();
                properties.setMessageExpiryInterval(c.expirySeconds());
            }
            Admission admission;
            try {
                admission = parser.parse(c.topic(), c.payload(), properties);
            } catch (Throwable thrown) {
                problems.add("#" + i + " threw " + thrown + " on " + c);
                continue;
            }
            String problem = check(admission, inventory, now, c);
            if (problem != null) {
                problems.add("#" + i + " " + problem + " on " + c);
            }
            String key = admission instanceof Rejection r
                    ? r.outcome().code() + (r.outcome().details().get("reason") == null ? "" : "." + r.outcome().details().get("reason"))
                    : "COMMAND";
            outcomes.merge(key, 1, Integer::sum);
        }
        Faults.log("parser fuzz: %d cases in %d ms; outcomes %s", runs, (System.nanoTime() - start) / 1_000_000, outcomes);
        assertEquals(List.of(), problems);
        assertTrue(outcomes.getOrDefault("COMMAND", 0) > runs / 20, "the generator must reach valid commands too: " + outcomes);
    }

    /** Paho never hands over a null topic, but the parser's own contract is "never throws on bad input". */
    @Test
    void aNullTopicIsRejectedNotThrown() throws Exception {
        Path file = Faults.write(dir.resolve("hosts.yaml"), "version: 1\nhosts:\n" + Faults.host("pve", 1, 9, 1, null));
        CommandParser parser = new CommandParser("cubeguardian", InventoryLoader.load(file), new CommandIds(), Clock.systemUTC());
        Admission admission = parser.parse(null, "{\"id\":\"n-1\"}".getBytes(StandardCharsets.UTF_8), null);
        assertEquals("INVALID_COMMAND", ((Rejection) admission).outcome().code().name());
    }

    private static String check(Admission admission, Inventory inventory, Instant now, FuzzInput.Case c) {
        if (admission == null) {
            return "null admission";
        }
        if (admission instanceof Rejection rejection) {
            String code = rejection.outcome().code().name();
            if (!REJECTION_CODES.contains(code)) {
                return "unexpected rejection code " + code;
            }
            String id = rejection.replyAddress().id();
            if (id == null || !(ID.matcher(id).matches() || GENERATED_ID.matcher(id).matches())) {
                return "rejection without a usable id: " + id;
            }
            if (rejection.replyAddress().host() != null && !CommandParser.HOST_ID.matcher(rejection.replyAddress().host()).matches()) {
                return "answer addressed to a host level that is not a host id: " + rejection.replyAddress().host();
            }
            if (rejection.outcome().details().get("reason") == null && code.equals(ResultCode.INVALID_COMMAND.name())) {
                return "INVALID_COMMAND without details.reason";
            }
            if (c.expectValid()) {
                return "a valid command was refused: " + rejection.outcome();
            }
            return null;
        }
        Command command = (Command) admission;
        if (!CommandParser.HOST_ID.matcher(command.host()).matches() || inventory.host(command.host()).isEmpty()) {
            return "command for a host not in the inventory: " + command.host();
        }
        if (command.action() == null) {
            return "no action";
        }
        if (command.id() == null || !(command.idGenerated() ? GENERATED_ID : ID).matcher(command.id()).matches()) {
            return "bad id " + command.id();
        }
        if (command.delayMinutes() < 0 || command.delayMinutes() > 1440) {
            return "delay out of range " + command.delayMinutes();
        }
        String by = command.requestedBy();
        if (by != null && (by.isEmpty() || by.length() > 128 || by.chars().anyMatch(Character::isISOControl))) {
            return "requested_by out of range: " + by;
        }
        Duration ttl = Duration.between(command.receivedAt(), command.expiresAt());
        if (ttl.isNegative() || ttl.compareTo(Duration.ofSeconds(86_400)) > 0) {
            return "ttl out of range " + ttl;
        }
        if (!command.receivedAt().equals(now)) {
            return "receivedAt is not the clock's";
        }
        if (c.expectValid()) {
            FuzzInput.Valid v = c.valid();
            long expectedTtl = v.ttl() == null ? Action.valueOf(v.action().toUpperCase()).defaultTtlSeconds() : v.ttl();
            if (c.expirySeconds() != null) {
                expectedTtl = Math.min(expectedTtl, c.expirySeconds());
            }
            if (!command.host().equals(v.host()) || !command.action().wireName().equals(v.action())
                    || (v.id() != null && !command.id().equals(v.id())) || command.delayMinutes() != (v.delay() == null ? 0 : v.delay())
                    || command.force() != (v.force() != null && v.force())
                    || !java.util.Objects.equals(command.requestedBy(), v.requestedBy()) || ttl.getSeconds() != expectedTtl) {
                return "valid command parsed as " + command + ", expected " + v;
            }
        }
        return null;
    }

    /** For the record in a failure message. */
    static String show(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
