package dev.cubeguardian.state;

import dev.cubeguardian.config.HostConfig;
import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.config.ProbeSettings;
import dev.cubeguardian.probe.Observation;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every host all the time: one probe at a time per host, every steady interval while
 * nothing changes and every fast interval while something does, on a bounded pool shared by
 * all hosts. Once a second it lets the trackers act on deadlines and timers.
 */
public final class HostMonitor extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(HostMonitor.class);

    private final CamelContext context;
    private final Inventory inventory;
    private final HostLifecycle lifecycle;
    private final HostObserver observer;
    private final LifecycleSettings settings;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;
    private ExecutorService probes;
    private TcpProbeLoop tcpProbes;

    /** A host's next probe, and whether one is running. */
    private static final class Slot {
        ScheduledFuture<?> next;
        boolean running;
        boolean soon;
    }

    public HostMonitor(CamelContext context, Inventory inventory, HostLifecycle lifecycle, HostObserver observer,
            LifecycleSettings settings) {
        this.context = context;
        this.inventory = inventory;
        this.lifecycle = lifecycle;
        this.observer = observer;
        this.settings = settings;
        setIgnoreExchangeEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }

    /** Probing starts once the routes run (its results are published through them) and stops before they do. */
    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.CamelContextStartedEvent) {
            begin();
        } else if (event instanceof CamelEvent.CamelContextStoppingEvent) {
            end();
        }
    }

    private synchronized void begin() {
        if (scheduler != null) {
            return;
        }
        // one pending probe per host, one more per host that probeSoon cancelled (a cancelled task stays
        // queued until due), and the tick. Camel's default profile holds 1,000 tasks: a 10,000-host inventory lost the probes of
        // 9,000 hosts to "queue size limit reached" (benchmark 10)
        int tasks = 2 * inventory.hosts().size() + 16;
        scheduler = context.getExecutorServiceManager().newScheduledThreadPool(this, "host-monitor",
                new ThreadPoolProfileBuilder("host-monitor").poolSize(1).maxPoolSize(1).maxQueueSize(tasks).build());
        // one observation per host at most; with Camel's default queue of 1,000 and its CallerRuns
        // policy, a large sweep made the asynchronous connects' two threads observe and publish
        // themselves, and connects that had succeeded waited past their deadline
        int threads = settings.probeThreads();
        probes = context.getExecutorServiceManager().newThreadPool(this, "host-probes",
                new ThreadPoolProfileBuilder("host-probes").poolSize(threads).maxPoolSize(threads).maxQueueSize(tasks).build());
        try {
            tcpProbes = new TcpProbeLoop(probes);
        } catch (java.io.IOException e) {
            LOG.warn("No asynchronous TCP probes ({}): every probe holds a probe thread", e.getMessage());
        }
        lifecycle.onCommand(this::probeSoon);
        long spreadMs = Math.max(1, settings.fastInterval().toMillis());
        for (HostConfig host : inventory.hosts().values()) {
            Slot slot = new Slot();
            slots.put(host.id(), slot);
            // spread the first probes so a large inventory does not probe everything in one burst
            schedule(host, slot, Duration.ofMillis(ThreadLocalRandom.current().nextLong(spreadMs)));
        }
        scheduler.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        // the start of the first sweep: benchmark 10 measures the sweep from this line
        LOG.info("Monitoring {} hosts, first probes spread over {} ms", slots.size(), spreadMs);
    }

    private synchronized void end() {
        if (scheduler != null) {
            context.getExecutorServiceManager().shutdownNow(scheduler);
            context.getExecutorServiceManager().shutdownNow(probes);
            if (tcpProbes != null) {
                tcpProbes.close();
            }
        }
    }

    @Override
    protected void doStop() {
        end();
    }

    /** A command changed the host's course: probe it within the fast interval instead of the steady one. */
    void probeSoon(String hostId) {
        Slot slot = slots.get(hostId);
        HostConfig host = inventory.host(hostId).orElse(null);
        if (slot == null || host == null) {
            return;
        }
        synchronized (slot) {
            if (slot.running) {
                slot.soon = true;
            } else if (slot.next != null && slot.next.getDelay(TimeUnit.MILLISECONDS) > settings.fastInterval().toMillis()) {
                slot.next.cancel(false);
                schedule(host, slot, settings.fastInterval());
            }
        }
    }

    private void schedule(HostConfig host, Slot slot, Duration delay) {
        long millis = onTheGrid(System.nanoTime(), delay.toMillis());
        synchronized (slot) {
            slot.next = scheduler.schedule(() -> start(host, slot), millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Probes start on a grid of this many milliseconds. */
    static final long GRID_MS = 20;

    /**
     * The delay made a little longer so that it ends on the grid: probes due within the same
     * {@link #GRID_MS} start together, and the scheduler's thread wakes once for all of them, not
     * once per probe (10,000 hosts at 15 s are 667 probes a second; each wake-up is a futex
     * wait and wake in the kernel). A probe starts at most that much later.
     */
    static long onTheGrid(long nowNanos, long delayMillis) {
        long dueMillis = nowNanos / 1_000_000 + Math.max(0, delayMillis);
        long gridded = (dueMillis + GRID_MS - 1) / GRID_MS * GRID_MS;
        return gridded - nowNanos / 1_000_000;
    }

    private void start(HostConfig host, Slot slot) {
        synchronized (slot) {
            if (slot.running) {
                return;
            }
            slot.running = true;
            slot.soon = false;
        }
        if (!lifecycle.active()) {
            // a standby of a share group: the active member probes; look again at the steady pace
            synchronized (slot) {
                slot.running = false;
            }
            if (!scheduler.isShutdown()) {
                schedule(host, slot, settings.steadyInterval());
            }
            return;
        }
        if (tcpProbes != null && host.minecraft().isEmpty() && host.probe().method() == ProbeSettings.ProbeMethod.TCP
                && TcpProbeLoop.handles(host.address())) {
            // nothing else to probe on this host: a connect that holds no thread while it waits; answered on the pool
            tcpProbes.probe(host.address(), host.probe().port(), host.probe().timeout(),
                    reachability -> finish(host, slot, () -> observer.observed(host, reachability)));
            return;
        }
        probes.execute(() -> finish(host, slot, () -> observer.observe(host)));
    }

    private void finish(HostConfig host, Slot slot, java.util.function.Supplier<Observation> observation) {
        try {
            lifecycle.observe(host.id(), observation.get());
        } catch (RuntimeException unexpected) {
            LOG.error("Probe of {} failed unexpectedly", host.id(), unexpected);
        } finally {
            Duration next = lifecycle.tracker(host.id()).nextProbeIn(settings.fastInterval(), settings.steadyInterval());
            synchronized (slot) {
                slot.running = false;
                next = slot.soon ? settings.fastInterval() : next;
            }
            if (!scheduler.isShutdown()) {
                schedule(host, slot, next);
            }
        }
    }

    private void tick() {
        try {
            lifecycle.tickAll();
        } catch (RuntimeException unexpected) {
            LOG.error("Lifecycle timers failed", unexpected);
        }
    }
}
