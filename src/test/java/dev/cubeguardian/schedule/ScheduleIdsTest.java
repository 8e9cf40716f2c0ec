package dev.cubeguardian.schedule;

import static dev.cubeguardian.schedule.Schedules.PARIS;
import static dev.cubeguardian.schedule.Schedules.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** sched-<host>-<action>-<yyyyMMddHHmm>: the same on every worker and after every restart, and a valid command id. */
class ScheduleIdsTest {

    /** The contract's command id (docs/mqtt-api.md), as CommandParser checks it. */
    private static final Pattern COMMAND_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final ZonedDateTime FRIDAY = at("2026-12-04T18:00", PARIS);

    @Test
    void hostActionAndTheWallClockMinuteOfTheSchedulesZone() {
        assertEquals("sched-pve-wake-202612041800", ScheduleIds.of("pve", "wake", FRIDAY));
        assertEquals("sched-pve-shutdown-202612050200", ScheduleIds.of("pve", "shutdown", at("2026-12-05T02:00", PARIS)));
        assertEquals("sched-attic_box-2-check-202601010000", ScheduleIds.of("attic_box-2", "check", at("2026-01-01T00:00", PARIS)));
        // the minute as the schedule's zone reads it, not UTC's
        assertEquals("sched-pve-wake-202612041800", ScheduleIds.of("pve", "wake", FRIDAY.withZoneSameInstant(PARIS)));
        assertEquals("sched-pve-wake-202612041700", ScheduleIds.of("pve", "wake", FRIDAY.withZoneSameInstant(ZoneOffset.UTC)));
    }

    @Test
    void deterministic() {
        String longHost = "a".repeat(63);
        assertEquals(ScheduleIds.of("pve", "wake", FRIDAY), ScheduleIds.of("pve", "wake", at("2026-12-04T18:00", PARIS)));
        assertEquals(ScheduleIds.of(longHost, "shutdown", FRIDAY), ScheduleIds.of(longHost, "shutdown", FRIDAY));
        assertNotEquals(ScheduleIds.of("pve", "wake", FRIDAY), ScheduleIds.of("pve", "wake", FRIDAY.plusMinutes(1)));
        assertNotEquals(ScheduleIds.of("pve", "wake", FRIDAY), ScheduleIds.of("pve", "check", FRIDAY));
    }

    @Test
    void aShortEnoughIdIsKeptWhole() {
        String host = "h".repeat(40); // sched- + 40 + -wake- + 12 = 64
        String id = ScheduleIds.of(host, "wake", FRIDAY);
        assertEquals("sched-" + host + "-wake-202612041800", id);
        assertEquals(64, id.length());
    }

    @Test
    void aLongHostIsShortenedWithAHashToAtMost64Characters() {
        String host = "minecraft-survival-world-of-the-whole-family-and-friends-server"; // 63, the longest host id
        assertEquals(63, host.length());
        for (String action : new String[] {"wake", "check", "cancel", "shutdown"}) {
            String id = ScheduleIds.of(host, action, FRIDAY);
            assertTrue(id.length() <= 64, id + " has " + id.length());
            assertTrue(COMMAND_ID.matcher(id).matches(), id);
            assertTrue(id.startsWith("sched-minecraft-survival-"), id);
            assertTrue(id.endsWith("-" + action + "-202612041800"), id);
            assertTrue(Pattern.matches("sched-[a-z0-9_-]+-[0-9a-f]{8}-" + action + "-202612041800", id), id);
        }
        assertEquals(64, ScheduleIds.of(host, "shutdown", FRIDAY).length());
        // as docs/mqtt-api.md shows it: the first 8 hex digits of the SHA-256 of the host id
        assertEquals("sched-minecraft-survival-world-of-807e76a5-shutdown-202612030200",
                ScheduleIds.of(host, "shutdown", at("2026-12-03T02:00", PARIS)));
        assertEquals("sched-minecraft-survival-world-of-the-807e76a5-wake-202612030200",
                ScheduleIds.of(host, "wake", at("2026-12-03T02:00", PARIS)));
        // two long hosts that begin alike keep different ids
        String other = host.substring(0, 62) + "s";
        assertNotEquals(ScheduleIds.of(host, "shutdown", FRIDAY), ScheduleIds.of(other, "shutdown", FRIDAY));
        assertNotEquals(ScheduleIds.of(host, "wake", FRIDAY), ScheduleIds.of(other, "wake", FRIDAY));
    }
}
