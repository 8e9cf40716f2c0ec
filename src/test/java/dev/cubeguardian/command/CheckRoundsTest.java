package dev.cubeguardian.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Checks that share a probe: one probe per round, each check answered once with its own id,
 * from a probe that started after it arrived; bounded; a check still runs after a wake queued
 * before it.
 */
@Timeout(30)
class CheckRoundsTest {

    private static final long WAIT_S = 10;

    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final HostLanes lanes = new HostLanes(pool, 32);
    /** Each answered check: its id, the probe it got, whether it was the round's first. */
    private final List<String> answers = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Object> probeOf = new ConcurrentHashMap<>();
    private final AtomicInteger firsts = new AtomicInteger();

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private CheckRounds rounds(Function<String, Object> probe, int maxPerHost, long maxBytes) {
        return new CheckRounds(lanes, probe, (check, probed, first, answered) -> {
            probeOf.put(check.id(), probed);
            if (first) {
                firsts.incrementAndGet();
            }
            answers.add(check.id());
            answered.accept(null);
        }, maxPerHost, maxBytes);
    }

    private static Command check(String host, String id) {
        return check(host, id, null);
    }

    private static Command check(String host, String id, byte[] correlation) {
        return new Command(host, Action.CHECK, id, false, 0, false, null, Instant.EPOCH, 0, null, null, correlation, null);
    }

    @Test
    void aBurstOfChecksWhileOneProbeRunsSharesTheNextProbeAndEachIsAnsweredOnce() throws Exception {
        // Given a probe that is running (held) when the burst arrives
        CountDownLatch probing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger probes = new AtomicInteger();
        CheckRounds rounds = rounds(host -> {
            int n = probes.incrementAndGet();
            if (n == 1) {
                probing.countDown();
                await(release);
            }
            return "probe-" + n;
        }, 10_000, 1L << 20);
        CountDownLatch answered = new CountDownLatch(2_001);
        assertTrue(rounds.add(check("pve", "early"), r -> answered.countDown()));
        assertTrue(probing.await(WAIT_S, TimeUnit.SECONDS));

        // When 2,000 checks arrive while it probes
        for (int i = 0; i < 2_000; i++) {
            assertTrue(rounds.add(check("pve", "c" + i), r -> answered.countDown()), "check " + i + " kept");
        }
        release.countDown();

        // Then two probes in all: the running one for the early check, one more for the burst
        assertTrue(answered.await(WAIT_S, TimeUnit.SECONDS));
        assertEquals(2, probes.get());
        assertEquals(2_001, answers.size());
        assertEquals(2_001, answers.stream().distinct().count(), "each id once");
        assertEquals("probe-1", probeOf.get("early"));
        for (int i = 0; i < 2_000; i++) {
            assertEquals("probe-2", probeOf.get("c" + i), "c" + i + " arrived during probe 1: answered from a later probe");
        }
        assertEquals(2, firsts.get(), "the monitor learns from each probe once");
        assertEquals(0, rounds.bytes(), "nothing held once answered");
    }

    @Test
    void aCheckQueuedAfterAWakeRunsAfterIt() throws Exception {
        CountDownLatch wakeRunning = new CountDownLatch(1);
        CountDownLatch wakeMayEnd = new CountDownLatch(1);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CheckRounds rounds = rounds(host -> {
            order.add("probe");
            return "p";
        }, 100, 1L << 20);
        lanes.submit("pve", () -> {
            wakeRunning.countDown();
            await(wakeMayEnd);
            order.add("wake");
        });
        assertTrue(wakeRunning.await(WAIT_S, TimeUnit.SECONDS));
        CountDownLatch answered = new CountDownLatch(1);
        rounds.add(check("pve", "after-wake"), r -> answered.countDown());
        wakeMayEnd.countDown();
        assertTrue(answered.await(WAIT_S, TimeUnit.SECONDS));
        assertEquals(List.of("wake", "probe"), order);
    }

    @Test
    void aFloodOfChecksForOneHostStopsAtItsBoundAndOtherHostsAreStillChecked() throws Exception {
        CountDownLatch probing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CheckRounds rounds = rounds(host -> {
            if (host.equals("flooded")) {
                probing.countDown();
                await(release);
            }
            return host;
        }, 5, 1L << 20);
        assertTrue(rounds.add(check("flooded", "being-probed"), r -> { }));
        assertTrue(probing.await(WAIT_S, TimeUnit.SECONDS));
        for (int i = 0; i < 5; i++) {
            assertTrue(rounds.add(check("flooded", "waiting-" + i), r -> { }), "within the bound: " + i);
        }
        for (int i = 0; i < 10; i++) {
            assertFalse(rounds.add(check("flooded", "more-" + i), r -> { }), "over the bound: " + i);
        }
        assertEquals(5, rounds.waiting("flooded"));
        CountDownLatch other = new CountDownLatch(1);
        assertTrue(rounds.add(check("other", "quiet-host"), r -> other.countDown()));
        assertTrue(other.await(WAIT_S, TimeUnit.SECONDS), "another host is not held up by the flood");
        release.countDown();
    }

    @Test
    void checksWithHugeCorrelationDataAreBoundedInBytesNotOnlyInCount() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CheckRounds rounds = rounds(host -> {
            await(release);
            return "p";
        }, 10_000, 1L << 20);
        assertTrue(rounds.add(check("pve", "holds-the-lane"), r -> { }));
        Thread.sleep(50);
        byte[] big = new byte[64 * 1024];
        int kept = 0;
        for (int i = 0; i < 100; i++) {
            kept += rounds.add(check("pve", "big-" + i, big), r -> { }) ? 1 : 0;
        }
        assertTrue(kept < 17, "1 MiB holds at most 16 checks of 64 KiB: kept " + kept);
        assertTrue(rounds.bytes() <= 1L << 20);
        release.countDown();
    }

    @Test
    void oneCheckWhoseAnswerFailsLeavesTheOthersOfItsRoundAnswered() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch answered = new CountDownLatch(3);
        CheckRounds rounds = new CheckRounds(lanes, host -> {
            await(release);
            return "p";
        }, (check, probed, first, done) -> {
            if (check.id().equals("broken")) {
                throw new IllegalStateException("a bug in one answer");
            }
            done.accept(null);
        }, 100, 1L << 20);
        rounds.add(check("pve", "holds"), r -> answered.countDown());
        Thread.sleep(50);
        rounds.add(check("pve", "a"), r -> answered.countDown());
        rounds.add(check("pve", "broken"), r -> { });
        rounds.add(check("pve", "b"), r -> answered.countDown());
        release.countDown();
        assertTrue(answered.await(WAIT_S, TimeUnit.SECONDS));
    }

    @Test
    void aRoundIsCommittedToDiskOnceAndItsChecksAreAcknowledgedOnlyAfterThat() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        CheckRounds rounds = new CheckRounds(lanes, host -> {
            await(release);
            return "p";
        }, (check, probed, first, done) -> {
            events.add("answer " + check.id());
            done.accept(null);
        }, work -> {
            work.run();
            events.add("commit");
        }, 100, 1L << 20);
        CountDownLatch acknowledged = new CountDownLatch(4);
        rounds.add(check("pve", "holds"), r -> {
            events.add("ack holds");
            acknowledged.countDown();
        });
        Thread.sleep(50);
        for (String id : List.of("a", "b", "c")) {
            rounds.add(check("pve", id), r -> {
                events.add("ack " + id);
                acknowledged.countDown();
            });
        }
        release.countDown();
        assertTrue(acknowledged.await(WAIT_S, TimeUnit.SECONDS));
        assertEquals(List.of("answer holds", "commit", "ack holds", "answer a", "answer b", "answer c", "commit", "ack a", "ack b",
                "ack c"), events);
    }

    @Test
    void aFullLaneRefusesTheCheckAndKeepsNothing() throws Exception {
        HostLanes full = new HostLanes(pool, 0);
        CountDownLatch release = new CountDownLatch(1);
        full.submit("pve", () -> await(release), 1);
        CheckRounds rounds = new CheckRounds(full, host -> "p", (check, probed, first, done) -> done.accept(null), 100, 1L << 20);
        assertFalse(rounds.add(check("pve", "no-room"), r -> { }));
        assertEquals(0, rounds.waiting("pve"));
        assertEquals(0, rounds.bytes());
        release.countDown();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(WAIT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
