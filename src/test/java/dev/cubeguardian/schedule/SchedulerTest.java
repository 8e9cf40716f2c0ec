package dev.cubeguardian.schedule;

import dev.cubeguardian.testing.HandClock;

import static dev.cubeguardian.schedule.Schedules.NEW_YORK;
import static dev.cubeguardian.schedule.Schedules.PARIS;
import static dev.cubeguardian.schedule.Schedules.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.config.HostConfig;
import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.config.InventoryLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler under a clock the test moves: each time fires once with its deterministic id,
 * nothing missed is made up, a late time still fires up to 2 minutes, a later one is skipped,
 * and bridge/info's next_schedule says what comes next.
 */
class SchedulerTest {

    @TempDir
    Path dir;
    private final HandClock clock = new HandClock();
    private final HandTimer timer = new HandTimer();
    private final List<Published> published = new ArrayList<>();
    private final AtomicInteger moved = new AtomicInteger();

    record Published(String host, String action, Map<String, Object> payload) {
        String id() {
            return (String) payload.get("id");
        }
    }

    /** A clock the test sets and moves. */

    /** The scheduler's wake-ups, run when the test says. */
    static final class HandTimer implements Scheduler.Timer {
        record Pending(Runnable check, Duration delay, CompletableFuture<Void> future) {
        }

        final List<Pending> scheduled = new ArrayList<>();

        @Override
        public synchronized Future<?> schedule(Runnable check, Duration delay) {
            Pending pending = new Pending(check, delay, new CompletableFuture<>());
            scheduled.add(pending);
            return pending.future();
        }

        synchronized Pending last() {
            return scheduled.get(scheduled.size() - 1);
        }

        /** Runs the wake-up set last, as the executor would once its delay is over. */
        void fire() {
            Pending pending = last();
            assertFalse(pending.future().isCancelled(), "the wake-up was cancelled");
            pending.check().run();
        }
    }

    private Inventory inventory(String zone, String schedules) throws IOException {
        Files.writeString(dir.resolve("key"), "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n");
        Files.writeString(dir.resolve("known_hosts"), "127.0.0.10 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDummy\n");
        Path hosts = dir.resolve("hosts.yaml");
        Files.writeString(hosts, "time-zone: " + zone + "\nhosts:\n"
                + "  pve:\n    mac: \"AA:BB:CC:DD:EE:FF\"\n    address: 127.0.0.10\n"
                + "    ssh: {key-file: key, known-hosts-file: known_hosts}\n"
                + "    schedule:\n" + schedules
                + "  nas:\n    mac: \"AA:BB:CC:DD:EE:01\"\n    address: 127.0.0.11\n");
        return InventoryLoader.load(hosts);
    }

    private static final String FRIDAY_WAKE_AND_NIGHT_SHUTDOWN = """
                  - {cron: "0 18 * * FRI", action: wake}
                  - {cron: "0 2 * * *", action: shutdown, delay_minutes: 10, force: true}
            """;

    private Scheduler scheduler(Inventory inventory) {
        return new Scheduler(inventory, clock, (host, action, payload) -> published.add(new Published(host, action, payload)),
                moved::incrementAndGet, timer);
    }

    private List<String> ids() {
        return published.stream().map(Published::id).toList();
    }

    @Test
    void eachTimeFiresOnceWithItsIdAndTheEntrysFields() throws Exception {
        clock.set(at("2026-12-04T17:59:30", PARIS));
        Scheduler scheduler = scheduler(inventory("Europe/Paris", FRIDAY_WAKE_AND_NIGHT_SHUTDOWN));
        scheduler.start();
        assertEquals(Duration.ofSeconds(30), timer.last().delay(), "wakes up at 18:00");

        clock.set(at("2026-12-04T18:00:00.004", PARIS));
        timer.fire();
        assertEquals(List.of(new Published("pve", "wake", Map.of("id", "sched-pve-wake-202612041800",
                "requested_by", "cubeguardian:schedule"))), published);
        assertEquals(List.of("id", "requested_by"), List.copyOf(published.get(0).payload().keySet()));
        assertEquals(1, moved.get(), "bridge/info and the states are republished");

        // the same instant again, and the rest of the minute: nothing more
        timer.fire();
        clock.set(at("2026-12-04T18:00:59", PARIS));
        timer.fire();
        assertEquals(1, published.size());
        assertEquals(1, moved.get(), "nothing moved, nothing republished");

        clock.set(at("2026-12-05T02:00:00.100", PARIS));
        timer.fire();
        Published shutdown = published.get(1);
        assertEquals("shutdown", shutdown.action());
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("id", "sched-pve-shutdown-202612050200");
        expected.put("requested_by", "cubeguardian:schedule");
        expected.put("delay_minutes", 10);
        expected.put("force", true);
        assertEquals(expected, shutdown.payload());
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(shutdown.payload().keySet()));
        scheduler.stop();
    }

    @Test
    void theSameTimesGiveTheSameIdsOnEveryWorker() throws Exception {
        Inventory inventory = inventory("Europe/Paris", "      - {cron: \"*/10 * * * *\", action: check}\n");
        List<List<String>> runs = new ArrayList<>();
        for (int worker = 0; worker < 2; worker++) {
            published.clear();
            clock.set(at("2026-12-04T17:55:00", PARIS));
            Scheduler scheduler = scheduler(inventory);
            scheduler.start();
            for (int minute = 0; minute < 30; minute++) {
                clock.advance(Duration.ofMinutes(1));
                timer.fire();
            }
            scheduler.stop();
            runs.add(ids());
        }
        assertEquals(List.of("sched-pve-check-202612041800", "sched-pve-check-202612041810", "sched-pve-check-202612041820"),
                runs.get(0));
        assertEquals(runs.get(0), runs.get(1));
    }

    @Test
    void nothingMissedIsMadeUpAfterAStartPastATime() throws Exception {
        clock.set(at("2026-12-04T18:00:30", PARIS));
        Scheduler scheduler = scheduler(inventory("Europe/Paris", FRIDAY_WAKE_AND_NIGHT_SHUTDOWN));
        scheduler.start();
        timer.fire();
        assertEquals(List.of(), published);
        assertEquals("2026-12-11T18:00:00+01:00", scheduler.next().get("pve").get(0).get("at"));
    }

    @Test
    void theFirstTimeIsTheOneAfterTheStartNotAfterTheConfiguration() throws Exception {
        // the worker was configured before 18:00 and its routes came up after it
        clock.set(at("2026-12-04T17:59:50", PARIS));
        Scheduler scheduler = scheduler(inventory("Europe/Paris", FRIDAY_WAKE_AND_NIGHT_SHUTDOWN));
        clock.set(at("2026-12-04T18:00:40", PARIS));
        scheduler.start();
        timer.fire();
        assertEquals(List.of(), published);
    }

    @Test
    void aRestartWithinTheMinuteDoesNotFireItAgain() throws Exception {
        Inventory inventory = inventory("Europe/Paris", "      - {cron: \"* * * * *\", action: check}\n");
        clock.set(at("2026-12-04T17:59:58", PARIS));
        Scheduler first = scheduler(inventory);
        first.start();
        clock.set(at("2026-12-04T18:00:00.010", PARIS));
        timer.fire();
        first.stop();
        assertTrue(timer.last().future().isCancelled());

        clock.set(at("2026-12-04T18:00:20", PARIS));
        Scheduler second = scheduler(inventory);
        second.start();
        assertEquals(Duration.ofSeconds(30), timer.last().delay(), "at most MAX_SLEEP");
        clock.set(at("2026-12-04T18:00:50", PARIS));
        timer.fire();
        assertEquals(Duration.ofSeconds(10), timer.last().delay());
        clock.set(at("2026-12-04T18:01:00", PARIS));
        timer.fire();
        assertEquals(List.of("sched-pve-check-202612041800", "sched-pve-check-202612041801"), ids());
        second.stop();
    }

    @Test
    void aTimeReachedUpToTwoMinutesLateStillFiresOnceLaterItIsSkipped() throws Exception {
        Inventory inventory = inventory("Europe/Paris", FRIDAY_WAKE_AND_NIGHT_SHUTDOWN);
        clock.set(at("2026-12-04T17:59:30", PARIS));
        Scheduler busy = scheduler(inventory);
        busy.start();
        clock.set(at("2026-12-04T18:02:00", PARIS)); // exactly 2 min late
        timer.fire();
        assertEquals(List.of("sched-pve-wake-202612041800"), ids());
        busy.stop();

        published.clear();
        clock.set(at("2026-12-04T17:59:30", PARIS));
        Scheduler asleep = scheduler(inventory);
        asleep.start();
        moved.set(0);
        clock.set(at("2026-12-04T18:02:00.001", PARIS));
        timer.fire();
        assertEquals(List.of(), published);
        assertEquals(1, moved.get(), "next_schedule moved on to next week");
        assertEquals("2026-12-11T18:00:00+01:00", asleep.next().get("pve").get(0).get("at"));
        asleep.stop();
    }

    @Test
    void afterALongStallOnlyTheTimesOfTheLastTwoMinutesFireEachOnce() throws Exception {
        clock.set(at("2026-12-04T17:59:30", PARIS));
        Scheduler scheduler = scheduler(inventory("Europe/Paris", "      - {cron: \"* * * * *\", action: check}\n"));
        scheduler.start();
        clock.set(at("2026-12-04T18:03:30", PARIS)); // 18:00 and 18:01 too late, 18:02 and 18:03 not
        timer.fire();
        assertEquals(List.of("sched-pve-check-202612041802", "sched-pve-check-202612041803"), ids());
        assertEquals("2026-12-04T18:04:00+01:00", scheduler.next().get("pve").get(0).get("at"));

        // a machine that was busy for 90 s: the two times it passed both fire
        published.clear();
        clock.set(at("2026-12-04T18:05:30", PARIS));
        timer.fire();
        assertEquals(List.of("sched-pve-check-202612041804", "sched-pve-check-202612041805"), ids());
        scheduler.stop();
    }

    @Test
    void wakeUpsComeAtTheNextTimeOrEvery30Seconds() throws Exception {
        clock.set(at("2026-12-04T17:00:00", PARIS));
        Scheduler scheduler = scheduler(inventory("Europe/Paris", FRIDAY_WAKE_AND_NIGHT_SHUTDOWN));
        scheduler.start();
        assertEquals(Scheduler.MAX_SLEEP, timer.last().delay(), "a changed system clock is noticed");
        clock.set(at("2026-12-04T17:59:48.500", PARIS));
        timer.fire();
        assertEquals(Duration.ofMillis(11_500), timer.last().delay());
        scheduler.stop();
        assertTrue(timer.last().future().isCancelled());

        int before = timer.scheduled.size();
        Scheduler none = new Scheduler(inventory("Europe/Paris", "      []\n"), clock, (h, a, p) -> published.add(null),
                moved::incrementAndGet, timer);
        none.start();
        assertTrue(none.isEmpty());
        assertEquals(before, timer.scheduled.size(), "no schedule, no timer");
    }

    @Test
    void daylightSavingUnderTheScheduler() throws Exception {
        Inventory inventory = inventory("Europe/Paris", "      - {cron: \"*/15 * * * *\", action: check}\n"
                + "      - {cron: \"30 2 * * *\", action: wake}\n");
        // autumn: 01:50 CEST to 03:20 CET, a check every minute of real time
        clock.set(at("2026-10-25T01:50", PARIS));
        Scheduler scheduler = scheduler(inventory);
        scheduler.start();
        for (int minute = 0; minute < 150; minute++) {
            clock.advance(Duration.ofMinutes(1));
            timer.fire();
        }
        scheduler.stop();
        assertEquals(List.of("sched-pve-check-202610250200", "sched-pve-check-202610250215", "sched-pve-check-202610250230",
                "sched-pve-wake-202610250230", "sched-pve-check-202610250245", "sched-pve-check-202610250300",
                "sched-pve-check-202610250315"), ids());

        // a worker started during the second 02:xx hour fires none of its times again
        published.clear();
        clock.set(at("2026-10-25T02:20+01:00", PARIS, true));
        Scheduler restarted = scheduler(inventory);
        restarted.start();
        assertEquals("2026-10-25T03:00:00+01:00", restarted.next().get("pve").get(0).get("at"));
        assertEquals("2026-10-26T02:30:00+01:00", restarted.next().get("pve").get(1).get("at"));
        restarted.stop();

        // spring: 02:30 does not exist on 2026-03-29
        published.clear();
        clock.set(at("2026-03-29T01:50", PARIS));
        Scheduler spring = scheduler(inventory);
        spring.start();
        for (int minute = 0; minute < 30; minute++) { // to 03:20 CEST
            clock.advance(Duration.ofMinutes(1));
            timer.fire();
        }
        spring.stop();
        assertEquals(List.of("sched-pve-check-202603290300", "sched-pve-check-202603290315"), ids());
        assertEquals("2026-03-30T02:30:00+02:00", spring.next().get("pve").get(1).get("at"));
    }

    /** New York changes at 02:00 local both ways: in autumn 01:00-01:59 comes twice, in spring 02:00-02:59 never. */
    @Test
    void daylightSavingInNewYorkUnderTheScheduler() throws Exception {
        Inventory inventory = inventory("America/New_York", "      - {cron: \"*/20 * * * *\", action: check}\n"
                + "      - {cron: \"30 1 * * *\", action: wake}\n"
                + "      - {cron: \"30 2 * * *\", action: shutdown}\n");
        // autumn: 00:50 EDT to 02:10 EST (140 minutes of real time), a check every minute
        clock.set(at("2026-11-01T00:50", NEW_YORK));
        Scheduler scheduler = scheduler(inventory);
        scheduler.start();
        for (int minute = 0; minute < 140; minute++) {
            clock.advance(Duration.ofMinutes(1));
            timer.fire();
        }
        scheduler.stop();
        assertEquals(List.of("sched-pve-check-202611010100", "sched-pve-check-202611010120", "sched-pve-wake-202611010130",
                "sched-pve-check-202611010140", "sched-pve-check-202611010200"), ids(),
                "the hour that comes twice fires each of its times once");

        // a worker started in the second 01:xx hour fires none of its times again
        published.clear();
        clock.set(at("2026-11-01T01:35-05:00", NEW_YORK, true));
        Scheduler restarted = scheduler(inventory);
        restarted.start();
        clock.advance(Duration.ofMinutes(1));
        timer.fire();
        assertEquals(List.of(), ids());
        assertEquals("2026-11-01T02:00:00-05:00", restarted.next().get("pve").get(0).get("at"), "01:40 came already, in EDT");
        assertEquals("2026-11-02T01:30:00-05:00", restarted.next().get("pve").get(1).get("at"));
        assertEquals("2026-11-01T02:30:00-05:00", restarted.next().get("pve").get(2).get("at"));
        restarted.stop();

        // spring: 02:30 does not exist on 2026-03-08; 01:30 still fires, 02:00-02:59 never
        published.clear();
        clock.set(at("2026-03-08T01:25", NEW_YORK));
        Scheduler spring = scheduler(inventory);
        spring.start();
        for (int minute = 0; minute < 60; minute++) { // to 03:25 EDT
            clock.advance(Duration.ofMinutes(1));
            timer.fire();
        }
        spring.stop();
        assertEquals(List.of("sched-pve-wake-202603080130", "sched-pve-check-202603080140", "sched-pve-check-202603080300",
                "sched-pve-check-202603080320"), ids(), "the skipped hour fires nothing");
        assertEquals("2026-03-09T02:30:00-04:00", spring.next().get("pve").get(2).get("at"));
    }

    @Test
    void aCommandThatCannotBePublishedDoesNotStopTheOthers() throws Exception {
        clock.set(at("2026-12-04T17:59:30", PARIS));
        Inventory inventory = inventory("Europe/Paris", "      - {cron: \"0 18 * * *\", action: wake}\n"
                + "      - {cron: \"0 18 * * *\", action: check}\n");
        Scheduler scheduler = new Scheduler(inventory, clock, (host, action, payload) -> {
            if (action.equals("wake")) {
                throw new IllegalStateException("broker gone");
            }
            published.add(new Published(host, action, payload));
        }, moved::incrementAndGet, timer);
        scheduler.start();
        clock.set(at("2026-12-04T18:00:00", PARIS));
        timer.fire();
        assertEquals(List.of("sched-pve-check-202612041800"), ids());
        assertEquals("2026-12-05T18:00:00+01:00", scheduler.next().get("pve").get(0).get("at"));
        assertEquals(1, moved.get());
        scheduler.stop();
    }

    @Test
    void nextGivesEachHostWithASchedulePerEntryItsActionAndTimeWithOffset() throws Exception {
        clock.set(at("2026-12-02T12:00", PARIS));
        Inventory inventory = inventory("Europe/Paris", FRIDAY_WAKE_AND_NIGHT_SHUTDOWN
                + "      - {cron: \"0 23 * * *\", action: shutdown}\n      - {cron: \"0 12 * * 1\", action: check}\n");
        Scheduler scheduler = scheduler(inventory);
        Map<String, List<Map<String, Object>>> next = scheduler.next();
        assertEquals(List.of("pve"), List.copyOf(next.keySet()), "nas has no schedule");
        assertEquals(List.of(
                Map.of("action", "wake", "at", "2026-12-04T18:00:00+01:00"),
                Map.of("action", "shutdown", "at", "2026-12-03T02:00:00+01:00"),
                Map.of("action", "shutdown", "at", "2026-12-02T23:00:00+01:00"),
                Map.of("action", "check", "at", "2026-12-07T12:00:00+01:00")), next.get("pve"));
        assertEquals(List.of("action", "at"), List.copyOf(next.get("pve").get(0).keySet()));
        // the state's next_wake / next_shutdown: the soonest of each action
        assertEquals(at("2026-12-04T18:00", PARIS), scheduler.nextOf("pve", "wake"));
        assertEquals(at("2026-12-02T23:00", PARIS), scheduler.nextOf("pve", "shutdown"));
        assertNull(scheduler.nextOf("pve", "cancel"));
        assertNull(scheduler.nextOf("nas", "wake"));

        // in UTC the offset is Z; in summer time +02:00
        clock.set(at("2026-06-01T12:00", PARIS));
        assertEquals("2026-06-05T18:00:00+02:00", scheduler(inventory).next().get("pve").get(0).get("at"));
        assertEquals("2026-06-05T18:00:00Z", scheduler(inventory("UTC", FRIDAY_WAKE_AND_NIGHT_SHUTDOWN)).next().get("pve").get(0).get("at"));
    }

    @Test
    void anEntryThatNeverFiresHasNoTime() throws Exception {
        clock.set(at("2026-12-02T12:00", PARIS));
        Inventory inventory = inventory("Europe/Paris", "      - {cron: \"0 18 * * FRI\", action: wake}\n");
        HostConfig pve = inventory.host("pve").orElseThrow();
        HostConfig never = new HostConfig(pve.id(), pve.name(), pve.mac(), pve.address(), pve.wol(), pve.probe(), pve.ssh(),
                pve.minecraft(), pve.timeouts(), pve.idle(), List.of(Schedules.entry("0 0 30 2 *", "wake")));
        Scheduler scheduler = scheduler(new Inventory(inventory.source(), Map.of("pve", never), PARIS));
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("action", "wake");
        entry.put("at", null);
        assertEquals(Map.of("pve", List.of(entry)), scheduler.next());
        assertNull(scheduler.nextOf("pve", "wake"));
        scheduler.start();
        clock.advance(Duration.ofDays(400));
        timer.fire();
        assertEquals(List.of(), published);
        scheduler.stop();
    }
}
