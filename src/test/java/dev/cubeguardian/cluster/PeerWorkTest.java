package dev.cubeguardian.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cubeguardian.command.CommandResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** What a standby takes over: the active member's wakes, shutdowns and reboots its host states have not closed. */
class PeerWorkTest {

    private static final Instant T = Instant.parse("2026-12-03T18:00:00Z");
    private final AtomicBoolean active = new AtomicBoolean();
    private final PeerWork work = new PeerWork(Set.of("pve", "mc"), active::get);

    private static CommandResult result(String host, String action, String id, String code, Instant at, Map<String, Object> details) {
        return new CommandResult(1, id, host, action, true, code, "", at.toString(), 1, details, null, null);
    }

    @Test
    void aWakeIsOpenUntilTheHostIsOnlineAfterIt() {
        work.resultLearned(result("pve", "wake", "w1", "WOL_SENT", T, Map.of()));
        work.stateSeen("pve", "online", T.minusSeconds(60));   // online from before the wake: not its end
        work.stateSeen("pve", "waking", T.plusSeconds(1));
        assertEquals(List.of(new PeerWork.Open("pve", "wake", "w1", T, null)), work.takeAll());
        assertEquals(List.of(), work.takeAll(), "handed over once");

        work.resultLearned(result("pve", "wake", "w2", "WOL_SENT", T, Map.of()));
        work.stateSeen("pve", "online", T.plusSeconds(40));
        assertEquals(List.of(), work.takeAll());
    }

    @Test
    void aShutdownIsOpenUntilOffAndACancelClosesIt() {
        Instant at = T.plusSeconds(300);
        work.resultLearned(result("mc", "shutdown", "s1", "SHUTDOWN_SCHEDULED", T, Map.of("scheduled_for", at.toString())));
        work.stateSeen("mc", "online", T.plusSeconds(5));
        assertEquals(List.of(new PeerWork.Open("mc", "shutdown", "s1", T, at)), work.takeAll());

        work.resultLearned(result("mc", "shutdown", "s2", "SHUTDOWN_SCHEDULED", T, Map.of("scheduled_for", at.toString())));
        work.resultLearned(result("mc", "cancel", "c1", "SHUTDOWN_CANCELLED", T.plusSeconds(10), Map.of()));
        assertEquals(List.of(), work.takeAll());

        work.resultLearned(result("mc", "shutdown", "s3", "SHUTDOWN_SENT", T, Map.of()));
        work.stateSeen("mc", "off", T.plusSeconds(20));
        assertEquals(List.of(), work.takeAll());
    }

    @Test
    void aRebootSeenGoingDownIsTakenOverAsSo() {
        work.resultLearned(result("pve", "reboot", "r1", "REBOOT_SENT", T, Map.of()));
        work.stateSeen("pve", "stopping", T.plusSeconds(1));
        work.stateSeen("pve", "waking", T.plusSeconds(10));
        assertEquals(List.of(new PeerWork.Open("pve", "reboot", "r1", T, null, true)), work.takeAll());
    }

    /** Back from a restart, the witness session gives the retained state first, then the results sent meanwhile. */
    @Test
    void aResultReadBackAfterTheStateThatEndedItOpensNothing() {
        work.stateSeen("pve", "online", T.plusSeconds(60));
        work.resultLearned(result("pve", "wake", "w-old", "WOL_SENT", T, Map.of()));
        work.stateSeen("mc", "off", T.plusSeconds(60));
        work.resultLearned(result("mc", "shutdown", "s-old", "SHUTDOWN_SENT", T, Map.of()));
        assertEquals(List.of(), work.takeAll(), "both done before this member read their results");
        work.resultLearned(result("pve", "wake", "w-new", "WOL_SENT", T.plusSeconds(120), Map.of()));
        assertEquals(1, work.takeAll().size(), "a later wake is open");
    }

    @Test
    void whatThisMemberAnswersWhileActiveOpensNothing() {
        active.set(true);
        work.resultLearned(result("pve", "wake", "own", "WOL_SENT", T, Map.of()));
        assertEquals(List.of(), work.takeAll());
    }

    @Test
    void resultsForHostsOutsideTheInventoryFailuresAndBadTimestampsOpenNothing() {
        work.resultLearned(result("elsewhere", "wake", "x1", "WOL_SENT", T, Map.of()));
        work.resultLearned(result("pve", "wake", "x2", "WOL_FAILED", T, Map.of()));
        work.resultLearned(new CommandResult(1, "x3", "pve", "wake", true, "WOL_SENT", "", "yesterday", 1, Map.of(), null, null));
        work.resultLearned(result("mc", "shutdown", "x4", "SHUTDOWN_SCHEDULED", T, Map.of("scheduled_for", 42)));
        assertEquals(List.of(new PeerWork.Open("mc", "shutdown", "x4", T, T)), work.takeAll(),
                "a scheduled_for that is not a time: followed from the answer's time, not dropped");
    }
}
