package dev.cubeguardian.state;

import static dev.cubeguardian.state.TrackerFixture.assertEvents;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When the monitor should probe fast. */
class HostTrackerInTransitionTest {

    @Test
    void steadyOnlineIsNotInTransition() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.up());

        assertFalse(f.tracker.inTransition());
    }

    @Test
    void steadyOffIsNotInTransition() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.nothing());

        assertFalse(f.tracker.inTransition());
    }

    @Test
    void anOnlineHostThatStopsAnsweringIsProbedFastForItsStartupTimeoutThenSteadily() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.up());
        f.observe(f.nothing());
        f.observe(f.nothing());
        f.observe(f.nothing());

        // it may be restarting (a crashed game, a reboot): fast for as long as a start may take
        assertEquals(HostState.UNREACHABLE, f.tracker.state());
        assertTrue(f.tracker.inTransition());
        f.advance(java.time.Duration.ofMinutes(11));
        f.observe(f.nothing());
        assertFalse(f.tracker.inTransition());
    }

    @Test
    void aProbeBelowTheStateIsConfirmedOrRefutedAtTheFastPace() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.up());

        // one miss does not change the state (no flapping), but the next probes come fast
        f.observe(f.hostOnly());
        assertEquals(HostState.ONLINE, f.tracker.state());
        assertTrue(f.tracker.inTransition());

        // refuted: back to the steady pace
        f.observe(f.up());
        assertEquals(HostState.ONLINE, f.tracker.state());
        assertFalse(f.tracker.inTransition());

        // confirmed: the state changes after the confirmations, still probed fast (it may come back)
        f.observe(f.hostOnly());
        f.observe(f.hostOnly());
        assertTrue(f.tracker.inTransition());
        f.observe(f.hostOnly());
        assertEquals(HostState.UNREACHABLE, f.tracker.state());
        assertTrue(f.tracker.inTransition());
    }

    @Test
    void startingWithoutAWakeIsProbedFastOnlyForAsLongAsAStartMayTake() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.hostOnly());

        // host up, game down, nobody asked for a wake: fast while a start is plausible...
        assertEquals(HostState.STARTING, f.tracker.state());
        assertTrue(f.tracker.inTransition());
        // ...then at the steady pace, as this may last for ever
        f.advance(java.time.Duration.ofMinutes(11));
        f.observe(f.hostOnly());
        assertFalse(f.tracker.inTransition());
    }

    @Test
    void wakingIsInTransition() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.nothing());
        f.tracker.wakeSent("c-1");

        assertEquals(HostState.WAKING, f.tracker.state());
        assertTrue(f.tracker.inTransition());
    }

    @Test
    void aWakePendingBeforeAnyObservationKeepsUnknownAndIsInTransition() {
        TrackerFixture f = TrackerFixture.minecraftHost();

        Reaction reaction = f.tracker.wakeSent("c-1");

        assertEquals(HostState.UNKNOWN, f.tracker.state());
        assertEvents(reaction, TrackerFixture.progress("wake", "c-1", "packet_sent", 0));
        assertFalse(reaction.isStateChanged());
        assertTrue(f.tracker.inTransition());
    }

    @Test
    void stoppingIsInTransition() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.up());
        f.tracker.shutdownSent("s-1", 0);

        assertEquals(HostState.STOPPING, f.tracker.state());
        assertTrue(f.tracker.inTransition());
    }

    @Test
    void aShutdownScheduledForLaterIsNotInTransitionUntilItIsDue() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.up());
        f.tracker.shutdownSent("s-1", 5);

        assertFalse(f.tracker.inTransition());
        f.advanceSeconds(5 * 60);
        assertTrue(f.tracker.inTransition());
    }

    @Test
    void backToSteadyOnlineAfterAWakeCompletesIsNotInTransition() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.nothing());
        f.tracker.wakeSent("c-1");
        f.advanceSeconds(40);
        f.observe(f.up());

        assertEquals(HostState.ONLINE, f.tracker.state());
        assertFalse(f.tracker.inTransition());
    }
}
