package dev.cubeguardian.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import dev.cubeguardian.config.ScheduleEntry;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** Schedule entries and zoned times for the tests, written as a user would. */
final class Schedules {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private Schedules() {
    }

    static ScheduleEntry entry(String cron, String action) {
        return new ScheduleEntry(cron, PARSER.parse(cron).validate(), action, null, null);
    }

    static ScheduleEntry entry(String cron) {
        return entry(cron, "check");
    }

    /** A wall-clock time that exists once in the zone. */
    static ZonedDateTime at(String local, ZoneId zone) {
        ZonedDateTime time = LocalDateTime.parse(local).atZone(zone);
        if (!time.toLocalDateTime().equals(LocalDateTime.parse(local))) {
            throw new IllegalArgumentException(local + " does not exist in " + zone);
        }
        return time;
    }

    /** A wall-clock time with its offset, for the hour that occurs twice: "2026-10-25T02:30+01:00". */
    static ZonedDateTime at(String localWithOffset, ZoneId zone, boolean strict) {
        int split = Math.max(localWithOffset.lastIndexOf('+'), localWithOffset.lastIndexOf('-'));
        return ZonedDateTime.ofStrict(LocalDateTime.parse(localWithOffset.substring(0, split)),
                ZoneOffset.of(localWithOffset.substring(split)), zone);
    }
}
