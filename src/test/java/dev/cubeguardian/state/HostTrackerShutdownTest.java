package dev.cubeguardian.state;

import static dev.cubeguardian.state.TrackerFixture.assertEvents;
import static dev.cubeguardian.state.TrackerFixture.assertNoEvents;
import static dev.cubeguardian.state.TrackerFixture.completed;
import static dev.cubeguardian.state.TrackerFixture.event;
import static dev.cubeguardian.state.TrackerFixture.progress;
import static dev.cubeguardian.state.TrackerFixture.stateEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A shutdown now or later: stopping, confirmed off, the shutdown timeout and a cancel. */
class HostTrackerShutdownTest {

    private static TrackerFixture onlineHost() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.up());
        return f;
    }

    @Test
    void shutdownNowReportsCommandSentWithScheduledForAndStopping() {
        TrackerFixture f = onlineHost();
        f.advanceSeconds(7);

        Reaction reaction = f.tracker.shutdownSent("s-1", 0);

        assertEquals(HostState.STOPPING, f.tracker.state());
        assertEvents(reaction,
                event("type", "progress", "action", "shutdown", "id", "s-1", "phase", "command_sent",
                        "elapsed_s", 0L, "scheduled_for", "2026-11-25T16:00:07.000Z"),
                stateEvent("online", "stopping"));
        assertTrue(reaction.isStateChanged());
    }

    @Test
    void aScheduledShutdownIsInTheRetainedStateUntilItIsCancelled() {
        TrackerFixture f = onlineHost();

        Reaction scheduled = f.tracker.shutdownSent("s-later", 5);

        assertTrue(scheduled.isStateMessageChanged(), "the retained state says when");
        assertEquals("2026-11-25T16:05:00.000Z", f.tracker.snapshot().toJson().get("shutdown_at"));
        Reaction cancelled = f.tracker.shutdownCancelled("c-1");
        assertTrue(cancelled.isStateMessageChanged());
        assertEquals(null, f.tracker.snapshot().toJson().get("shutdown_at"));
    }

    @Test
    void whatATrackerFollowsIsTakenUpByANewOneAfterARestart() {
        TrackerFixture f = onlineHost();
        f.tracker.shutdownSent("s-later", 5);
        FollowedWork kept = FollowedWork.fromBytes(f.tracker.followed().toBytes()).orElseThrow();

        TrackerFixture restarted = TrackerFixture.minecraftHost();
        restarted.tracker.resume(kept);

        assertEquals("2026-11-25T16:05:00.000Z", restarted.tracker.snapshot().toJson().get("shutdown_at"));
        assertEquals(kept, restarted.tracker.followed());
    }

    @Test
    void oneAndTwoFailedProbesKeepStopping() {
        TrackerFixture f = onlineHost();
        f.tracker.shutdownSent("s-1", 0);

        f.advanceSeconds(1);
        Reaction first = f.observe(f.nothing());
        f.advanceSeconds(1);
        Reaction second = f.observe(f.nothing());

        assertEquals(HostState.STOPPING, f.tracker.state());
        assertNoEvents(first);
        assertNoEvents(second);
    }

    @Test
    void thirdFailedProbeReportsHostDownCompletedOfflineAndOff() {
        TrackerFixture f = onlineHost();
        f.tracker.shutdownSent("s-1", 0);
        f.advanceSeconds(10);
        f.observe(f.nothing());
        f.advanceSeconds(1);
        f.observe(f.nothing());
        f.advanceSeconds(1);

        Reaction third = f.observe(f.nothing());

        assertEquals(HostState.OFF, f.tracker.state());
        assertEvents(third,
                progress("shutdown", "s-1", "host_down", 12),
                completed("shutdown", "s-1", true, "OFFLINE", 12),
                stateEvent("stopping", "off"));
        assertTrue(third.isStateChanged());
        assertFalse(f.tracker.inTransition());
    }

    @Test
    void theGameStoppingFirstKeepsStoppingUntilTheHostIsConfirmedDown() {
        TrackerFixture f = onlineHost();
        f.tracker.shutdownSent("s-1", 0);
        for (int i = 0; i < 3; i++) {
            f.advanceSeconds(1);
            assertNoEvents(f.observe(f.hostOnly()));
        }
        assertEquals(HostState.STOPPING, f.tracker.state());
        f.advanceSeconds(1);
        assertNoEvents(f.observe(f.nothing()));
        f.advanceSeconds(1);
        assertNoEvents(f.observe(f.nothing()));
        f.advanceSeconds(1);

        Reaction reaction = f.observe(f.nothing());

        assertEvents(reaction,
                progress("shutdown", "s-1", "host_down", 6),
                completed("shutdown", "s-1", true, "OFFLINE", 6),
                stateEvent("stopping", "off"));
    }

    @Test
    void delayedShutdownReportsScheduledAndStaysOnline() {
        TrackerFixture f = onlineHost();

        Reaction reaction = f.tracker.shutdownSent("s-2", 5);

        assertEquals(HostState.ONLINE, f.tracker.state());
        assertEvents(reaction,
                event("type", "progress", "action", "shutdown", "id", "s-2", "phase", "scheduled",
                        "elapsed_s", 0L, "scheduled_for", "2026-11-25T16:05:00.000Z"));
        assertFalse(reaction.isStateChanged());
    }

    @Test
    void delayedShutdownTurnsStoppingOnTheFirstTickAtTheScheduledTime() {
        TrackerFixture f = onlineHost();
        f.tracker.shutdownSent("s-2", 5);

        f.advanceSeconds(4 * 60 + 59);
        Reaction before = f.tracker.tick();
        assertEquals(HostState.ONLINE, f.tracker.state());
        assertNoEvents(before);
        assertNoEvents(f.observe(f.up()));

        f.advanceSeconds(1);
        Reaction due = f.tracker.tick();
        assertEquals(HostState.STOPPING, f.tracker.state());
        assertEvents(due, stateEvent("online", "stopping"));
        assertTrue(due.isStateChanged());
    }

    @Test
    void delayedShutdownCompletesOfflineWithElapsedCountedFromTheScheduledTime() {
        TrackerFixture f = onlineHost();
        f.tracker.shutdownSent("s-2", 5);
        f.advanceSeconds(300);
        f.tracker.tick();
        f.advanceSeconds(20);
        f.observe(f.nothing());
        f.advanceSeconds(1);
        f.observe(f.nothing());
        f.advanceSeconds(1);

        Reaction reaction = f.observe(f.nothing());

        assertEvents(reaction,
                progress("shutdown", "s-2", "host_down", 22),
                completed("shutdown", "s-2", true, "OFFLINE", 22),
                stateEvent("stopping", "off"));
    }

    @Test
    void noShutdownTimeoutOneSecondBeforeTheDeadline() {
        TrackerFixture f = onlineHost();
        f.tracker.shutdownSent("s-1", 0);
        f.advance(TrackerFixture.SHUTDOWN.minusSeconds(1));

        Reaction reaction = f.tracker.tick();

        assertNoEvents(reaction);
        assertEquals(HostState.STOPPING, f.tracker.state());
    }

    @Test
    void hostStillUpAtTheShutdownDeadlineCompletesWithShutdownTimeoutAndIsOnlineAgain() {
        TrackerFixture f = onlineHost();
        f.tracker.shutdownSent("s-1", 0);
        f.advanceSeconds(60);
        f.observe(f.up());
        f.advance(TrackerFixture.SHUTDOWN.minusSeconds(60));

        Reaction reaction = f.tracker.tick();

        assertEquals(HostState.ONLINE, f.tracker.state());
        assertEvents(reaction,
                completed("shutdown", "s-1", false, "SHUTDOWN_TIMEOUT", 180),
                stateEvent("stopping", "online"));
        assertTrue(reaction.isStateChanged());
        assertFalse(f.tracker.inTransition());
    }

    @Test
    void delayedShutdownTimesOutShutdownTimeoutAfterTheScheduledTime() {
        TrackerFixture f = onlineHost();
        f.tracker.shutdownSent("s-2", 5);
        f.advanceSeconds(300);
        f.tracker.tick();
        f.advance(TrackerFixture.SHUTDOWN.minusSeconds(1));
        assertNoEvents(f.tracker.tick());
        f.advanceSeconds(1);

        Reaction reaction = f.tracker.tick();

        assertEquals(HostState.ONLINE, f.tracker.state());
        assertEvents(reaction,
                completed("shutdown", "s-2", false, "SHUTDOWN_TIMEOUT", 180),
                stateEvent("stopping", "online"));
    }

    // ---- cancel -------------------------------------------------------------------------

    @Test
    void cancellingAScheduledShutdownCompletesItWithCancelled() {
        TrackerFixture f = onlineHost();
        f.tracker.shutdownSent("s-2", 5);
        f.advanceSeconds(90);

        Reaction reaction = f.tracker.shutdownCancelled("x-9");

        assertEquals(HostState.ONLINE, f.tracker.state());
        // elapsed_s is measured from the cancel itself, so it is always 0
        assertEvents(reaction,
                event("type", "completed", "action", "shutdown", "id", "s-2", "success", false,
                        "code", "CANCELLED", "elapsed_s", 90L, "cancelled_by", "x-9"));
        assertFalse(reaction.isStateChanged());
    }

    @Test
    void aCancelledShutdownNeverStops() {
        TrackerFixture f = onlineHost();
        f.tracker.shutdownSent("s-2", 5);
        f.advanceSeconds(90);
        f.tracker.shutdownCancelled("x-9");

        f.advanceSeconds(210);
        Reaction atScheduledTime = f.tracker.tick();
        f.advance(TrackerFixture.SHUTDOWN);
        Reaction atOldDeadline = f.tracker.tick();

        assertNoEvents(atScheduledTime);
        assertNoEvents(atOldDeadline);
        assertEquals(HostState.ONLINE, f.tracker.state());
        assertFalse(f.tracker.inTransition());
    }

    @Test
    void cancellingWhileStoppingGoesBackToOnline() {
        TrackerFixture f = onlineHost();
        f.tracker.shutdownSent("s-1", 0);
        f.advanceSeconds(3);

        Reaction reaction = f.tracker.shutdownCancelled("x-9");

        assertEquals(HostState.ONLINE, f.tracker.state());
        assertEvents(reaction,
                event("type", "completed", "action", "shutdown", "id", "s-1", "success", false,
                        "code", "CANCELLED", "elapsed_s", 3L, "cancelled_by", "x-9"),
                stateEvent("stopping", "online"));
    }

    @Test
    void cancelWithoutAShutdownDoesNothing() {
        TrackerFixture f = onlineHost();

        Reaction reaction = f.tracker.shutdownCancelled("x-9");

        assertNoEvents(reaction);
        assertFalse(reaction.isStateChanged());
        assertEquals(HostState.ONLINE, f.tracker.state());
    }
}
