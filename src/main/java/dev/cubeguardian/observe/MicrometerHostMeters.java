package dev.cubeguardian.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The host meters on a registry that is not Prometheus's (tests' SimpleMeterRegistry): a Micrometer
 * gauge per host and state, a counter per host, target and result. Fine for a few hosts; the worker's
 * own registry uses {@link HostMetricsCollector} instead (HostReadings says why).
 */
final class MicrometerHostMeters implements HostMeters {

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> stateGauges = new ConcurrentHashMap<>();
    /** Per host, by HostReadings' slot: the registry returns the same counter each time, but a builder per probe cost CPU. */
    private final Map<String, Counter[]> probeCounters = new ConcurrentHashMap<>();

    MicrometerHostMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void state(String host, String state, Iterable<String> allStates) {
        for (String candidate : allStates) {
            AtomicInteger value = stateGauges.computeIfAbsent(host + '\u0000' + candidate, key -> {
                AtomicInteger holder = new AtomicInteger();
                Gauge.builder("cubeguardian.host.state", holder, AtomicInteger::get)
                        .description("1 for the host's current state").tag("host", host).tag("state", candidate)
                        .register(registry);
                return holder;
            });
            value.set(candidate.equals(state) ? 1 : 0);
        }
    }

    @Override
    public void probe(String host, String target, boolean reachable) {
        int slot = HostReadings.slot(target, reachable);
        Counter[] counters = probeCounters.computeIfAbsent(host, h -> new Counter[HostReadings.SLOTS]);
        Counter counter = counters[slot];
        if (counter == null) {
            counter = Counter.builder("cubeguardian.probes").description("Host and game probes, by result")
                    .tag("host", host).tag("target", target).tag("result", HostReadings.result(slot)).register(registry);
            counters[slot] = counter;
        }
        counter.increment();
    }
}
