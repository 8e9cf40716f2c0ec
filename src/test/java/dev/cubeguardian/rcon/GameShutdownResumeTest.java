package dev.cubeguardian.rcon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.store.FollowedWorkStore;
import dev.cubeguardian.testing.HandClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;

/**
 * A game countdown the previous run kept (v1.1): resumed with what is still ahead, finished at
 * once when it came due during the downtime and the host's backstop has not fired, forgotten
 * past that; and left alone by a share group member that starts as a standby.
 */
class GameShutdownResumeTest {

    private static final Instant START = HandClock.DEFAULT_START;
    /** A 5-minute countdown begun at START: warnings 5m, 1m and 10s before, stop-timeout 2m (the defaults). */
    private static final Instant DUE = START.plus(Duration.ofMinutes(5));

    @TempDir
    Path dir;

    private final HandClock clock = new HandClock(START);
    private final ScheduledExecutorService timer = mock(ScheduledExecutorService.class);
    private final Map<String, byte[]> kept = new HashMap<>();
    private final FollowedWorkStore store = new FollowedWorkStore() {
        @Override
        public Map<String, byte[]> load(String kind) {
            return kind.equals(GameShutdown.KIND) ? new HashMap<>(kept) : Map.of();
        }

        @Override
        public void save(String kind, String host, byte[] value) {
            if (value == null) {
                kept.remove(host);
            } else {
                kept.put(host, value);
            }
        }
    };
    private GameShutdown shutdown;

    @BeforeEach
    void countdownKeptByThePreviousRun() throws Exception {
        Inventory inventory = RconHostFixture.inventory(dir, 25565, 25575, RconHostFixture.PASSWORD, "");
        List<Map<String, Object>> events = new ArrayList<>();
        shutdown = new GameShutdown(inventory, new RconConsole(inventory), null, Locale.ENGLISH,
                (host, event) -> events.add(event), timer, clock, host -> false);
        shutdown.keepIn(store);
        kept.put(RconHostFixture.HOST, ("stop-5 " + DUE + " " + START).getBytes(StandardCharsets.UTF_8));
    }

    private List<Long> scheduledDelays() {
        ArgumentCaptor<Long> delays = ArgumentCaptor.forClass(Long.class);
        verify(timer, org.mockito.Mockito.atLeast(0)).schedule(any(Runnable.class), delays.capture(), eq(TimeUnit.MILLISECONDS));
        return delays.getAllValues();
    }

    @Test
    void resumedBeforeItsTimeTheWarningsStillAheadAndTheStopAreScheduled() {
        clock.set(START.plus(Duration.ofMinutes(2)));   // the 5-minute warning is behind, 1m and 10s ahead
        shutdown.resume();
        assertEquals(List.of(120_000L, 170_000L, 180_000L), scheduledDelays().stream().sorted().toList());
        assertEquals(1, kept.size(), "still kept until it ends");
    }

    @Test
    void dueDuringTheDowntimeAndBeforeTheBackstopItIsFinishedAtOnce() {
        clock.set(DUE.plus(Duration.ofSeconds(30)));   // the backstop fires at DUE + 2m
        shutdown.resume();
        assertEquals(List.of(0L), scheduledDelays());
    }

    @Test
    void pastTheBackstopItIsForgottenAndNothingRuns() {
        clock.set(DUE.plus(Duration.ofMinutes(2)));
        shutdown.resume();
        verify(timer, never()).schedule(any(Runnable.class), anyLong(), any());
        assertEquals(Map.of(), kept);
    }

    @Test
    void aMemberThatStartsAsAStandbyLeavesTheCountdownToTheActiveOne() {
        clock.set(START.plus(Duration.ofMinutes(2)));
        shutdown.forgetKept();
        verify(timer, never()).schedule(any(Runnable.class), anyLong(), any());
        assertEquals(Map.of(), kept, "not resumed later either, when this member becomes active");
        shutdown.resume();
        verify(timer, never()).schedule(any(Runnable.class), anyLong(), any());
    }

    @Test
    void aKeptEntryThatIsNotOneIsDropped() {
        kept.put(RconHostFixture.HOST, "garbage".getBytes(StandardCharsets.UTF_8));
        kept.put("gone", ("stop-1 " + DUE + " " + START).getBytes(StandardCharsets.UTF_8));   // a host no longer in the inventory
        shutdown.resume();
        verify(timer, never()).schedule(any(Runnable.class), anyLong(), any());
        assertEquals(Map.of(), kept);
    }
}
