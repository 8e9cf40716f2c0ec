package dev.cubeguardian.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The v1.1 {@code schedule} of a host and the top-level {@code time-zone}: what is accepted, and
 * every mistake named with the file, the 1-based line and the dotted key, like every other one.
 */
class ScheduleConfigTest {

    /** Lines 1-7: a host with ssh; whatever a test appends starts on line 8, at host-key indentation. */
    private static final String SSH_HOST = """
            hosts:
              pve:
                mac: "AA:BB:CC:DD:EE:FF"
                address: 192.168.1.10
                ssh:
                  key-file: id_ed25519
                  known-hosts-file: known_hosts
            """;
    /** Lines 1-4: a host without ssh. */
    private static final String PLAIN_HOST = """
            hosts:
              pve:
                mac: "AA:BB:CC:DD:EE:FF"
                address: 192.168.1.10
            """;

    @TempDir
    Path dir;
    private InventoryFiles files;

    @BeforeEach
    void setUp() {
        files = new InventoryFiles(dir);
    }

    private void assertError(String yaml, int line, String field, String detail) {
        InventoryException e = files.fail(yaml);
        assertEquals(dir.resolve("hosts.yaml") + ":" + line + ": " + field + ": " + detail, e.getMessage());
        assertEquals(line, e.line());
        assertEquals(field, e.field());
        assertEquals(detail, e.detail());
    }

    /** One entry on lines 8 (schedule:), 9 (cron) and 10 (action), and more keys from line 11. */
    private static String entry(String cron, String action, String more) {
        return "    schedule:\n      - cron: \"" + cron + "\"\n        action: " + action + "\n" + more;
    }

    @Test
    void theContractsEntriesAndEveryActionAreRead() {
        Inventory inventory = files.load(SSH_HOST + """
                    schedule:
                      - cron: "0 18 * * FRI"
                        action: wake
                      - cron: "0 2 * * *"
                        action: shutdown
                        delay_minutes: 10
                      - cron: "30 2 * * SUN"
                        action: shutdown
                        force: true
                      - cron: " */15 8-18 * jan-mar mon-fri "
                        action: check
                      - cron: "55 1 * * *"
                        action: cancel
                time-zone: Europe/Paris
                """);

        List<ScheduleEntry> schedule = inventory.host("pve").orElseThrow().schedule();
        assertEquals(List.of("0 18 * * FRI", "0 2 * * *", "30 2 * * SUN", "*/15 8-18 * jan-mar mon-fri", "55 1 * * *"),
                schedule.stream().map(ScheduleEntry::expression).toList());
        assertEquals(List.of("wake", "shutdown", "shutdown", "check", "cancel"), schedule.stream().map(ScheduleEntry::action).toList());
        assertNull(schedule.get(0).delayMinutes());
        assertNull(schedule.get(0).force());
        assertEquals(10, schedule.get(1).delayMinutes());
        assertNull(schedule.get(1).force(), "force as in the command: not set unless written");
        assertEquals(true, schedule.get(2).force());
        assertEquals(ZoneId.of("Europe/Paris"), inventory.timeZone());
    }

    @Test
    void withoutTimeZoneTheSystemZoneAndWithoutScheduleNothing() {
        Inventory inventory = files.load(PLAIN_HOST);
        assertEquals(ZoneId.systemDefault(), inventory.timeZone());
        assertEquals(List.of(), inventory.host("pve").orElseThrow().schedule());
        assertEquals(List.of(), files.load(PLAIN_HOST + "    schedule: []\n").host("pve").orElseThrow().schedule());
        assertEquals(List.of(), files.load(PLAIN_HOST + "    schedule:\n").host("pve").orElseThrow().schedule());
        assertEquals(ZoneId.of("UTC"), files.load(PLAIN_HOST + "time-zone: UTC\n").timeZone());
        assertEquals(ZoneId.of("America/New_York"), files.load("time-zone: America/New_York\n" + PLAIN_HOST).timeZone());
    }

    @Test
    void aWakeOrCheckNeedsNoSsh() {
        HostConfig host = files.load(PLAIN_HOST + """
                    schedule:
                      - {cron: "0 18 * * FRI", action: wake}
                      - {cron: "0 * * * *", action: check}
                """).host("pve").orElseThrow();
        assertEquals(List.of("wake", "check"), host.schedule().stream().map(ScheduleEntry::action).toList());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            0 18 * *          | '0 18 * *' is not a 5-field cron expression (minute hour day-of-month month day-of-week, e.g. "0 18 * * FRI")
            0 0 18 * * FRI    | '0 0 18 * * FRI' is not a 5-field cron expression (minute hour day-of-month month day-of-week, e.g. "0 18 * * FRI")
            every day at six  | 'every day at six' is not a 5-field cron expression (minute hour day-of-month month day-of-week, e.g. "0 18 * * FRI")
            60 18 * * *       | '60 18 * * *' is not a valid cron expression: 60 is out of range (0..59)
            0 24 * * *        | '0 24 * * *' is not a valid cron expression: 24 is out of range (0..23)
            0 0 0 * *         | '0 0 0 * *' is not a valid cron expression: 0 is out of range (1..31)
            0 0 * 13 *        | '0 0 * 13 *' is not a valid cron expression: 13 is out of range (1..12)
            0 0 * * 8         | '0 0 * * 8' is not a valid cron expression: 8 is out of range (0..7)
            0 18 * * FRIDAY   | '0 18 * * FRIDAY' is not a valid cron expression: 'FRIDAY' is not understood (a field is *, a number, a range a-b, a step */n or a-b/n, or a list a,b; days may be MON..SUN, months JAN..DEC)
            a b c d e         | 'a b c d e' is not a valid cron expression: 'a' is not understood (a field is *, a number, a range a-b, a step */n or a-b/n, or a list a,b; days may be MON..SUN, months JAN..DEC)
            0 0 L * *         | '0 0 L * *' is not a valid cron expression: 'L' is not understood (a field is *, a number, a range a-b, a step */n or a-b/n, or a list a,b; days may be MON..SUN, months JAN..DEC)
            0 0 1W * *        | '0 0 1W * *' is not a valid cron expression: '1W' is not understood (a field is *, a number, a range a-b, a step */n or a-b/n, or a list a,b; days may be MON..SUN, months JAN..DEC)
            0 0 * * 5#2       | '0 0 * * 5#2' is not a valid cron expression: '5#2' is not understood (a field is *, a number, a range a-b, a step */n or a-b/n, or a list a,b; days may be MON..SUN, months JAN..DEC)
            */0 * * * *       | '*/0 * * * *' is not a valid cron expression: a step of 0 is not allowed (at least 1)
            0 0 * * 1-5/      | '0 0 * * 1-5/' is not a valid cron expression: it cannot be read (a field is *, a number, a range a-b, a step */n or a-b/n, or a list a,b; days may be MON..SUN, months JAN..DEC)
            0 0 * * 1/        | '0 0 * * 1/' is not a valid cron expression: Missing steps for expression: 1/
            5-1 * * * *       | '5-1 * * * *' is not a valid cron expression: the range 5-1 goes backwards (write the smaller value first)
            0 0 30 2 *        | '0 0 30 2 *' never fires (none of its months has that day)
            0 0 31 4,6,9,11 * | '0 0 31 4,6,9,11 *' never fires (none of its months has that day)
            0 0 30 2 */2      | '0 0 30 2 */2' never fires (none of its months has that day)
            """)
    void aBadCronNamesTheCronKey(String cron, String detail) {
        assertError(SSH_HOST + entry(cron, "wake", ""), 9, "hosts.pve.schedule[0].cron", detail);
    }

    @Test
    void aCronLineInTheSecondEntryIsNamedByItsIndex() {
        assertError(SSH_HOST + entry("0 18 * * FRI", "wake", "      - cron: \"0 2 * *\"\n        action: shutdown\n"), 11,
                "hosts.pve.schedule[1].cron",
                "'0 2 * *' is not a 5-field cron expression (minute hour day-of-month month day-of-week, e.g. \"0 18 * * FRI\")");
    }

    @Test
    void anUnknownActionIsNamed() {
        assertError(SSH_HOST + entry("0 18 * * FRI", "reboot", ""), 10, "hosts.pve.schedule[0].action",
                "'reboot' is not a scheduled action (expected one of: wake, shutdown, cancel, check)");
        assertError(SSH_HOST + entry("0 18 * * FRI", "Wake", ""), 10, "hosts.pve.schedule[0].action",
                "'Wake' is not a scheduled action (expected one of: wake, shutdown, cancel, check)");
    }

    @Test
    void delayAndForceOnlyWithAShutdown() {
        assertError(SSH_HOST + entry("0 18 * * FRI", "wake", "        delay_minutes: 5\n"), 11,
                "hosts.pve.schedule[0].delay_minutes", "is only used with action: shutdown");
        assertError(SSH_HOST + entry("0 18 * * FRI", "cancel", "        force: true\n"), 11,
                "hosts.pve.schedule[0].force", "is only used with action: shutdown");
        assertError(SSH_HOST + entry("0 18 * * FRI", "check", "        force: false\n"), 11,
                "hosts.pve.schedule[0].force", "is only used with action: shutdown");
    }

    @Test
    void delayAndForceAreCheckedLikeTheCommandsFields() {
        assertError(SSH_HOST + entry("0 2 * * *", "shutdown", "        delay_minutes: 1441\n"), 11,
                "hosts.pve.schedule[0].delay_minutes", "1441 is out of range (0..1440)");
        assertError(SSH_HOST + entry("0 2 * * *", "shutdown", "        delay_minutes: \"5\"\n"), 11,
                "hosts.pve.schedule[0].delay_minutes", "expected a whole number from 0 to 1440, got the text '5'");
        assertError(SSH_HOST + entry("0 2 * * *", "shutdown", "        force: \"yes\"\n"), 11,
                "hosts.pve.schedule[0].force", "expected true or false, got the text 'yes'");
    }

    @Test
    void aShutdownOrCancelOnAHostWithoutSshIsNamedAtItsAction() {
        assertError(PLAIN_HOST + "    schedule:\n      - cron: \"0 18 * * FRI\"\n        action: wake\n"
                        + "      - cron: \"0 2 * * *\"\n        action: shutdown\n", 9,
                "hosts.pve.schedule[1].action", "'shutdown' needs the host's ssh section: without one it cannot be shut down");
        assertError(PLAIN_HOST + "    schedule:\n      - cron: \"0 2 * * *\"\n        action: cancel\n", 7,
                "hosts.pve.schedule[0].action", "'cancel' needs the host's ssh section: without one it cannot be shut down");
    }

    @Test
    void anEntryMissesNothingAndKnowsItsKeys() {
        assertError(SSH_HOST + "    schedule:\n      - action: wake\n", 9, "hosts.pve.schedule[0].cron", "is required");
        assertError(SSH_HOST + "    schedule:\n      - cron: \"0 18 * * FRI\"\n", 9, "hosts.pve.schedule[0].action", "is required");
        assertError(SSH_HOST + "    schedule:\n      - cron: \"0 18 * * FRI\"\n        action:\n", 10,
                "hosts.pve.schedule[0].action", "is required but has no value");
        assertError(SSH_HOST + entry("0 18 * * FRI", "wake", "        at: \"18:00\"\n"), 11, "hosts.pve.schedule[0].at",
                "unknown key (expected one of: cron, action, delay_minutes, force)");
        assertError(SSH_HOST + "    schedule:\n      - \"0 18 * * FRI\"\n", 9, "hosts.pve.schedule[0]",
                "expected a mapping of keys, got the text '0 18 * * FRI'");
        assertError(SSH_HOST + "    schedule:\n      cron: \"0 18 * * FRI\"\n      action: wake\n", 8, "hosts.pve.schedule",
                "expected a list, got a mapping");
    }

    @Test
    void atMost32EntriesPerHost() {
        String entries = "    schedule:\n" + "      - {cron: \"0 * * * *\", action: check}\n".repeat(33);
        assertError(SSH_HOST + entries, 8, "hosts.pve.schedule", "has 33 entries; at most 32");
        assertEquals(32, files.load(SSH_HOST + "    schedule:\n" + "      - {cron: \"0 * * * *\", action: check}\n".repeat(32))
                .host("pve").orElseThrow().schedule().size());
    }

    @ParameterizedTest
    @CsvSource({"Europe/Pariss", "europe/paris", "CEST", "Mars/Olympus_Mons", "'+25:00'"})
    void aBadTimeZoneIsNamed(String zone) {
        assertError(PLAIN_HOST + "time-zone: \"" + zone + "\"\n", 5, "time-zone",
                "'" + zone + "' is not a time zone (a region such as Europe/Paris or America/New_York, or UTC)");
    }

    @Test
    void anUnquotedCronIsAYamlMistakeNamedWithItsLine() {
        InventoryException e = files.fail(SSH_HOST + "    schedule:\n      - cron: * * * * *\n        action: check\n");
        assertEquals(9, e.line(), e.getMessage());
        assertEquals(dir.resolve("hosts.yaml") + ":9: invalid YAML: while scanning an alias: unexpected character found  (32)"
                + " (column 16); a value that starts with * or & must be quoted, e.g. cron: \"*/15 * * * *\"", e.getMessage());
    }
}
