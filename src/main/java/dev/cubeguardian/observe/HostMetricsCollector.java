package dev.cubeguardian.observe;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;

/**
 * cubeguardian_host_state and cubeguardian_probes_total, built from {@link HostReadings} at each scrape
 * with the names, help texts and labels the Micrometer meters had, so the text is the same. The samples
 * are short-lived garbage of the scrape instead of meters kept for good (HostReadings says why).
 */
final class HostMetricsCollector implements MultiCollector {

    static final String STATE = "cubeguardian_host_state";
    static final String PROBES = "cubeguardian_probes";
    private static final MetricMetadata STATE_METADATA = new MetricMetadata(STATE, "1 for the host's current state");
    private static final MetricMetadata PROBES_METADATA = new MetricMetadata(PROBES, "Host and game probes, by result");

    private final HostReadings readings;

    HostMetricsCollector(HostReadings readings) {
        this.readings = readings;
    }

    @Override
    public MetricSnapshots collect() {
        List<String> states = readings.states();
        int hosts = readings.size();
        List<GaugeDataPointSnapshot> stateSamples = new ArrayList<>(hosts * states.size());
        List<CounterDataPointSnapshot> probeSamples = new ArrayList<>(hosts * 2);
        readings.forEach((host, values) -> {
            String current = values.state();
            if (current != null) {
                for (String state : states) {
                    stateSamples.add(new GaugeDataPointSnapshot(state.equals(current) ? 1 : 0,
                            Labels.of("host", host, "state", state), null));
                }
            }
            for (int slot = 0; slot < HostReadings.SLOTS; slot++) {
                long count = values.probes(slot);
                // as with Micrometer, a counter appears once it has counted
                if (count > 0) {
                    probeSamples.add(new CounterDataPointSnapshot(count, Labels.of("host", host,
                            "result", HostReadings.result(slot), "target", HostReadings.target(slot)), null, 0));
                }
            }
        });
        MetricSnapshots.Builder snapshots = MetricSnapshots.builder();
        if (!stateSamples.isEmpty()) {
            snapshots.metricSnapshot(new GaugeSnapshot(STATE_METADATA, stateSamples));
        }
        if (!probeSamples.isEmpty()) {
            snapshots.metricSnapshot(new CounterSnapshot(PROBES_METADATA, probeSamples));
        }
        return snapshots.build();
    }

    /**
     * Reserved on the registry, so a second collector is refused at registration, and asked only by a
     * scrape that includes one of them (Micrometer's scrape with included names). No Micrometer meter may
     * have either name on this registry: it registers, but every scrape then fails on a duplicate name.
     */
    @Override
    public List<String> getPrometheusNames() {
        return List.of(STATE, PROBES);
    }
}
