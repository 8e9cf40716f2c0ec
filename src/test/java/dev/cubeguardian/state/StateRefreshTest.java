package dev.cubeguardian.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StateRefreshTest {

    private static final long TICK = 1000;

    private static List<String> hosts(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("h" + i);
        }
        return ids;
    }

    /** Ticks the refresh for {@code seconds}, states also published at random moments; returns republications per host and the oldest age seen. */
    private static long[] run(int n, Duration refresh, int seconds, double changesPerHostPerMinute, long jitterMs) {
        List<String> ids = hosts(n);
        StateRefresh schedule = new StateRefresh(ids, refresh, Duration.ofMillis(TICK));
        Map<String, Long> last = new HashMap<>();
        Random random = new Random(42);
        long start = 1_000_000;
        // the first sweep: every host's first state within the first 2.5 s, while the timer already ticks
        Map<String, Long> first = new HashMap<>();
        for (String id : ids) {
            first.put(id, start + random.nextInt(2500));
        }
        long republished = 0;
        long oldest = 0;
        for (long now = start; now < start + seconds * 1000L; now += TICK) {
            long tickAt = now + random.nextInt((int) jitterMs + 1);
            for (String id : ids) {
                Long at = first.get(id);
                if (at != null && at <= tickAt) {
                    first.remove(id);
                    last.put(id, at);
                    schedule.published(id, at);
                }
                if (!last.containsKey(id)) {
                    continue;
                }
                oldest = Math.max(oldest, tickAt - last.get(id));
                if (random.nextDouble() < changesPerHostPerMinute / 60) {
                    // a state change between two ticks (published states go forward in time)
                    long changedAt = Math.max(last.get(id), tickAt - random.nextInt(1000));
                    last.put(id, changedAt);
                    schedule.published(id, changedAt);
                }
            }
            for (String id : schedule.due(tickAt)) {
                republished++;
                last.put(id, tickAt);
                schedule.published(id, tickAt);
            }
        }
        return new long[] {republished, oldest};
    }

    @Test
    void noStateGetsOlderThanTheRefreshPeriodWhateverTheFleetSize() {
        for (int n : new int[] {1, 10, 1000, 10_000}) {
            long[] r = run(n, Duration.ofSeconds(60), 600, 0.5, 50);
            assertTrue(r[1] <= 60_000 + 50, n + " hosts: a state went " + r[1] + " ms without being published");
        }
    }

    @Test
    void aSteadyFleetIsRepublishedAboutOncePerPeriodAndEvenly() {
        int n = 10_000;
        StateRefresh schedule = new StateRefresh(hosts(n), Duration.ofSeconds(60), Duration.ofMillis(TICK));
        long start = 5_000_000;
        for (String id : hosts(n)) {
            schedule.published(id, start);
        }
        int most = 0;
        long total = 0;
        for (long now = start + TICK; now <= start + 600_000; now += TICK) {
            List<String> due = schedule.due(now);
            for (String id : due) {
                schedule.published(id, now);
            }
            if (now > start + 120_000) {
                most = Math.max(most, due.size());
                total += due.size();
            }
        }
        // 10,000 hosts at 60 s are 167 a second; the visit period is 58 s, so about 172, never a burst
        assertTrue(most <= 200, "at most " + most + " states in one tick");
        double perHostPerMinute = total / (480.0 / 60) / n;
        assertTrue(perHostPerMinute > 0.95 && perHostPerMinute < 1.1, perHostPerMinute + " republications per host per minute");
    }

    @Test
    void aSmallInventoryIsNotRefreshedMoreOftenThanTheLargeOne() {
        long[] small = run(3, Duration.ofSeconds(60), 600, 0, 0);
        // 3 hosts for 597 s: about 3 x 10, not one visit (and republication) per tick
        assertTrue(small[0] <= 33, small[0] + " republications of 3 hosts in 10 minutes");
        assertTrue(small[0] >= 27, small[0] + " republications of 3 hosts in 10 minutes");
    }

    @Test
    void aHostNeverPublishedIsNeverDue() {
        StateRefresh schedule = new StateRefresh(List.of("quiet", "loud"), Duration.ofSeconds(2), Duration.ofMillis(TICK));
        schedule.published("loud", 10_000);
        List<String> due = new ArrayList<>();
        for (long now = 11_000; now < 30_000; now += TICK) {
            due.addAll(schedule.due(now));
        }
        assertTrue(due.contains("loud"));
        assertTrue(!due.contains("quiet"), due.toString());
        assertTrue(!schedule.everPublished("quiet"));
        assertTrue(schedule.everPublished("loud"));
    }

    @Test
    void aStalledTimerCatchesUpWithOneRoundNotAStorm() {
        int n = 100;
        StateRefresh schedule = new StateRefresh(hosts(n), Duration.ofSeconds(60), Duration.ofMillis(TICK));
        for (String id : hosts(n)) {
            schedule.published(id, 1_000);
        }
        schedule.due(2_000);
        // an hour without a tick (a suspended laptop): each host once, not 60 rounds
        assertEquals(n, schedule.due(3_602_000).size());
        // and the tick after it is back to a tick's share (100 hosts over 58 s: 2), not another round
        assertTrue(schedule.due(3_603_000).size() <= 2, "a second round of catch-up after the stall");
    }

    @Test
    void theShortestPeriodRepublishesEveryTick() {
        long[] r = run(5, Duration.ofSeconds(1), 60, 0, 0);
        assertTrue(r[1] <= 1000, "a state went " + r[1] + " ms without being published at a 1 s refresh");
    }
}
