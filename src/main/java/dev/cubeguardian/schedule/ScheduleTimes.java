package dev.cubeguardian.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.cubeguardian.config.ScheduleEntry;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

/**
 * When a schedule entry fires next, by the contract's daylight-saving rules: a wall-clock time
 * that does not exist that day (clocks jump over it) is skipped, and one that occurs twice
 * (clocks go back) fires once, at its first occurrence. Pure: no clock of its own.
 *
 * <p>Days as crontab(5) reads them: with both day fields restricted, either one matching is
 * enough; a day field that starts with {@code *} ({@code *}/2) does not count as restricted, so
 * then both must match. cron-utils takes {@code *}/2 as a restriction and would fire on either;
 * such an expression is checked against each day field alone as well.
 */
final class ScheduleTimes {

    /** A cron that matches nothing for this many candidates in a row (Feb 30) never fires. */
    private static final int MAX_CANDIDATES = 10_000;
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private ScheduleTimes() {
    }

    /** The first firing time strictly after {@code after}; empty when the expression can never fire. */
    static Optional<ZonedDateTime> next(ScheduleEntry entry, ZonedDateTime after, ZoneId zone) {
        ExecutionTime times = ExecutionTime.forCron(entry.cron());
        BothDays bothDays = BothDays.of(entry.expression());
        ZonedDateTime from = after.withZoneSameInstant(zone);
        for (int i = 0; i < MAX_CANDIDATES; i++) {
            Optional<ZonedDateTime> candidate = times.nextExecution(from);
            if (candidate.isEmpty()) {
                return Optional.empty();
            }
            ZonedDateTime time = candidate.get();
            if (!time.isAfter(from)) {
                from = from.plusMinutes(1);
                continue;
            }
            from = time;
            // a time shifted out of a daylight-saving gap no longer matches its own fields
            if (!times.isMatch(time)) {
                continue;
            }
            if (bothDays != null && !bothDays.match(time)) {
                continue;
            }
            // the second occurrence of a repeated wall-clock time: already fired at the first
            List<ZoneOffset> offsets = zone.getRules().getValidOffsets(time.toLocalDateTime());
            if (offsets.size() == 2 && time.getOffset().equals(offsets.get(1))) {
                continue;
            }
            return Optional.of(time);
        }
        return Optional.empty();
    }

    /** The expression with each day field alone: a time fires only when both match. */
    private record BothDays(ExecutionTime dayOfMonth, ExecutionTime dayOfWeek) {

        /** Null when cron-utils already reads the days as crontab does. */
        static BothDays of(String expression) {
            String[] fields = expression.trim().split("\\s+");
            String dom = fields[2];
            String dow = fields[4];
            if (dom.equals("*") || dow.equals("*") || !(dom.startsWith("*") || dow.startsWith("*"))) {
                return null;
            }
            String minuteHour = fields[0] + " " + fields[1] + " ";
            return new BothDays(ExecutionTime.forCron(PARSER.parse(minuteHour + dom + " " + fields[3] + " *")),
                    ExecutionTime.forCron(PARSER.parse(minuteHour + "* " + fields[3] + " " + dow)));
        }

        boolean match(ZonedDateTime time) {
            return dayOfMonth.isMatch(time) && dayOfWeek.isMatch(time);
        }
    }
}
