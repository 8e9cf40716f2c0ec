package dev.cubeguardian.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The worker's own Prometheus metrics, next to Camel's on /observe/metrics. The registry is
 * the one camel-micrometer-prometheus creates, found when first needed; with metrics off it is
 * absent and every call here does nothing.
 */
public final class WorkerMetrics {

    private final Supplier<MeterRegistry> registrySource;
    private final int expectedHosts;
    private volatile MeterRegistry registry;
    /** Set with {@link #registry}, before it. */
    private volatile HostMeters hostMeters;
    /** Known actions times result codes is about 200; more means names no action has. */
    static final int MAX_COMMAND_METERS = 256;
    private final Map<String, CommandMeters> commandMeters = new ConcurrentHashMap<>();
    private final java.util.List<java.util.function.Consumer<MeterRegistry>> watched = new java.util.concurrent.CopyOnWriteArrayList<>();

    public WorkerMetrics(Supplier<MeterRegistry> registrySource) {
        this(registrySource, 16);
    }

    /** {@code expectedHosts}: the inventory's size, to size the per-host values once. */
    public WorkerMetrics(Supplier<MeterRegistry> registrySource, int expectedHosts) {
        this.registrySource = registrySource;
        this.expectedHosts = expectedHosts;
    }

    /** For tests and for a worker without metrics. */
    public static WorkerMetrics none() {
        return new WorkerMetrics(() -> null);
    }

    private MeterRegistry registry() {
        MeterRegistry found = registry;
        if (found == null) {
            found = registrySource.get();
            if (found != null) {
                bind(found);
            }
        }
        return found;
    }

    /** Once, though probe threads may find the registry together: a second host collector on it would be refused. */
    private synchronized void bind(MeterRegistry found) {
        if (registry == null) {
            // the watched gauges first: registering them again after a failure here is harmless, a collector is not
            watched.forEach(watch -> watch.accept(found));
            hostMeters = HostMeters.on(found, expectedHosts);
            registry = found;
        }
    }

    /**
     * A count kept elsewhere (the MQTT outbox, the command memory), shown as a gauge once the
     * registry exists. Call before the worker starts.
     */
    public void watch(String name, String description, Supplier<Number> value) {
        watched.add(meters -> Gauge.builder(name, value, v -> v.get().doubleValue()).description(description).register(meters));
    }

    /**
     * One command answered: counted by action and code, timed from receipt to result. The caller
     * names only known actions (a client chooses the action level of its topic: each name a meter
     * with a histogram would let it grow the registry without end); this keeps at most
     * {@value #MAX_COMMAND_METERS} action/code pairs in any case, the rest counted as "other".
     */
    public void commandAnswered(String action, String code, long durationMs) {
        MeterRegistry meters = registry();
        if (meters == null) {
            return;
        }
        CommandMeters answered = commandMeters.get(action + ' ' + code);
        if (answered == null) {
            String label = action == null || action.length() > 16 || commandMeters.size() >= MAX_COMMAND_METERS ? "other" : action;
            answered = commandMeters.computeIfAbsent(label + ' ' + code, key -> new CommandMeters(
                    Counter.builder("cubeguardian.commands").description("Commands answered, by action and result code")
                            .tag("action", label).tag("code", code).register(meters),
                    Timer.builder("cubeguardian.command.latency").description("From receiving a command to its result")
                            .tag("action", label).publishPercentileHistogram().register(meters)));
        }
        answered.count().increment();
        answered.latency().record(durationMs, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Looked up once per action and code: building a meter's id per command was a tenth of a check's CPU (performance.md). */
    private record CommandMeters(Counter count, Timer latency) {
    }

    public void magicPacketsSent(String host, int packets) {
        MeterRegistry meters = registry();
        if (meters != null) {
            Counter.builder("cubeguardian.magic.packets").description("Wake-on-LAN magic packets sent")
                    .tag("host", host).register(meters).increment(packets);
        }
    }

    public void sshCall(String host, String outcome, Duration took) {
        MeterRegistry meters = registry();
        if (meters != null) {
            Timer.builder("cubeguardian.ssh.calls").description("SSH shutdown, cancel and reboot calls, by outcome")
                    .tag("host", host).tag("outcome", outcome).register(meters).record(took);
        }
    }

    /**
     * cubeguardian_probes_total{host,target,result}; {@code target} is "host" or "service". The monitor
     * counts every probe of every host (667 a second for 10,000 hosts): kept as plain counts per host,
     * not meters (HostReadings). {@code host} is an inventory id, never a name from a message.
     */
    public void probe(String host, String target, boolean reachable) {
        if (registry() != null) {
            hostMeters.probe(host, target, reachable);
        }
    }

    /**
     * cubeguardian_host_state{host,state} is 1 for the host's current state and 0 for the others of
     * {@code allStates}; {@code host} is an inventory id.
     */
    public void hostState(String host, String state, Iterable<String> allStates) {
        if (registry() != null) {
            hostMeters.state(host, state, allStates);
        }
    }

    /** An answer of the HTTP API, by status: refusals (401, 429, 503) are what an operator watches. */
    public void httpApiAnswered(int status) {
        MeterRegistry meters = registry();
        if (meters != null) {
            Counter.builder("cubeguardian.http.api.responses").description("HTTP API answers, by status")
                    .tag("status", Integer.toString(status)).register(meters).increment();
        }
    }

    /** A gateway connection closed for bad input or abuse, by reason (not_minecraft, handshake_timeout, ...). */
    public void gatewayRefused(String host, String reason) {
        MeterRegistry meters = registry();
        if (meters != null) {
            Counter.builder("cubeguardian.gateway.refused")
                    .description("Gateway connections closed for bad input or abuse, by reason")
                    .tag("host", host).tag("reason", reason).register(meters).increment();
        }
    }

    /** A player's login at the gateway, by outcome (wake_requested, starting, not_allowed, cooldown, proxied). */
    public void gatewayLogin(String host, String outcome) {
        MeterRegistry meters = registry();
        if (meters != null) {
            Counter.builder("cubeguardian.gateway.logins").description("Logins at the gateway, by outcome")
                    .tag("host", host).tag("outcome", outcome).register(meters).increment();
        }
    }
}
