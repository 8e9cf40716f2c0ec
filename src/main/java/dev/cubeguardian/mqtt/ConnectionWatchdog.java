package dev.cubeguardian.mqtt;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a consumer connection that does not recover by itself. Paho reconnects after a
 * broker restart, but not from everything: a client whose session was taken over by another
 * connection with its client id was seen stuck in {@code CommsSender.start} for good, with the
 * worker's readiness DOWN and nothing restarting it. Every few seconds this looks at each
 * consumer; one that has not been subscribed for {@code grace} while the broker is reachable
 * (the publishing connection is up), or for {@code 4 x grace} in any case, has its route
 * restarted, which closes the old client forcibly and makes a new one.
 *
 * <p>A restart that does not finish within {@code restartLimit} means a thread is stuck where
 * nothing but a new process helps: the worker exits with status {@value #EXIT_CANNOT_RECOVER},
 * and the container's restart policy (or systemd) starts it again. Commands kept by the broker
 * for its persistent session wait for it.
 */
public final class ConnectionWatchdog extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionWatchdog.class);
    /** EX_TEMPFAIL of sysexits.h: try again later. */
    public static final int EXIT_CANNOT_RECOVER = 75;

    private final CamelContext context;
    private final WorkerMqttComponent mqtt;
    private final Duration grace;
    private final Duration restartLimit;
    private final Runnable exit;
    private final LongSupplier nanoTime;
    private final Map<String, Long> downSince = new HashMap<>();
    private ScheduledExecutorService ticks;
    private ExecutorService restarts;

    public ConnectionWatchdog(CamelContext context, WorkerMqttComponent mqtt, Duration grace, Duration restartLimit) {
        this(context, mqtt, grace, restartLimit, ConnectionWatchdog::exitCannotRecover, System::nanoTime);
    }

    ConnectionWatchdog(CamelContext context, WorkerMqttComponent mqtt, Duration grace, Duration restartLimit,
            Runnable exit, LongSupplier nanoTime) {
        this.context = context;
        this.mqtt = mqtt;
        this.grace = grace;
        this.restartLimit = restartLimit;
        this.exit = exit;
        this.nanoTime = nanoTime;
    }

    @Override
    protected void doStart() {
        ticks = Executors.newSingleThreadScheduledExecutor(daemon("mqtt-watchdog"));
        restarts = Executors.newSingleThreadExecutor(daemon("mqtt-watchdog-restart"));
        long period = Math.max(1, grace.toMillis() / 6);
        ticks.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (ticks != null) {
            ticks.shutdownNow();
            restarts.shutdownNow();
        }
    }

    /** One look at every consumer connection; restarts the ones that stayed down too long. */
    void tick() {
        try {
            if (!context.isStarted()) {
                return;
            }
            long now = nanoTime.getAsLong();
            List<String> down = mqtt.unsubscribedRoutes();
            downSince.keySet().retainAll(down);
            boolean brokerReachable = mqtt.publisherConnected();
            for (String routeId : down) {
                long since = downSince.computeIfAbsent(routeId, id -> now);
                long limit = brokerReachable ? grace.toNanos() : 4 * grace.toNanos();
                if (now - since >= limit) {
                    downSince.remove(routeId);
                    rebuild(routeId, Duration.ofNanos(now - since), brokerReachable);
                }
            }
        } catch (RuntimeException unexpected) {
            LOG.error("MQTT watchdog failed", unexpected);
        }
    }

    private void rebuild(String routeId, Duration down, boolean brokerReachable) {
        LOG.warn("MQTT connection of route {} has not been subscribed for {} s{}: rebuilding its client", routeId,
                down.toSeconds(), brokerReachable ? " while the broker is reachable" : "");
        Future<?> restart = restarts.submit(() -> {
            context.getRouteController().stopRoute(routeId, restartLimit.toSeconds(), TimeUnit.SECONDS);
            context.getRouteController().startRoute(routeId);
            return null;
        });
        try {
            restart.get(restartLimit.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("MQTT connection of route {} rebuilt", routeId);
        } catch (TimeoutException stuck) {
            LOG.error("Could not rebuild the MQTT connection of route {} within {} s: a thread is stuck;"
                    + " exiting with status {} so that the worker is started again", routeId, restartLimit.toSeconds(),
                    EXIT_CANNOT_RECOVER);
            exit.run();
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } catch (Exception failed) {
            // the broker refused or is away: the next round tries again
            Throwable cause = failed.getCause() != null ? failed.getCause() : failed;
            LOG.warn("Rebuilding the MQTT connection of route {} failed, will try again: {}", routeId, cause.getMessage());
        }
    }

    /** Exits, and halts if a shutdown hook hangs: a stuck worker must not stay half-alive. */
    private static void exitCannotRecover() {
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(20_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(EXIT_CANNOT_RECOVER);
        }, "mqtt-watchdog-halt");
        halt.setDaemon(true);
        halt.start();
        new Thread(() -> System.exit(EXIT_CANNOT_RECOVER), "mqtt-watchdog-exit").start();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
