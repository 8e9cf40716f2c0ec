package dev.cubeguardian.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThrottledWarningTest {

    private final List<String> written = new ArrayList<>();
    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final ThrottledWarning warning = new ThrottledWarning(written::add, "Dropped an answer", Duration.ofSeconds(10), now::get);

    @Test
    void aFloodWritesOneLineAndTheNextLineCountsWhatItStoodFor() {
        for (int k = 0; k < 1_000; k++) {
            warning.warn();
        }
        assertEquals(List.of("Dropped an answer"), written);

        now.addAndGet(Duration.ofSeconds(9).toNanos());
        warning.warn();
        assertEquals(1, written.size(), "still within the period");

        now.addAndGet(Duration.ofSeconds(2).toNanos());
        warning.warn();
        assertEquals(List.of("Dropped an answer", "Dropped an answer (and 1000 more since the last warning)"), written);
    }

    @Test
    void aLoneWarningAfterAQuietPeriodIsWrittenPlain() {
        warning.warn();
        now.addAndGet(Duration.ofMinutes(5).toNanos());
        warning.warn();
        assertEquals(List.of("Dropped an answer", "Dropped an answer"), written);
    }
}
