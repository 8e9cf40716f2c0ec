package dev.cubeguardian.state;

import static dev.cubeguardian.state.TrackerFixture.completed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A share group's new active member takes over what the previous one followed (learned from
 * its results): the end comes under the original id, timed from the original answer.
 */
class HostTrackerAdoptTest {

    private static List<Map<String, Object>> completions(Reaction reaction) {
        return reaction.events().stream().filter(e -> "completed".equals(e.get("type"))).toList();
    }

    @Test
    void anAdoptedWakeCompletesUnderItsIdWithTheTimeSinceTheOriginalAnswer() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        Instant answered = f.now().minusSeconds(30);
        assertTrue(f.tracker.adopt("wake", "w-peer", answered, null, false));
        f.observe(f.nothing());
        f.advanceSeconds(20);
        Reaction up = f.observe(f.up());
        assertEquals(List.of(completed("wake", "w-peer", true, "ONLINE", 50)), completions(up));
        assertTrue(f.tracker.followed().isNothing(), "done: nothing left to follow");
    }

    @Test
    void anAdoptedShutdownCompletesOffWhenTheHostIsGone() {
        TrackerFixture f = TrackerFixture.plainHost();
        f.observe(f.hostOnly());
        Instant answered = f.now().minusSeconds(5);
        assertTrue(f.tracker.adopt("shutdown", "s-peer", answered, answered, false));
        List<Map<String, Object>> done = new java.util.ArrayList<>();
        for (int probe = 0; probe < 3; probe++) {   // off once three probes agree
            f.advanceSeconds(5);
            done.addAll(completions(f.observe(f.nothing())));
        }
        assertEquals(1, done.size(), done.toString());
        assertEquals("s-peer", done.get(0).get("id"));
        assertEquals("OFFLINE", done.get(0).get("code"));
    }

    @Test
    void anAdoptedRebootSeenDownByThePreviousMemberIsBackOnceOnline() {
        TrackerFixture f = TrackerFixture.plainHost();
        assertTrue(f.tracker.adopt("reboot", "r-peer", f.now().minusSeconds(20), null, true));
        for (int probe = 0; probe < 3; probe++) {
            f.advanceSeconds(2);
            assertEquals(List.of(), completions(f.observe(f.nothing())));
        }
        f.advanceSeconds(10);
        Reaction back = f.observe(f.up());
        assertEquals(List.of(completed("reboot", "r-peer", true, "ONLINE", 36)), completions(back), back.events().toString());
    }

    @Test
    void workPastItsDeadlineOrAlreadyFollowedHereIsNotAdopted() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        assertFalse(f.tracker.adopt("wake", "too-old", f.now().minus(Duration.ofHours(2)), null, false));
        f.tracker.wakeSent("own");
        assertFalse(f.tracker.adopt("wake", "w-peer", f.now(), null, false), "this tracker's own wake is kept");
        assertFalse(f.tracker.adopt("hibernate", "x", f.now(), null, false));
        assertEquals("own", f.tracker.followed().wakeId());
    }
}
