package dev.cubeguardian.state;

import static dev.cubeguardian.state.TrackerFixture.assertEvents;
import static dev.cubeguardian.state.TrackerFixture.assertNoEvents;
import static dev.cubeguardian.state.TrackerFixture.stateEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The first observation decides the state at once. */
class HostTrackerFirstObservationTest {

    @Test
    void aNewTrackerIsUnknownAndWantsFastProbes() {
        TrackerFixture f = TrackerFixture.minecraftHost();

        assertEquals(HostState.UNKNOWN, f.tracker.state());
        assertTrue(f.tracker.inTransition());
        assertEquals("pve", f.tracker.hostId());
    }

    @Test
    void nothingAnsweringSetsOffAtOnce() {
        TrackerFixture f = TrackerFixture.minecraftHost();

        Reaction reaction = f.observe(f.nothing());

        assertEquals(HostState.OFF, f.tracker.state());
        assertEvents(reaction, stateEvent("unknown", "off"));
        assertTrue(reaction.isStateChanged());
        assertFalse(reaction.isResendWake());
        assertFalse(reaction.isIdleShutdown());
    }

    @Test
    void everythingAnsweringSetsOnlineAtOnce() {
        TrackerFixture f = TrackerFixture.minecraftHost();

        Reaction reaction = f.observe(f.up());

        assertEquals(HostState.ONLINE, f.tracker.state());
        assertEvents(reaction, stateEvent("unknown", "online"));
        assertTrue(reaction.isStateChanged());
    }

    @Test
    void hostUpWithSilentGameSetsStartingAtOnce() {
        TrackerFixture f = TrackerFixture.minecraftHost();

        Reaction reaction = f.observe(f.hostOnly());

        assertEquals(HostState.STARTING, f.tracker.state());
        assertEvents(reaction, stateEvent("unknown", "starting"));
    }

    @Test
    void hostWithoutMinecraftIsOnlineWhenTheHostAnswers() {
        TrackerFixture f = TrackerFixture.plainHost();

        Reaction reaction = f.observe(f.up());

        assertEquals(HostState.ONLINE, f.tracker.state());
        assertEvents(reaction, stateEvent("unknown", "online"));
    }

    @Test
    void hostWithoutMinecraftIsOffWhenTheHostIsSilent() {
        TrackerFixture f = TrackerFixture.plainHost();

        Reaction reaction = f.observe(f.nothing());

        assertEquals(HostState.OFF, f.tracker.state());
        assertEvents(reaction, stateEvent("unknown", "off"));
    }

    @Test
    void theSameObservationAgainChangesNothing() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.up());
        f.advanceSeconds(15);

        Reaction reaction = f.observe(f.up());

        assertEquals(HostState.ONLINE, f.tracker.state());
        assertNoEvents(reaction);
        assertFalse(reaction.isStateChanged());
    }
}
