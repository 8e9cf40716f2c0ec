package dev.cubeguardian.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cubeguardian.command.CommandIntake;
import dev.cubeguardian.command.CommandLedger;
import dev.cubeguardian.testing.HandClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * Which member of a share group is active. The executor is a mock: the periodic check is run
 * by hand and the registry's change notifications run inline, so every decision is the test's.
 * The one wait left is SETTLE (1.5 s), measured by Leadership with System.nanoTime, not the clock.
 */
class LeadershipTest {

    private static final String BASE = "cubeguardian";
    private static final String WORKERS = BASE + "/bridge/workers/";
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final HandClock clock = new HandClock();
    private final CommandLedger ledger = new CommandLedger(clock, 1_000);
    private final CommandWitness witness = new CommandWitness(BASE, ledger, JSON, clock);
    private final CommandIntake intake = mock(CommandIntake.class);
    private final List<String> roleChanges = new ArrayList<>();
    private final Leadership.Role role = new Leadership.Role() {
        @Override
        public void becomeActive() {
            roleChanges.add("active");
        }

        @Override
        public void becomeStandby() {
            roleChanges.add("standby");
        }

        @Override
        public void decided(boolean active) {
            decisions.add(active);
        }
    };
    private final List<Boolean> decisions = new ArrayList<>();
    private WorkerRegistry registry;
    private Runnable periodic;

    private Leadership begin(String selfId) throws InterruptedException {
        registry = new WorkerRegistry(BASE, selfId, JSON);
        Leadership leadership = new Leadership(new WorkerIdentity(selfId, "lab"), registry, witness, intake, clock);
        ScheduledExecutorService thread = mock(ScheduledExecutorService.class);
        doAnswer(call -> {
            ((Runnable) call.getArgument(0)).run();
            return null;
        }).when(thread).execute(any());
        leadership.begin(role, thread);
        ArgumentCaptor<Runnable> task = ArgumentCaptor.forClass(Runnable.class);
        verify(thread).scheduleWithFixedDelay(task.capture(), eq(Leadership.SETTLE.toMillis()), eq(Leadership.TICK.toMillis()),
                eq(TimeUnit.MILLISECONDS));
        periodic = task.getValue();
        return leadership;
    }

    private static void settle() throws InterruptedException {
        Thread.sleep(Leadership.SETTLE.toMillis() + 100);
    }

    /** The state first, then the info: the peer counts from its info on, as one change. */
    private void peer(String id, String role, Instant since, boolean online) {
        registry.accept(WORKERS + id + "/state", (online ? "online" : "offline").getBytes(StandardCharsets.UTF_8));
        registry.accept(WORKERS + id + "/info", WorkerRegistryTest.info(id, "lab", role, since == null ? null : since.toString(), "pve")
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aWorkerOutsideAGroupIsActiveFromTheStartAndNeverDecides() {
        Leadership always = Leadership.always(clock);
        assertTrue(always.active());
        ScheduledExecutorService thread = mock(ScheduledExecutorService.class);
        always.begin(role, thread);
        verifyNoInteractions(thread);
        assertTrue(always.active());
    }

    @Test
    void onlineSinceIsTheStartTruncatedToTheMillisecond() {
        clock.set(Instant.parse("2026-11-25T16:00:00.123456789Z"));
        Leadership leadership = new Leadership(new WorkerIdentity("w1", "lab"), new WorkerRegistry(BASE, "w1", JSON), witness,
                intake, clock);
        assertEquals(Instant.parse("2026-11-25T16:00:00.123Z"), leadership.onlineSince());
        assertFalse(leadership.active());
        assertNull(leadership.activeSince());
    }

    @Test
    void aMemberAloneBecomesActiveOnlyAfterSettle() throws InterruptedException {
        Leadership leadership = begin("w1");
        periodic.run();
        assertFalse(leadership.active(), "no decision before the others' retained infos could arrive");
        settle();
        periodic.run();
        assertTrue(leadership.active());
        periodic.run();
        assertEquals(List.of("active"), roleChanges, "becomeActive once");
        assertEquals(clock.instant(), leadership.activeSince());
    }

    /** The first decision tells a restarted member whether what it kept is its own to resume (a game countdown). */
    @Test
    void theFirstDecisionSaysWhetherThisStartIsAsStandbyAndNoneComesBeforeSettle() throws InterruptedException {
        begin("w2");
        peer("w1", "active", clock.instant().minusSeconds(60), true);
        periodic.run();
        assertEquals(List.of(), decisions, "nothing decided before the others' infos could arrive");
        settle();
        periodic.run();
        assertEquals(List.of(false), decisions, "a member back while another is active starts as a standby");
        registry.accept(WORKERS + "w1/state", "offline".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(false, true), decisions.subList(0, 2));
    }

    @Test
    void aPeerOnlineEarlierKeepsThisMemberStandbyAndWhenItGoesTheLostCommandIsTakenOverOnce() throws InterruptedException {
        Leadership leadership = begin("w2");
        peer("w1", "active", clock.instant().minusSeconds(60), true);
        settle();
        periodic.run();
        assertFalse(leadership.active());
        assertEquals(List.of(), roleChanges, "never active: nothing to stop");

        // a command the dead worker received but never answered
        byte[] command = "{\"id\":\"c1\"}".getBytes(StandardCharsets.UTF_8);
        witness.witnessed(BASE + "/pve/cmd/wake", command, null);
        clock.advance(Duration.ofSeconds(3));
        periodic.run();   // the peer is still seen active now
        registry.accept(WORKERS + "w1/state", "offline".getBytes(StandardCharsets.UTF_8));   // its Last Will

        assertTrue(leadership.active());
        assertEquals(List.of("active"), roleChanges);
        verify(intake, times(1)).takeOver(eq(BASE + "/pve/cmd/wake"), eq(command), any(), any(), anyLong());
        periodic.run();
        periodic.run();
        verify(intake, times(1)).takeOver(any(), any(), any(), any(), anyLong());
        assertFalse(witness.firstClaim(BASE + "/pve/cmd/wake", command, null), "the shared copy that comes late is not run again");
    }

    @Test
    void anOnlineSinceTieIsWonByTheSmallerWorkerId() throws InterruptedException {
        Leadership w2 = begin("w2");
        peer("w1", "standby", w2.onlineSince(), true);
        settle();
        periodic.run();
        assertFalse(w2.active());

        roleChanges.clear();
        Leadership w1 = begin("w1");
        peer("w2", "standby", w1.onlineSince(), true);
        settle();
        periodic.run();
        assertTrue(w1.active());
    }

    @Test
    void aPeerWithoutOnlineSinceNeverLeads() throws InterruptedException {
        Leadership leadership = begin("w2");
        peer("w0", "standby", null, true);
        settle();
        periodic.run();
        assertTrue(leadership.active());
        // an unreadable online_since is the same as none
        registry.accept(WORKERS + "w0/info", ("{\"worker_id\":\"w0\",\"share_group\":\"lab\",\"online_since\":\"long ago\"}")
                .getBytes(StandardCharsets.UTF_8));
        periodic.run();
        assertTrue(leadership.active());
    }

    @Test
    void anOfflineOrForeignGroupPeerDoesNotKeepThisMemberStandby() throws InterruptedException {
        Leadership leadership = begin("w2");
        peer("w1", "active", clock.instant().minusSeconds(60), false);
        registry.accept(WORKERS + "x/info", WorkerRegistryTest.info("x", "other", "active",
                clock.instant().minusSeconds(60).toString(), "pve").getBytes(StandardCharsets.UTF_8));
        registry.accept(WORKERS + "x/state", "online".getBytes(StandardCharsets.UTF_8));
        settle();
        periodic.run();
        assertTrue(leadership.active());
    }

    @Test
    void whenTwoAreActiveTheLaterOneStepsDown() throws InterruptedException {
        Leadership leadership = begin("w2");
        settle();
        periodic.run();
        assertTrue(leadership.active());
        // the earlier member's info arrives late (a partition healing, a slow retained message)
        peer("w1", "active", leadership.onlineSince().minusMillis(1), true);
        assertFalse(leadership.active());
        assertEquals(List.of("active", "standby"), roleChanges);
    }

    @Test
    void theEarlierActiveStaysActiveAndLeavesWhatTheLaterPeerWasGivenToIt() throws InterruptedException {
        Leadership leadership = begin("w1");
        settle();
        periodic.run();
        assertTrue(leadership.active());
        peer("w2", "active", leadership.onlineSince().plusMillis(1), true);
        byte[] command = "{\"id\":\"c9\"}".getBytes(StandardCharsets.UTF_8);
        witness.witnessed(BASE + "/pve/cmd/wake", command, null);   // the broker gave its shared copy to w2
        clock.advance(Duration.ofSeconds(3));
        periodic.run();
        assertTrue(leadership.active());
        verify(intake, never()).takeOver(any(), any(), any(), any(), anyLong());
        // w2 steps down, alive: what the broker gave it before is still its to answer (its lanes go on)
        peer("w2", "standby", leadership.onlineSince().plusMillis(1), true);
        clock.advance(Duration.ofSeconds(3));
        periodic.run();
        verify(intake, never()).takeOver(any(), any(), any(), any(), anyLong());
    }

    /**
     * After a start-up race with two active members, a command without an id the other one
     * answered (this worker only witnessed it, and cannot match it with its result) is not run
     * again when the other steps down: the window counts from when the other was last active.
     */
    @Test
    void anIdlessCommandTheOtherActiveMemberAnsweredLongAgoIsNotRunAgainWhenItStepsDown() throws InterruptedException {
        Leadership leadership = begin("w1");
        settle();
        periodic.run();
        peer("w2", "active", leadership.onlineSince().plusMillis(1), true);
        byte[] command = "{\"force\":false}".getBytes(StandardCharsets.UTF_8);
        witness.witnessed(BASE + "/pve/cmd/wake", command, null);   // w2 got the shared copy and answered it
        clock.advance(Duration.ofSeconds(60));
        periodic.run();
        peer("w2", "standby", leadership.onlineSince().plusMillis(1), true);
        verify(intake, never()).takeOver(any(), any(), any(), any(), anyLong());
    }

}
