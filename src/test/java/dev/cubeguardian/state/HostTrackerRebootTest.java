package dev.cubeguardian.state;

import static dev.cubeguardian.state.TrackerFixture.assertEvents;
import static dev.cubeguardian.state.TrackerFixture.assertNoEvents;
import static dev.cubeguardian.state.TrackerFixture.completed;
import static dev.cubeguardian.state.TrackerFixture.progress;
import static dev.cubeguardian.state.TrackerFixture.stateEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.command.Action;
import dev.cubeguardian.probe.Observation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A reboot (v1.1) is followed until the host has gone down and is online again: right after
 * the command the host still answers, and that must not count as done.
 */
class HostTrackerRebootTest {

    private static TrackerFixture online(TrackerFixture f) {
        f.observe(f.up());
        return f;
    }

    /** The events of {@code count} probes, one second apart. */
    private static List<Map<String, Object>> probes(TrackerFixture f, int count, java.util.function.Supplier<Observation> what) {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            f.advanceSeconds(1);
            events.addAll(f.observe(what.get()).events());
        }
        return events;
    }

    @Test
    void rightAfterTheCommandTheHostStillAnswersAndTheRebootIsNotDone() {
        TrackerFixture f = online(TrackerFixture.minecraftHost());

        Reaction sent = f.tracker.rebootSent("r-1");
        List<Map<String, Object>> stillUp = probes(f, 5, f::up);

        assertEvents(sent, progress("reboot", "r-1", "command_sent", 0L), stateEvent("online", "stopping"));
        assertEvents(stillUp);
        assertEquals(HostState.STOPPING, f.tracker.state());
        assertTrue(f.tracker.inTransition(), "probed fast while a reboot is followed");
    }

    @Test
    void aRebootCompletesOnlineAfterTheGameAndTheHostWentDownAndCameBack() {
        TrackerFixture f = online(TrackerFixture.minecraftHost());
        f.tracker.rebootSent("r-2");

        List<Map<String, Object>> gameDown = probes(f, 3, f::hostOnly);
        List<Map<String, Object>> hostDown = probes(f, 3, f::nothing);
        List<Map<String, Object>> hostBack = probes(f, 1, f::hostOnly);
        List<Map<String, Object>> gameBack = probes(f, 1, f::up);

        assertEvents(gameDown, progress("reboot", "r-2", "went_down", 3L), stateEvent("stopping", "starting"));
        assertEvents(hostDown, stateEvent("starting", "waking"));
        assertEvents(hostBack, progress("reboot", "r-2", "host_up", 7L), stateEvent("waking", "starting"));
        assertEvents(gameBack, progress("reboot", "r-2", "service_up", 8L), completed("reboot", "r-2", true, "ONLINE", 8L),
                stateEvent("starting", "online"));
        assertEquals(HostState.ONLINE, f.tracker.state());
        assertFalse(f.tracker.inTransition());
    }

    @Test
    void oneLostProbeRightAfterTheCommandIsNotTheRebootDone() {
        TrackerFixture f = online(TrackerFixture.plainHost());
        f.tracker.rebootSent("r-3");

        List<Map<String, Object>> events = probes(f, 1, f::nothing);
        events.addAll(probes(f, 2, f::up));

        assertEvents(events);
        assertEquals(HostState.STOPPING, f.tracker.state(), "a single lost ping is not a reboot");
    }

    @Test
    void aHostWithoutAGameIsBackWhenItAnswersAgain() {
        TrackerFixture f = online(TrackerFixture.plainHost());
        f.tracker.rebootSent("r-4");

        List<Map<String, Object>> down = probes(f, 3, f::nothing);
        List<Map<String, Object>> back = probes(f, 1, f::up);

        assertEvents(down, progress("reboot", "r-4", "went_down", 3L), stateEvent("stopping", "waking"));
        assertEvents(back, progress("reboot", "r-4", "host_up", 4L), completed("reboot", "r-4", true, "ONLINE", 4L),
                stateEvent("waking", "online"));
    }

    @Test
    void aRebootThatNeverComesBackEndsWithStartupTimeoutAndUnreachable() {
        TrackerFixture f = online(TrackerFixture.plainHost());
        f.tracker.rebootSent("r-5");
        probes(f, 3, f::nothing);

        f.advance(TrackerFixture.STARTUP.minusSeconds(4));
        assertNoEvents(f.tracker.tick());
        f.advanceSeconds(1);
        Reaction timeout = f.tracker.tick();

        Map<String, Object> expected = completed("reboot", "r-5", false, "STARTUP_TIMEOUT", TrackerFixture.STARTUP.toSeconds());
        expected.put("went_down", true);
        assertEvents(timeout, expected, stateEvent("waking", "unreachable"));
        assertEquals(HostState.UNREACHABLE, f.tracker.state());
    }

    @Test
    void aRebootThatNeverWentDownEndsWithStartupTimeoutSayingSoAndTheHostStaysOnline() {
        TrackerFixture f = online(TrackerFixture.minecraftHost());
        f.tracker.rebootSent("r-6");

        f.advance(TrackerFixture.STARTUP);
        f.observe(f.up());
        Reaction timeout = f.tracker.tick();

        Map<String, Object> expected = completed("reboot", "r-6", false, "STARTUP_TIMEOUT", TrackerFixture.STARTUP.toSeconds());
        expected.put("went_down", false);
        assertEvents(timeout, expected, stateEvent("stopping", "online"));
    }

    @Test
    void aHostWhoseGameWasAlreadyDownMustBeSeenDownItself() {
        // the game stopped over RCON before the reboot command ran: its silence proves nothing
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.hostOnly());
        f.tracker.rebootSent("r-7");

        List<Map<String, Object>> gameStillDown = probes(f, 4, f::hostOnly);
        List<Map<String, Object>> hostDown = probes(f, 3, f::nothing);
        List<Map<String, Object>> allBack = probes(f, 1, f::up);

        assertEvents(gameStillDown);
        assertEvents(hostDown, progress("reboot", "r-7", "went_down", 7L), stateEvent("stopping", "waking"));
        assertEvents(allBack, progress("reboot", "r-7", "host_up", 8L), progress("reboot", "r-7", "service_up", 8L),
                completed("reboot", "r-7", true, "ONLINE", 8L), stateEvent("waking", "online"));
    }

    @Test
    void whileRestartingAWakeAShutdownAndAnotherRebootAreRefused() {
        TrackerFixture f = online(TrackerFixture.minecraftHost());
        f.tracker.rebootSent("r-8");

        assertEquals(Optional.of("rebooting"), f.tracker.conflict(Action.WAKE));
        assertEquals(Optional.of("rebooting"), f.tracker.conflict(Action.SHUTDOWN));
        assertEquals(Optional.of("rebooting"), f.tracker.conflict(Action.REBOOT));
        assertEquals(Optional.empty(), f.tracker.conflict(Action.CHECK));
        assertEquals(Optional.empty(), f.tracker.conflict(Action.CANCEL));
    }

    @Test
    void aRebootIsRefusedWhileWakingStoppingOrWithAShutdownScheduled() {
        TrackerFixture waking = TrackerFixture.minecraftHost();
        waking.observe(waking.nothing());
        waking.tracker.wakeSent("w-1");
        assertEquals(Optional.of("waking"), waking.tracker.conflict(Action.REBOOT));

        TrackerFixture scheduled = online(TrackerFixture.minecraftHost());
        scheduled.tracker.shutdownSent("s-later", 5);
        assertEquals(Optional.of("shutdown_scheduled"), scheduled.tracker.conflict(Action.REBOOT));

        TrackerFixture stopping = online(TrackerFixture.minecraftHost());
        stopping.tracker.shutdownSent("s-now", 0);
        assertEquals(Optional.of("stopping"), stopping.tracker.conflict(Action.REBOOT));

        TrackerFixture online = online(TrackerFixture.minecraftHost());
        assertEquals(Optional.empty(), online.tracker.conflict(Action.REBOOT));
    }

    @Test
    void aRebootBeingFollowedIsTakenUpAfterAWorkerRestartWithItsId() {
        TrackerFixture f = online(TrackerFixture.plainHost());
        f.tracker.rebootSent("r-9");
        probes(f, 3, f::nothing);
        FollowedWork kept = FollowedWork.fromBytes(f.tracker.followed().toBytes()).orElseThrow();
        assertEquals("r-9", kept.rebootId());
        assertEquals(Boolean.TRUE, kept.rebootWentDown());

        TrackerFixture restarted = TrackerFixture.plainHost();
        restarted.advanceSeconds(3);
        restarted.tracker.resume(kept);
        assertEquals(kept, restarted.tracker.followed());
        assertEquals(Optional.of("rebooting"), restarted.tracker.conflict(Action.SHUTDOWN));
        Reaction back = restarted.observe(restarted.up());

        assertEquals(completed("reboot", "r-9", true, "ONLINE", 3L).entrySet(),
                back.events().stream().filter(e -> "completed".equals(e.get("type"))).findFirst().orElseThrow().entrySet());
    }

    @Test
    void aResumedRebootNotYetSeenDownStillWaitsForTheDown() {
        TrackerFixture f = online(TrackerFixture.plainHost());
        f.tracker.rebootSent("r-10");
        FollowedWork kept = FollowedWork.fromBytes(f.tracker.followed().toBytes()).orElseThrow();

        TrackerFixture restarted = TrackerFixture.plainHost();
        restarted.tracker.resume(kept);
        Reaction firstProbe = restarted.observe(restarted.up());

        assertTrue(firstProbe.events().stream().noneMatch(e -> "completed".equals(e.get("type"))), firstProbe.events().toString());
        assertEquals(HostState.STOPPING, restarted.tracker.state());
    }

    @Test
    void aFinishedRebootLeavesNothingToResume() {
        TrackerFixture f = online(TrackerFixture.plainHost());
        f.tracker.rebootSent("r-11");
        probes(f, 3, f::nothing);
        probes(f, 1, f::up);

        assertTrue(f.tracker.followed().isNothing(), f.tracker.followed().toString());
        assertEquals(Optional.empty(), f.tracker.conflict(Action.REBOOT));
    }
}
