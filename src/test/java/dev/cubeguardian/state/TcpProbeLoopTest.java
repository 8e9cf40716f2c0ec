package dev.cubeguardian.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.it.Blackhole;
import dev.cubeguardian.probe.HostReachability;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TcpProbeLoopTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    /** Tasks the loop handed to the pool. */
    private final AtomicInteger tasks = new AtomicInteger();
    private final List<String> answeredOn = new CopyOnWriteArrayList<>();
    private TcpProbeLoop loop;

    private TcpProbeLoop start() throws Exception {
        loop = new TcpProbeLoop(task -> {
            tasks.incrementAndGet();
            pool.execute(task);
        });
        return loop;
    }

    private CompletableFuture<HostReachability> probe(int port, Duration timeout) {
        CompletableFuture<HostReachability> answer = new CompletableFuture<>();
        loop.probe("127.0.0.1", port, timeout, r -> {
            answeredOn.add(Thread.currentThread().getName());
            answer.complete(r);
        });
        return answer;
    }

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.close();
        }
        pool.shutdownNow();
    }

    @Test
    void aListeningPortIsReachableWithTheTimeItTook() throws Exception {
        start();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            HostReachability answer = probe(server.getLocalPort(), Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS);
            assertTrue(answer.reachable());
            assertTrue(answer.latencyMs() != null && answer.latencyMs() >= 0 && answer.latencyMs() < 2_000, answer.toString());
        }
        // answered on the pool, never on the loop's own thread
        assertFalse(answeredOn.contains("host-probes-tcp"), answeredOn.toString());
    }

    @Test
    void aClosedPortIsUnreachableAtOnceNotAtTheDeadline() throws Exception {
        start();
        int closed;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closed = server.getLocalPort();
        }
        long t = System.nanoTime();
        assertFalse(probe(closed, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS).reachable());
        assertTrue(System.nanoTime() - t < 2_000_000_000L, "a refused connect waited for its deadline");
    }

    @Test
    void aSilentHostIsUnreachableAtItsDeadlineOnTheMonitorsGrid() throws Exception {
        start();
        try (Blackhole silent = new Blackhole()) {
            long t = System.nanoTime();
            HostReachability answer = probe(silent.port(), Duration.ofMillis(500)).get(5, TimeUnit.SECONDS);
            long tookMs = (System.nanoTime() - t) / 1_000_000;
            long answeredAtMs = System.nanoTime() / 1_000_000;
            assertFalse(answer.reachable());
            assertTrue(tookMs >= 500 && tookMs < 500 + HostMonitor.GRID_MS + 300, "answered after " + tookMs + " ms");
            // the deadline ends on a grid line: answered a little after it, never halfway between two
            assertTrue(answeredAtMs % HostMonitor.GRID_MS < 10, "answered " + answeredAtMs % HostMonitor.GRID_MS + " ms after a grid line");
        }
    }

    @Test
    void probesStartedTogetherAreAnsweredInBatchesNotOneTaskEach() throws Exception {
        start();
        int n = 320;
        CountDownLatch all = new CountDownLatch(n);
        try (Blackhole silent = new Blackhole()) {
            for (int k = 0; k < n; k++) {
                loop.probe("127.0.0.1", silent.port(), Duration.ofMillis(300), r -> all.countDown());
            }
            assertTrue(all.await(5, TimeUnit.SECONDS));
        }
        // 320 timeouts on one or two grid lines: 10 tasks of 32, a few more if they straddle lines
        assertTrue(tasks.get() <= 3 * n / TcpProbeLoop.BATCH, tasks.get() + " pool tasks for " + n + " answers");
    }

    @Test
    void anAnswerThatThrowsDoesNotStopTheLoop() throws Exception {
        start();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            loop.probe("127.0.0.1", server.getLocalPort(), Duration.ofSeconds(2), r -> {
                throw new IllegalStateException("a careless observer");
            });
            assertTrue(probe(server.getLocalPort(), Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS).reachable());
        }
    }

    @Test
    void closingTheLoopEndsItsThreadAndItsSockets() throws Exception {
        start();
        try (Blackhole silent = new Blackhole()) {
            for (int k = 0; k < 50; k++) {
                probe(silent.port(), Duration.ofSeconds(30));
            }
            Thread.sleep(200);
            loop.close();
            Thread.sleep(100);
            assertEquals(0, Thread.getAllStackTraces().keySet().stream().filter(th -> th.getName().equals("host-probes-tcp")).count());
        }
        loop = null;
    }
}
