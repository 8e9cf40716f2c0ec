package dev.cubeguardian.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The inventory's duration syntax: a whole number with an optional unit ({@code ms}, {@code s},
 * {@code m}, {@code h}); a bare number means seconds. Whole numbers only, so that "1.5m" cannot
 * be read two ways; people write {@code 90s} instead.
 */
public final class Durations {

    private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m|h)?");
    private static final Pattern FRACTION = Pattern.compile("[0-9]*\\.[0-9]+(ms|s|m|h)?");
    private static final String EXPECTED =
            "expected a whole number with an optional unit ms, s, m or h, e.g. 500ms, 30s, 10m; a plain number is seconds";

    private Durations() {
    }

    /** @throws IllegalArgumentException naming the text and the accepted syntax */
    public static Duration parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a duration is required (" + EXPECTED + ")");
        }
        if (text.startsWith("-")) {
            throw new IllegalArgumentException("'" + text + "' is negative; durations must be 0 or more");
        }
        if (FRACTION.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' has a fraction; use a smaller unit instead (e.g. 1500ms, 90s)");
        }
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (" + EXPECTED + ")");
        }
        try {
            long amount = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large to be a duration");
        }
    }

    /**
     * The shortest text {@link #parse} reads back as the same duration, in the largest unit that
     * divides it exactly ("100ms", "10s", "90s", "10m", "2h"). Sub-millisecond or negative values
     * never come from the inventory; they fall back to ISO-8601 so a log still shows something true.
     */
    public static String format(Duration duration) {
        if (duration.isNegative() || duration.getNano() % 1_000_000 != 0) {
            return duration.toString();
        }
        if (duration.isZero()) {
            return "0s";
        }
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1_000 == 0) {
            return millis / 1_000 + "s";
        }
        return millis + "ms";
    }
}
