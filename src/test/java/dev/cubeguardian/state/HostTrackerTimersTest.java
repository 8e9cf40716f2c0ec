package dev.cubeguardian.state;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The monitor ticks only the trackers that say they have timers ({@link HostTracker#hasTimers});
 * a tracker that says no must have nothing that time alone moves on, or a deadline would pass
 * unnoticed (a wake without its STARTUP_TIMEOUT, an idle shutdown never asked for).
 */
class HostTrackerTimersTest {

    @Test
    void aQuietHostHasNoTimersAndTimeAloneChangesNothingForIt() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.up());
        assertFalse(f.tracker.hasTimers());
        for (int minute = 0; minute < 90; minute++) {
            f.advance(Duration.ofMinutes(1));
            Reaction reaction = f.tracker.tick();
            assertTrue(reaction.events().isEmpty(), "an event from time alone at minute " + minute);
            assertFalse(reaction.isStateMessageChanged(), "a state change from time alone at minute " + minute);
        }
    }

    @Test
    void aWakeBeingFollowedIsTickedUntilItsTimeout() {
        assertTimedUntilDone(false, f -> f.tracker.wakeSent("c-1"), TrackerFixture.STARTUP.plusSeconds(1));
    }

    @Test
    void aDelayedShutdownIsTickedUntilItsDeadline() {
        assertTimedUntilDone(true, f -> f.tracker.shutdownSent("c-2", 5),
                Duration.ofMinutes(5).plus(TrackerFixture.SHUTDOWN).plusMinutes(5));
    }

    @Test
    void aRebootBeingFollowedIsTickedUntilItsTimeout() {
        assertTimedUntilDone(false, f -> f.tracker.rebootSent("c-3"), TrackerFixture.STARTUP.plusSeconds(1));
    }

    @Test
    void idleShutdownTurnedOffForAWhileIsTickedUntilItIsBackOn() {
        assertTimedUntilDone(false, f -> f.tracker.setIdle(false, Duration.ofMinutes(20)), Duration.ofMinutes(20).plusSeconds(1));
    }

    @Test
    void anIdleGraceRunningIsTicked() {
        TrackerFixture f = TrackerFixture.minecraftHost(TrackerFixture.IDLE);
        f.observe(f.up());
        for (int minute = 0; minute < 31 && !f.tracker.hasTimers(); minute++) {
            f.advance(Duration.ofMinutes(1));
            f.observe(f.up());
        }
        assertTrue(f.tracker.hasTimers(), "the idle grace started and is not ticked");
        f.advance(TrackerFixture.IDLE.grace());
        assertTrue(f.tracker.tick().isIdleShutdown(), "the grace ended without an idle shutdown");
    }

    @Test
    void idleShutdownTurnedOffForGoodHasNothingToTime() {
        TrackerFixture f = TrackerFixture.minecraftHost(TrackerFixture.IDLE);
        f.observe(f.up());
        f.tracker.setIdle(false, null);
        assertFalse(f.tracker.hasTimers());
    }

    /** A host that is up or off; after the command it has timers, and ticking through the time given ends them. */
    private static void assertTimedUntilDone(boolean up, Consumer<TrackerFixture> command, Duration until) {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(up ? f.up() : f.nothing());
        command.accept(f);
        assertTrue(f.tracker.hasTimers(), "nothing to time after the command");
        Duration passed = Duration.ZERO;
        while (passed.compareTo(until) < 0) {
            f.advance(Duration.ofSeconds(30));
            passed = passed.plusSeconds(30);
            f.tracker.tick();
        }
        assertFalse(f.tracker.hasTimers(), "still timed after its time was over");
    }
}
