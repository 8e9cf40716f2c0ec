package dev.cubeguardian.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({
        "0,       0",
        "30,      30000",
        "0s,      0",
        "500ms,   500",
        "0ms,     0",
        "1s,      1000",
        "30s,     30000",
        "10m,     600000",
        "2h,      7200000",
        "007s,    7000",
        "1500ms,  1500",
    })
    void parses(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), Durations.parse(text));
    }

    @ParameterizedTest(name = "rejects \"{0}\"")
    @ValueSource(strings = {"", " ", "-1", "-5s", "1.5", "1.5s", "1.5.2s", "s", "ms", "10x", "10S", "10 s",
        " 10s", "10s ", "1d", "+5s", "5sec", "1m30s", "0x10", "PT5S", "99999999999999999999s", "9999999999999999h"})
    void rejects(String text) {
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "-5s"})
    void negativeSaysSo(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertEquals("'" + text + "' is negative; durations must be 0 or more", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5s", "0.5"})
    void fractionSuggestsSmallerUnit(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertEquals("'" + text + "' has a fraction; use a smaller unit instead (e.g. 1500ms, 90s)", e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void unknownUnitListsTheUnits() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("10x"));
        assertEquals("'10x' is not a duration (expected a whole number with an optional unit ms, s, m or h,"
                + " e.g. 500ms, 30s, 10m; a plain number is seconds)", e.getMessage());
    }

    @ParameterizedTest(name = "{0} ms -> {1}")
    @CsvSource({
        "0,        0s",
        "100,      100ms",
        "1500,     1500ms",
        "10000,    10s",
        "90000,    90s",
        "600000,   10m",
        "5400000,  90m",
        "7200000,  2h",
    })
    void formats(long millis, String text) {
        assertEquals(text, Durations.format(Duration.ofMillis(millis)));
        assertEquals(Duration.ofMillis(millis), Durations.parse(text));
    }

    @org.junit.jupiter.api.Test
    void formatFallsBackToIsoForWhatTheFileCannotSay() {
        assertEquals("PT0.0000015S", Durations.format(Duration.ofNanos(1500)));
        assertTrue(Durations.format(Duration.ofSeconds(-3)).startsWith("PT-3S"));
    }
}
