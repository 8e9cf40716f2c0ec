package dev.cubeguardian.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cubeguardian.command.Action;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which commands would fight the operation under way (BUSY). */
class HostTrackerConflictTest {

    @Test
    void wakeWhileStoppingConflictsWithStopping() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.up());
        f.tracker.shutdownSent("s-1", 0);

        assertEquals(Optional.of("stopping"), f.tracker.conflict(Action.WAKE));
    }

    @Test
    void shutdownWhileAWakeIsPendingConflictsWithWaking() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.nothing());
        f.tracker.wakeSent("c-1");

        assertEquals(Optional.of("waking"), f.tracker.conflict(Action.SHUTDOWN));
    }

    @Test
    void shutdownWhileStartingAfterAWakeConflictsWithWaking() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.nothing());
        f.tracker.wakeSent("c-1");
        f.advanceSeconds(20);
        f.observe(f.hostOnly());

        assertEquals(HostState.STARTING, f.tracker.state());
        assertEquals(Optional.of("waking"), f.tracker.conflict(Action.SHUTDOWN));
    }

    @Test
    void shutdownAfterTheWakeCompletedHasNoConflict() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.nothing());
        f.tracker.wakeSent("c-1");
        f.advanceSeconds(20);
        f.observe(f.up());

        assertEquals(Optional.empty(), f.tracker.conflict(Action.SHUTDOWN));
    }

    @Test
    void shutdownAfterAStartupTimeoutHasNoConflict() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.nothing());
        f.tracker.wakeSent("c-1");
        f.advance(TrackerFixture.STARTUP);
        f.tracker.tick();

        assertEquals(Optional.empty(), f.tracker.conflict(Action.SHUTDOWN));
    }

    @Test
    void wakeWhileAShutdownIsOnlyScheduledHasNoConflict() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.up());
        f.tracker.shutdownSent("s-2", 5);

        assertEquals(Optional.empty(), f.tracker.conflict(Action.WAKE));
    }

    @Test
    void nothingConflictsOnASteadyHost() {
        TrackerFixture online = TrackerFixture.minecraftHost();
        online.observe(online.up());
        TrackerFixture off = TrackerFixture.minecraftHost();
        off.observe(off.nothing());
        TrackerFixture unknown = TrackerFixture.minecraftHost();

        for (Action action : Action.values()) {
            assertEquals(Optional.empty(), online.tracker.conflict(action), "online " + action);
            assertEquals(Optional.empty(), off.tracker.conflict(action), "off " + action);
            assertEquals(Optional.empty(), unknown.tracker.conflict(action), "unknown " + action);
        }
    }

    @Test
    void checkAndCancelNeverConflict() {
        TrackerFixture stopping = TrackerFixture.minecraftHost();
        stopping.observe(stopping.up());
        stopping.tracker.shutdownSent("s-1", 0);
        TrackerFixture waking = TrackerFixture.minecraftHost();
        waking.observe(waking.nothing());
        waking.tracker.wakeSent("c-1");

        for (Action action : new Action[] {Action.CHECK, Action.CANCEL}) {
            assertEquals(Optional.empty(), stopping.tracker.conflict(action), "stopping " + action);
            assertEquals(Optional.empty(), waking.tracker.conflict(action), "waking " + action);
        }
    }
}
