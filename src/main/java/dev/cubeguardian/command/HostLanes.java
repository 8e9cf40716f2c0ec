package dev.cubeguardian.command;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs work one task at a time per lane, in submission order, with lanes in parallel on a
 * shared bounded pool. One lane per host keeps a wake and a shutdown of the same host from
 * overlapping, while a thousand hosts still share a handful of threads.
 */
public final class HostLanes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HostLanes.class);

    private final ExecutorService pool;
    private final int maxQueuedPerLane;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

    public HostLanes(ExecutorService pool, int maxQueuedPerLane) {
        this.pool = pool;
        this.maxQueuedPerLane = maxQueuedPerLane;
    }

    /** Queues the task on the lane; false (nothing queued) when the lane already has its maximum waiting. */
    public boolean submit(String lane, Runnable task) {
        return submit(lane, task, maxQueuedPerLane);
    }

    public boolean submit(String lane, Runnable task, int maxQueued) {
        return lanes.computeIfAbsent(lane, name -> new Lane()).offer(task, maxQueued);
    }

    public int queued(String lane) {
        Lane l = lanes.get(lane);
        return l == null ? 0 : l.size();
    }

    @Override
    public void close() throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(15, TimeUnit.SECONDS)) {
            pool.shutdownNow();
        }
    }

    private final class Lane {
        private final Queue<Runnable> waiting = new ArrayDeque<>();
        private boolean running;

        synchronized boolean offer(Runnable task, int maxQueued) {
            if (waiting.size() >= maxQueued) {
                return false;
            }
            waiting.add(task);
            if (!running) {
                try {
                    pool.execute(this::drain);
                } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                    waiting.remove(task);
                    return false;
                }
                running = true;
            }
            return true;
        }

        synchronized int size() {
            return waiting.size();
        }

        private void drain() {
            while (true) {
                Runnable next;
                synchronized (this) {
                    next = waiting.poll();
                    if (next == null) {
                        running = false;
                        return;
                    }
                }
                try {
                    next.run();
                } catch (Throwable unexpected) {
                    // a task must answer its own command; this only keeps the lane alive, even after an Error
                    LOG.error("Command task failed", unexpected);
                }
            }
        }
    }
}
