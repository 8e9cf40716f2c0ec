package dev.cubeguardian.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Where each host's state and probe counts go: cubeguardian_host_state{host,state} and
 * cubeguardian_probes_total{host,target,result}.
 */
interface HostMeters {

    void state(String host, String state, Iterable<String> allStates);

    /** {@code target} is "host" or "service" (HostObserver's two probes). */
    void probe(String host, String target, boolean reachable);

    /**
     * On the worker's Prometheus registry, one collector that reads plain per-host values at scrape
     * time; on any other registry (tests' SimpleMeterRegistry), a Micrometer meter per host and state.
     */
    static HostMeters on(MeterRegistry registry, int expectedHosts) {
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            HostReadings readings = new HostReadings(expectedHosts);
            prometheus.getPrometheusRegistry().register(new HostMetricsCollector(readings));
            return readings;
        }
        return new MicrometerHostMeters(registry);
    }
}
