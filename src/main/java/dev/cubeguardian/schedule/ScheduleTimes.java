package dev.cubeguardian.schedule;

import com.cronutils.model.time.ExecutionTime;
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
 */
final class ScheduleTimes {

    /** A cron that matches nothing for this many candidates in a row (Feb 30) never fires. */
    private static final int MAX_CANDIDATES = 10_000;

    private ScheduleTimes() {
    }

    /** The first firing time strictly after {@code after}; empty when the expression can never fire. */
    static Optional<ZonedDateTime> next(ScheduleEntry entry, ZonedDateTime after, ZoneId zone) {
        ExecutionTime times = ExecutionTime.forCron(entry.cron());
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
            // the second occurrence of a repeated wall-clock time: already fired at the first
            List<ZoneOffset> offsets = zone.getRules().getValidOffsets(time.toLocalDateTime());
            if (offsets.size() == 2 && time.getOffset().equals(offsets.get(1))) {
                continue;
            }
            return Optional.of(time);
        }
        return Optional.empty();
    }
}
