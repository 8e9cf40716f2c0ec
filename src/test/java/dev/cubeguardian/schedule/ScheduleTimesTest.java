package dev.cubeguardian.schedule;

import static dev.cubeguardian.schedule.Schedules.NEW_YORK;
import static dev.cubeguardian.schedule.Schedules.PARIS;
import static dev.cubeguardian.schedule.Schedules.at;
import static dev.cubeguardian.schedule.Schedules.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cubeguardian.config.ScheduleEntry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * When an entry fires, by the contract's daylight-saving rules: a wall-clock time that does not
 * exist that day is skipped, one that occurs twice fires once, at its first occurrence.
 * Europe/Paris: 2026-03-29 02:00 -> 03:00 and 2026-10-25 03:00 -> 02:00; America/New_York:
 * 2026-03-08 02:00 -> 03:00 and 2026-11-01 02:00 -> 01:00.
 */
class ScheduleTimesTest {

    private static ZonedDateTime next(String cron, ZonedDateTime after) {
        return ScheduleTimes.next(entry(cron), after, after.getZone()).orElseThrow();
    }

    /** The firings strictly after {@code from} up to and including {@code until}, as "local+offset" strings. */
    private static List<String> firings(String cron, ZonedDateTime from, ZonedDateTime until) {
        ScheduleEntry entry = entry(cron);
        List<String> times = new ArrayList<>();
        Optional<ZonedDateTime> next = ScheduleTimes.next(entry, from, from.getZone());
        while (next.isPresent() && !next.get().isAfter(until)) {
            times.add(next.get().toOffsetDateTime().toString());
            next = ScheduleTimes.next(entry, next.get(), from.getZone());
        }
        return times;
    }

    // ---- Europe/Paris, spring: 02:00 -> 03:00 on 2026-03-29

    @Test
    void parisSpringATimeInTheGapIsSkippedThatDay() {
        assertEquals(at("2026-03-28T02:30", PARIS), next("30 2 * * *", at("2026-03-27T12:00", PARIS)));
        assertEquals(at("2026-03-30T02:30", PARIS), next("30 2 * * *", at("2026-03-28T12:00", PARIS)), "not 03:30 on the 29th");
        assertEquals(at("2026-03-30T02:00", PARIS), next("0 2 * * *", at("2026-03-28T12:00", PARIS)));
        // the minutes just around the gap are still there
        assertEquals(at("2026-03-29T01:59", PARIS), next("59 1 * * *", at("2026-03-28T12:00", PARIS)));
        assertEquals(at("2026-03-29T03:00", PARIS), next("0 3 * * *", at("2026-03-28T12:00", PARIS)));
    }

    @Test
    void parisSpringHourlyFiresAtEveryHourThatExists() {
        assertEquals(List.of("2026-03-29T01:00+01:00", "2026-03-29T03:00+02:00", "2026-03-29T04:00+02:00"),
                firings("0 * * * *", at("2026-03-29T00:30", PARIS), at("2026-03-29T04:00", PARIS)));
    }

    @Test
    void parisSpringEveryQuarterHourSkipsTheMissingHour() {
        assertEquals(List.of("2026-03-29T01:30+01:00", "2026-03-29T01:45+01:00", "2026-03-29T03:00+02:00", "2026-03-29T03:15+02:00"),
                firings("*/15 * * * *", at("2026-03-29T01:15", PARIS), at("2026-03-29T03:15", PARIS)));
        // a 23-hour day: 92 quarter hours
        assertEquals(92, firings("*/15 * * * *", at("2026-03-28T23:59", PARIS), at("2026-03-29T23:59", PARIS)).size());
    }

    // ---- Europe/Paris, autumn: 03:00 -> 02:00 on 2026-10-25, 02:00-02:59 twice

    @Test
    void parisAutumnARepeatedTimeFiresOnceAtItsFirstOccurrence() {
        assertEquals(List.of("2026-10-24T02:30+02:00", "2026-10-25T02:30+02:00", "2026-10-26T02:30+01:00"),
                firings("30 2 * * *", at("2026-10-23T12:00", PARIS), at("2026-10-26T12:00", PARIS)));
        // asked between the two occurrences, or during the second: the next day
        assertEquals(at("2026-10-26T02:30", PARIS), next("30 2 * * *", at("2026-10-25T02:40+02:00", PARIS, true)));
        assertEquals(at("2026-10-26T02:30", PARIS), next("30 2 * * *", at("2026-10-25T02:10+01:00", PARIS, true)));
        assertEquals(at("2026-10-26T02:30", PARIS), next("30 2 * * *", at("2026-10-25T02:30+02:00", PARIS, true)));
    }

    @Test
    void parisAutumnHourlyDoesNotFireTheSecondTwoOClock() {
        assertEquals(List.of("2026-10-25T01:00+02:00", "2026-10-25T02:00+02:00", "2026-10-25T03:00+01:00", "2026-10-25T04:00+01:00"),
                firings("0 * * * *", at("2026-10-25T00:30", PARIS), at("2026-10-25T04:00", PARIS)));
    }

    @Test
    void parisAutumnEveryQuarterHourFiresEachWallTimeOnce() {
        assertEquals(List.of("2026-10-25T01:45+02:00", "2026-10-25T02:00+02:00", "2026-10-25T02:15+02:00", "2026-10-25T02:30+02:00",
                        "2026-10-25T02:45+02:00", "2026-10-25T03:00+01:00", "2026-10-25T03:15+01:00"),
                firings("*/15 * * * *", at("2026-10-25T01:30", PARIS), at("2026-10-25T03:15", PARIS)));
        assertEachWallTimeOnce(PARIS, "2026-10-25", 96);
    }

    // ---- America/New_York, spring: 02:00 -> 03:00 on 2026-03-08

    @Test
    void newYorkSpringATimeInTheGapIsSkippedThatDay() {
        assertEquals(at("2026-03-09T02:30", NEW_YORK), next("30 2 * * *", at("2026-03-07T12:00", NEW_YORK)));
        assertEquals(List.of("2026-03-08T01:00-05:00", "2026-03-08T03:00-04:00", "2026-03-08T04:00-04:00"),
                firings("0 * * * *", at("2026-03-08T00:30", NEW_YORK), at("2026-03-08T04:00", NEW_YORK)));
        assertEquals(List.of("2026-03-08T01:45-05:00", "2026-03-08T03:00-04:00"),
                firings("*/15 * * * *", at("2026-03-08T01:30", NEW_YORK), at("2026-03-08T03:00", NEW_YORK)));
    }

    // ---- America/New_York, autumn: 02:00 -> 01:00 on 2026-11-01, 01:00-01:59 twice

    @Test
    void newYorkAutumnARepeatedTimeFiresOnceAtItsFirstOccurrence() {
        assertEquals(List.of("2026-11-01T01:30-04:00", "2026-11-02T01:30-05:00"),
                firings("30 1 * * *", at("2026-10-31T12:00", NEW_YORK), at("2026-11-02T12:00", NEW_YORK)));
        // 02:30 is not repeated there: it comes once, in standard time
        assertEquals(List.of("2026-11-01T02:30-05:00"),
                firings("30 2 * * *", at("2026-10-31T12:00", NEW_YORK), at("2026-11-01T12:00", NEW_YORK)));
        assertEquals(at("2026-11-02T01:30", NEW_YORK), next("30 1 * * *", at("2026-11-01T01:10-05:00", NEW_YORK, true)));
    }

    @Test
    void newYorkAutumnHourlyAndEveryQuarterHour() {
        assertEquals(List.of("2026-11-01T00:00-04:00", "2026-11-01T01:00-04:00", "2026-11-01T02:00-05:00", "2026-11-01T03:00-05:00"),
                firings("0 * * * *", at("2026-10-31T23:30", NEW_YORK), at("2026-11-01T03:00", NEW_YORK)));
        assertEquals(List.of("2026-11-01T01:45-04:00", "2026-11-01T02:00-05:00"),
                firings("*/15 * * * *", at("2026-11-01T01:30", NEW_YORK), at("2026-11-01T02:00", NEW_YORK)));
        assertEachWallTimeOnce(NEW_YORK, "2026-11-01", 96);
    }

    /** Over a 25-hour day, every quarter hour of the clock once: {@code count} firings, all different wall times. */
    private static void assertEachWallTimeOnce(ZoneId zone, String day, int count) {
        ZonedDateTime start = at(day + "T00:00", zone).minusMinutes(1);
        ZonedDateTime end = at(day + "T23:59", zone);
        List<String> times = firings("*/15 * * * *", start, end);
        Set<LocalDateTime> wall = new HashSet<>();
        times.forEach(t -> wall.add(java.time.OffsetDateTime.parse(t).toLocalDateTime()));
        assertEquals(count, times.size(), times.toString());
        assertEquals(count, wall.size(), "each wall time once: " + times);
        assertEquals(Duration.ofHours(25), Duration.between(at(day + "T00:00", zone), at(day + "T00:00", zone).plusDays(1)));
    }

    // ---- fields

    @Test
    void dayOfWeekNamesNumbersAndRanges() {
        ZonedDateTime wednesday = at("2026-12-02T12:00", PARIS);
        assertEquals(at("2026-12-04T18:00", PARIS), next("0 18 * * FRI", wednesday));
        assertEquals(at("2026-12-04T18:00", PARIS), next("0 18 * * fri", wednesday));
        assertEquals(at("2026-12-04T18:00", PARIS), next("0 18 * * 5", wednesday));
        for (String sunday : List.of("SUN", "0", "7")) {
            assertEquals(at("2026-12-06T09:00", PARIS), next("0 9 * * " + sunday, wednesday), sunday);
        }
        assertEquals(List.of("2026-12-02T18:00+01:00", "2026-12-03T18:00+01:00", "2026-12-04T18:00+01:00", "2026-12-07T18:00+01:00"),
                firings("0 18 * * MON-FRI", wednesday, at("2026-12-07T18:00", PARIS)));
        assertEquals(List.of("2026-12-05T10:00+01:00", "2026-12-06T10:00+01:00", "2026-12-12T10:00+01:00"),
                firings("0 10 * * SAT,SUN", wednesday, at("2026-12-12T10:00", PARIS)));
        // a step over the days, as in crontab(5): 0,2,4,6 = Sun, Tue, Thu, Sat
        assertEquals(List.of("2026-12-03T09:00+01:00", "2026-12-05T09:00+01:00", "2026-12-06T09:00+01:00", "2026-12-08T09:00+01:00"),
                firings("0 9 * * */2", wednesday, at("2026-12-08T09:00", PARIS)));
        assertEquals(at("2027-01-01T00:00", PARIS), next("0 0 1 JAN *", wednesday));
    }

    @Test
    void dayOfMonthAndDayOfWeekTogetherMeanEitherAsInCrontab() {
        // crontab(5): "if both fields are restricted, the command runs when either matches"
        assertEquals(List.of("2026-12-04T00:00+01:00", "2026-12-11T00:00+01:00", "2026-12-13T00:00+01:00", "2026-12-18T00:00+01:00"),
                firings("0 0 13 * FRI", at("2026-12-02T12:00", PARIS), at("2026-12-18T00:00", PARIS)));
    }

    @Test
    void aDayFieldStartingWithAStarDoesNotRestrictSoBothMustMatch() {
        // crontab(5): "restricted (i.e., don't start with *)"; cron-utils alone would fire every Sunday, Tuesday...
        assertEquals(List.of("2026-12-13T00:00+01:00", "2027-02-13T00:00+01:00"),
                firings("0 0 13 * */2", at("2026-12-02T12:00", PARIS), at("2027-03-01T00:00", PARIS)),
                "the 13th when it is a Sunday (Dec), not a Wednesday (Jan), a Saturday (Feb)");
        // every other day of the month (1, 3, 5, ...) that is a Monday
        assertEquals(List.of("2026-12-07T00:00+01:00", "2026-12-21T00:00+01:00"),
                firings("0 0 */2 * MON", at("2026-12-01T00:00", PARIS), at("2026-12-31T00:00", PARIS)));
        // and a plain * still leaves the other field alone
        assertEquals(4, firings("0 0 * * MON", at("2026-12-01T00:00", PARIS), at("2026-12-31T00:00", PARIS)).size());
    }

    @Test
    void february29thFiresInLeapYearsOnlyAndFebruary30thNever() {
        assertEquals(List.of("2028-02-29T00:00+01:00", "2032-02-29T00:00+01:00"),
                firings("0 0 29 2 *", at("2026-01-01T00:00", PARIS), at("2035-01-01T00:00", PARIS)));
        assertEquals(Optional.empty(), ScheduleTimes.next(entry("0 0 30 2 *"), at("2026-01-01T00:00", PARIS), PARIS));
        assertEquals(Optional.empty(), ScheduleTimes.next(entry("0 0 31 4 *"), at("2026-01-01T00:00", PARIS), PARIS));
    }

    @Test
    void strictlyAfterAndInTheSchedulesZoneWhateverZoneTheClockGives() {
        assertEquals(at("2026-12-11T18:00", PARIS), next("0 18 * * FRI", at("2026-12-04T18:00", PARIS)), "not the time asked at");
        assertEquals(at("2026-12-04T18:00", PARIS), next("0 18 * * FRI", at("2026-12-04T17:59:59.999", PARIS)));
        ZonedDateTime utc = Instant.parse("2026-12-04T16:30:00Z").atZone(ZoneOffset.UTC);
        ZonedDateTime inParis = ScheduleTimes.next(entry("0 18 * * FRI"), utc, PARIS).orElseThrow();
        assertEquals(at("2026-12-04T18:00", PARIS), inParis);
        assertEquals(PARIS, inParis.getZone());
        assertEquals(at("2026-12-04T18:00", NEW_YORK), ScheduleTimes.next(entry("0 18 * * FRI"), utc, NEW_YORK).orElseThrow());
    }
}
