package dev.cubeguardian.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The come-back estimate: the median of the last five start-ups, so one slow boot does not spoil it. */
class StartupHistoryTest {

    private static StartupHistory of(long... seconds) {
        StartupHistory history = new StartupHistory();
        for (long s : seconds) {
            history.record(Duration.ofSeconds(s));
        }
        return history;
    }

    @Test
    void noStartUpSeenNoEstimate() {
        assertEquals(Optional.empty(), new StartupHistory().estimate());
    }

    @Test
    void oneStartUpIsTheEstimate() {
        assertEquals(Optional.of(Duration.ofSeconds(42)), of(42).estimate());
    }

    @Test
    void theMedianIgnoresOneSlowBoot() {
        assertEquals(Optional.of(Duration.ofSeconds(40)), of(40, 38, 600, 41, 39).estimate());
    }

    @Test
    void anEvenCountTakesTheLongerOfTheMiddleTwo() {
        // rather a player who comes back a little late than one who finds it still starting
        assertEquals(Optional.of(Duration.ofSeconds(50)), of(30, 50).estimate());
        assertEquals(Optional.of(Duration.ofSeconds(45)), of(60, 40, 45, 30).estimate());
    }

    @Test
    void onlyTheLastFiveCount() {
        // five slow boots before an upgrade, then five fast ones: the estimate follows the machine as it is now
        assertEquals(Optional.of(Duration.ofSeconds(20)), of(300, 300, 300, 300, 300, 20, 21, 19, 22, 18).estimate());
        assertEquals(Optional.of(Duration.ofSeconds(300)), of(20, 300, 300, 300, 20, 20).estimate());
    }

    @Test
    void aNegativeDurationFromAClockStepIsIgnored() {
        StartupHistory history = of(40);
        history.record(Duration.ofSeconds(-5));

        assertEquals(Optional.of(Duration.ofSeconds(40)), history.estimate());
    }
}
