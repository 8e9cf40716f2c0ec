package dev.cubeguardian.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cubeguardian.config.ScheduleEntry;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * ScheduleTimes against a reference that walks the clock minute by minute: random expressions
 * (seeded) in zones with daylight saving (Lord Howe's is half an hour), around their
 * transitions. The reference is the contract read literally: every real minute whose wall-clock
 * time matches the fields as crontab(5) reads them (day of month OR day of week when both are
 * restricted, AND when either starts with *), except a wall-clock time seen a second time.
 */
class ScheduleTimesPropertyTest {

    private static final List<ZoneId> ZONES = List.of(ZoneId.of("Europe/Paris"), ZoneId.of("America/New_York"),
            ZoneId.of("Australia/Lord_Howe"), ZoneId.of("UTC"));
    private static final int ROUNDS = 150;
    private static final String[] DAY_NAMES = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

    /** One field as written and the values it stands for. */
    private record Field(String text, Set<Integer> values, boolean star) {
    }

    /** Values written out come from {@code min..written}; {@code *} stands for {@code min..max}. */
    private static Field field(Random random, int min, int max, int written, boolean names) {
        return field(random, min, max, written, names, random.nextInt(8));
    }

    private static Field field(Random random, int min, int max, int written, boolean names, int kind) {
        int a = min + random.nextInt(written - min + 1);
        int b = a + random.nextInt(written - a + 1);
        int step = 1 + random.nextInt(Math.max(1, (max - min) / 2));
        Set<Integer> values = new TreeSet<>();
        return switch (kind) {
            case 0, 1 -> {
                for (int v = min; v <= max; v++) {
                    values.add(v);
                }
                yield new Field("*", values, true);
            }
            case 2 -> new Field(names ? DAY_NAMES[a % 7] : String.valueOf(a), Set.of(a), false);
            case 3 -> {
                for (int v = a; v <= b; v++) {
                    values.add(v);
                }
                yield new Field(a + "-" + b, values, false);
            }
            case 4 -> {
                for (int v = min; v <= max; v += step) {
                    values.add(v);
                }
                yield new Field("*/" + step, values, true);
            }
            case 5 -> {
                for (int v = a; v <= b; v += step) {
                    values.add(v);
                }
                yield new Field(a + "-" + b + "/" + step, values, false);
            }
            default -> new Field(a + "," + b, new TreeSet<>(List.of(a, b)), false);
        };
    }

    private record Expression(String text, Field minute, Field hour, Field dom, Field month, Field dow) {

        boolean matches(LocalDateTime t) {
            if (!minute.values().contains(t.getMinute()) || !hour.values().contains(t.getHour())
                    || !month.values().contains(t.getMonthValue())) {
                return false;
            }
            boolean domMatch = dom.values().contains(t.getDayOfMonth());
            int day = t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue();
            boolean dowMatch = dow.values().contains(day) || (day == 0 && dow.values().contains(7));
            // crontab(5) as Vixie cron implements it: a field starting with * does not restrict the day
            return dom.star() || dow.star() ? domMatch && dowMatch : domMatch || dowMatch;
        }
    }

    private static Expression expression(Random random) {
        Field minute = field(random, 0, 59, 59, false);
        Field hour = field(random, 0, 23, 23, false);
        // days of the month written up to 28, so every month has them and no expression is rare
        // the day fields are mostly *, so that many expressions fire on the day the clocks change
        Field dom = random.nextInt(3) == 0 ? field(random, 1, 31, 28, false) : field(random, 1, 31, 31, false, 0);
        Field month = random.nextInt(3) == 0 ? field(random, 1, 12, 12, false) : field(random, 1, 12, 12, false, 0);
        Field dow = random.nextInt(3) == 0 ? field(random, 0, 6, 6, random.nextBoolean()) : field(random, 0, 6, 6, false, 0);
        return new Expression(String.join(" ", minute.text(), hour.text(), dom.text(), month.text(), dow.text()),
                minute, hour, dom, month, dow);
    }

    /** The contract's firings strictly after {@code from}, up to {@code until}: a walk over every real minute. */
    private static List<Instant> reference(Expression expression, ZoneId zone, Instant from, Instant until) {
        List<Instant> times = new ArrayList<>();
        for (Instant t = from.plusSeconds(60 - from.getEpochSecond() % 60); !t.isAfter(until); t = t.plusSeconds(60)) {
            ZonedDateTime local = t.atZone(zone);
            List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local.toLocalDateTime());
            boolean secondTime = offsets.size() == 2 && local.getOffset().equals(offsets.get(1));
            if (!secondTime && expression.matches(local.toLocalDateTime())) {
                times.add(t);
            }
        }
        return times;
    }

    private static List<Instant> scheduleTimes(ScheduleEntry entry, ZoneId zone, Instant from, Instant until) {
        List<Instant> times = new ArrayList<>();
        Optional<ZonedDateTime> next = ScheduleTimes.next(entry, from.atZone(zone), zone);
        while (next.isPresent() && !next.get().toInstant().isAfter(until)) {
            times.add(next.get().toInstant());
            next = ScheduleTimes.next(entry, next.get(), zone);
        }
        return times;
    }

    @Test
    void randomExpressionsAroundDaylightSavingTransitionsAgreeWithAMinuteByMinuteWalk() {
        Random random = new Random(20261025L);
        int compared = 0;
        int transitions = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Expression expression = expression(random);
            ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
            // a window of 40 hours across one of the zone's 2026 transitions (or a day in June for UTC)
            ZoneOffsetTransition transition = zone.getRules().nextTransition(Instant.parse("2026-01-01T00:00:00Z"));
            if (transition != null && random.nextBoolean()) {
                transition = zone.getRules().nextTransition(transition.getInstant());
            }
            Instant centre = transition == null ? Instant.parse("2026-06-01T00:00:00Z") : transition.getInstant();
            if (transition != null) {
                transitions++;
            }
            Instant from = centre.minus(Duration.ofHours(20)).plusSeconds(random.nextInt(3600));
            Instant until = from.plus(Duration.ofHours(40));
            ScheduleEntry entry = Schedules.entry(expression.text());
            List<Instant> expected = reference(expression, zone, from, until);
            List<Instant> actual = scheduleTimes(entry, zone, from, until);
            if (!expected.equals(actual)) {
                int i = 0;
                while (i < Math.min(expected.size(), actual.size()) && expected.get(i).equals(actual.get(i))) {
                    i++;
                }
                assertEquals(expected.size() > i ? expected.get(i) : null, actual.size() > i ? actual.get(i) : null,
                        "firing " + i + " of '" + expression.text() + "' in " + zone + " from " + from + " (" + expected.size()
                                + " expected, " + actual.size() + " found)");
            }
            compared += expected.size();
        }
        System.out.println("compared " + compared + " firings, " + transitions + " windows across a transition");
        assertEquals(true, transitions > ROUNDS / 2, "most windows cross a daylight-saving change");
    }
}
