package dev.cubeguardian.state;

import static dev.cubeguardian.state.TrackerFixture.assertEvents;
import static dev.cubeguardian.state.TrackerFixture.assertNoEvents;
import static dev.cubeguardian.state.TrackerFixture.stateEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Going up is believed at once; going down needs three probes in a row. */
class HostTrackerFlappingTest {

    @Test
    void oneFailedProbeKeepsAnOnlineHostOnline() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.up());

        Reaction reaction = f.observe(f.nothing());

        assertEquals(HostState.ONLINE, f.tracker.state());
        assertNoEvents(reaction);
        assertFalse(reaction.isStateChanged());
    }

    @Test
    void twoFailedProbesKeepAnOnlineHostOnline() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.up());
        f.observe(f.nothing());

        Reaction second = f.observe(f.nothing());

        assertEquals(HostState.ONLINE, f.tracker.state());
        assertNoEvents(second);
        assertFalse(second.isStateChanged());
    }

    @Test
    void threeFailedProbesInARowMakeAnOnlineHostUnreachable() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.up());
        f.observe(f.nothing());
        f.observe(f.nothing());

        Reaction third = f.observe(f.nothing());

        assertEquals(HostState.UNREACHABLE, f.tracker.state());
        assertEvents(third, stateEvent("online", "unreachable"));
        assertTrue(third.isStateChanged());
    }

    @Test
    void aGoodProbeBetweenFailuresRestartsTheCount() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.up());
        f.observe(f.nothing());
        f.observe(f.nothing());
        f.observe(f.up());
        f.observe(f.nothing());

        Reaction fifth = f.observe(f.nothing());

        assertEquals(HostState.ONLINE, f.tracker.state());
        assertNoEvents(fifth);
        assertEvents(f.observe(f.nothing()), stateEvent("online", "unreachable"));
    }

    @Test
    void threeProbesWithTheGameDownButTheHostUpMakeAnOnlineHostUnreachable() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.up());
        assertNoEvents(f.observe(f.hostOnly()));
        assertNoEvents(f.observe(f.hostOnly()));

        Reaction third = f.observe(f.hostOnly());

        assertEquals(HostState.UNREACHABLE, f.tracker.state());
        assertEvents(third, stateEvent("online", "unreachable"));
    }

    @Test
    void anOffHostThatAnswersOnceIsOnlineAtOnce() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.nothing());

        Reaction reaction = f.observe(f.up());

        assertEquals(HostState.ONLINE, f.tracker.state());
        assertEvents(reaction, stateEvent("off", "online"));
    }

    @Test
    void anUnreachableHostThatAnswersOnceIsOnlineAtOnce() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.up());
        f.observe(f.nothing());
        f.observe(f.nothing());
        f.observe(f.nothing());

        Reaction reaction = f.observe(f.up());

        assertEquals(HostState.ONLINE, f.tracker.state());
        assertEvents(reaction, stateEvent("unreachable", "online"));
    }

    @Test
    void anOffHostWhoseGameIsSilentIsStarting() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.nothing());

        Reaction reaction = f.observe(f.hostOnly());

        assertEquals(HostState.STARTING, f.tracker.state());
        assertEvents(reaction, stateEvent("off", "starting"));
    }

    @Test
    void anOffHostWithoutMinecraftThatAnswersOnceIsOnlineAtOnce() {
        TrackerFixture f = TrackerFixture.plainHost();
        f.observe(f.nothing());

        Reaction reaction = f.observe(f.up());

        assertEquals(HostState.ONLINE, f.tracker.state());
        assertEvents(reaction, stateEvent("off", "online"));
    }

    @Test
    void aStartingHostThatFallsSilentThreeTimesIsUnreachable() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.hostOnly());
        assertNoEvents(f.observe(f.nothing()));
        assertNoEvents(f.observe(f.nothing()));

        Reaction third = f.observe(f.nothing());

        assertEquals(HostState.UNREACHABLE, f.tracker.state());
        assertEvents(third, stateEvent("starting", "unreachable"));
    }

    @Test
    void probesAlternatingBetweenHostOnlyAndNothingStillConfirmTheDrop() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.up());

        f.observe(f.hostOnly());
        f.observe(f.nothing());
        f.observe(f.hostOnly());
        f.observe(f.nothing());
        f.observe(f.hostOnly());
        f.observe(f.nothing());

        assertEquals(HostState.UNREACHABLE, f.tracker.state());
    }
}
