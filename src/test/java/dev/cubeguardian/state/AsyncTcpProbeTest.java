package dev.cubeguardian.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.probe.HostReachability;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AsyncTcpProbeTest {

    /** The monitor's scheduler, recording the delay of every deadline it is given. */
    private static final class RecordingScheduler extends ScheduledThreadPoolExecutor {
        final List<Long> delays = new CopyOnWriteArrayList<>();
        final List<Long> dueAtMillis = new CopyOnWriteArrayList<>();
        final List<ScheduledFuture<?>> futures = new CopyOnWriteArrayList<>();

        RecordingScheduler() {
            super(1);
            setRemoveOnCancelPolicy(true);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            long nowMillis = System.nanoTime() / 1_000_000;
            delays.add(unit.toMillis(delay));
            dueAtMillis.add(nowMillis + unit.toMillis(delay));
            ScheduledFuture<?> future = super.schedule(command, delay, unit);
            futures.add(future);
            return future;
        }
    }

    private final RecordingScheduler scheduler = new RecordingScheduler();
    private AsyncTcpProbe probe;

    @AfterEach
    void stop() {
        if (probe != null) {
            probe.close();
        }
        scheduler.shutdownNow();
    }

    @Test
    void aListeningPortIsReachableAndItsDeadlineIsCancelled() throws Exception {
        probe = new AsyncTcpProbe(scheduler);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            HostReachability answer = probe.probe("127.0.0.1", server.getLocalPort(), Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS);
            assertTrue(answer.reachable());
            assertTrue(scheduler.futures.get(0).isCancelled());
            assertEquals(0, scheduler.getQueue().size(), "a cancelled deadline left in the monitor's queue");
        }
    }

    @Test
    void aClosedPortIsUnreachable() throws Exception {
        probe = new AsyncTcpProbe(scheduler);
        int closed;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closed = server.getLocalPort();
        }
        assertFalse(probe.probe("127.0.0.1", closed, Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS).reachable());
    }

    @Test
    void deadlinesEndOnTheMonitorsGridSoProbesStartedTogetherTimeOutTogether() throws Exception {
        probe = new AsyncTcpProbe(scheduler);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            for (int k = 0; k < 20; k++) {
                probe.probe("127.0.0.1", server.getLocalPort(), Duration.ofMillis(2_000)).get(5, TimeUnit.SECONDS);
            }
        }
        for (int k = 0; k < scheduler.delays.size(); k++) {
            long delay = scheduler.delays.get(k);
            assertTrue(delay >= 2_000 && delay < 2_000 + HostMonitor.GRID_MS, "deadline after " + delay + " ms");
            // the recorder reads the clock just after the probe did (a few microseconds later, rarely a millisecond);
            // a deadline off the grid would be off by 0-19 ms at random
            long off = scheduler.dueAtMillis.get(k) % HostMonitor.GRID_MS;
            assertTrue(off < 4, "due " + off + " ms after a grid line");
        }
    }
}
