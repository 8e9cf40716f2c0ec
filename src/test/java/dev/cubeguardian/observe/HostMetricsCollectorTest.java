package dev.cubeguardian.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.state.HostState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HostMetricsCollectorTest {

    /** As HostLifecycle passes them. */
    private static final List<String> STATES = Arrays.stream(HostState.values()).map(HostState::wireName).toList();
    private static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    @Test
    void theScrapeShowsTheStateAndTheProbes() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        WorkerMetrics metrics = new WorkerMetrics(() -> registry);
        metrics.hostState("demo", "online", STATES);
        for (int k = 0; k < 3; k++) {
            metrics.probe("demo", "host", true);
        }
        metrics.probe("demo", "service", false);

        String scrape = registry.scrape();
        assertTrue(scrape.contains("# HELP cubeguardian_host_state 1 for the host's current state\n"), scrape);
        assertTrue(scrape.contains("# TYPE cubeguardian_host_state gauge\n"), scrape);
        assertTrue(scrape.contains("cubeguardian_host_state{host=\"demo\",state=\"online\"} 1.0\n"), scrape);
        assertTrue(scrape.contains("cubeguardian_host_state{host=\"demo\",state=\"off\"} 0.0\n"), scrape);
        assertEquals(STATES.size(), lines(scrape, "cubeguardian_host_state{").size(), scrape);
        assertTrue(scrape.contains("# HELP cubeguardian_probes_total Host and game probes, by result\n"), scrape);
        assertTrue(scrape.contains("# TYPE cubeguardian_probes_total counter\n"), scrape);
        assertTrue(scrape.contains("cubeguardian_probes_total{host=\"demo\",result=\"up\",target=\"host\"} 3.0\n"), scrape);
        assertTrue(scrape.contains("cubeguardian_probes_total{host=\"demo\",result=\"down\",target=\"service\"} 1.0\n"), scrape);
        assertEquals(2, lines(scrape, "cubeguardian_probes_total{").size(), "only counters that counted: " + scrape);

        metrics.hostState("demo", "off", STATES);
        String after = registry.scrape();
        assertTrue(after.contains("cubeguardian_host_state{host=\"demo\",state=\"online\"} 0.0\n"), after);
        assertTrue(after.contains("cubeguardian_host_state{host=\"demo\",state=\"off\"} 1.0\n"), after);
    }

    /** The text clients read is what the Micrometer meters made, in both formats a scraper may ask for. */
    @Test
    void theTextIsTheSameAsTheMicrometerMeters() {
        PrometheusMeterRegistry collected = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HostMeters collector = HostMeters.on(collected, 4);
        HostMeters micrometer = new MicrometerHostMeters(meters);
        for (HostMeters hosts : List.of(collector, micrometer)) {
            hosts.state("demo", "online", STATES);
            hosts.state("b-2", "waking", STATES);
            hosts.state("b-2", "starting", STATES);
            hosts.probe("demo", "host", true);
            hosts.probe("demo", "host", true);
            hosts.probe("demo", "host", false);
            hosts.probe("demo", "service", true);
            hosts.probe("only-probed", "host", false);
        }
        assertTrue(collected.getMeters().isEmpty(), "meters: " + collected.getMeters());
        for (String format : List.of("text/plain; version=0.0.4; charset=utf-8", OPEN_METRICS)) {
            List<String> expected = lines(meters.scrape(format), "");
            List<String> actual = lines(collected.scrape(format), "");
            assertEquals(cubeguardianLines(expected), cubeguardianLines(actual), format);
            assertEquals(7 + 7 + 2 + 2 + 4, cubeguardianLines(actual).size(), actual.toString());
        }
    }

    @Test
    void aThousandHostsAddNoMeterPerHost() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        WorkerMetrics metrics = new WorkerMetrics(() -> registry, 1_000);
        metrics.commandAnswered("check", "CHECKED", 1);
        int before = registry.getMeters().size();
        for (int host = 0; host < 1_000; host++) {
            for (String state : STATES) {
                metrics.hostState("h" + host, state, STATES);
            }
            metrics.probe("h" + host, "host", true);
            metrics.probe("h" + host, "service", false);
        }
        assertEquals(before, registry.getMeters().size());
        assertTrue(registry.getMeters().stream().map(meter -> meter.getId().getName())
                .noneMatch(name -> name.equals("cubeguardian.host.state") || name.equals("cubeguardian.probes")));

        String scrape = registry.scrape();
        assertEquals(7_000, lines(scrape, "cubeguardian_host_state{").size());
        assertEquals(1_000, lines(scrape, "cubeguardian_host_state{").stream().filter(line -> line.endsWith(" 1.0")).count());
        assertTrue(scrape.contains("cubeguardian_host_state{host=\"h999\",state=\"unknown\"} 1.0\n"));
        assertEquals(2_000, lines(scrape, "cubeguardian_probes_total{").size());
        assertTrue(scrape.contains("cubeguardian_commands_total{action=\"check\",code=\"CHECKED\"} 1.0\n"), "Micrometer's meters still there");
    }

    @Test
    void nothingIsShownBeforeAHostHasAStateOrAProbe() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        WorkerMetrics metrics = new WorkerMetrics(() -> registry);
        metrics.commandAnswered("check", "CHECKED", 1);
        assertFalse(registry.scrape().contains("cubeguardian_host_state"));
        assertFalse(registry.scrape().contains("cubeguardian_probes"));

        metrics.probe("demo", "host", true);
        String scrape = registry.scrape();
        assertFalse(scrape.contains("cubeguardian_host_state"), "a host only probed has no state yet: " + scrape);
        assertTrue(scrape.contains("cubeguardian_probes_total{host=\"demo\",result=\"up\",target=\"host\"} 1.0\n"), scrape);
    }

    @Test
    void probeThreadsCountWhileTheHttpThreadScrapes() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        WorkerMetrics metrics = new WorkerMetrics(() -> registry, 50);
        int threads = 4;
        int probes = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> running = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                running.add(pool.submit(() -> {
                    start.await();
                    for (int k = 0; k < probes; k++) {
                        String host = "h" + (k % 50);
                        metrics.probe(host, "host", k % 2 == 0);
                        metrics.hostState(host, STATES.get(k % STATES.size()), STATES);
                    }
                    return null;
                }));
            }
            start.countDown();
            while (running.stream().anyMatch(f -> !f.isDone())) {
                registry.scrape();
            }
            for (Future<?> done : running) {
                done.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        String scrape = registry.scrape();
        double counted = lines(scrape, "cubeguardian_probes_total{").stream()
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        assertEquals(threads * probes, counted, 0.0);
        assertEquals(50 * STATES.size(), lines(scrape, "cubeguardian_host_state{").size());
        assertEquals(50, lines(scrape, "cubeguardian_host_state{").stream().filter(line -> line.endsWith(" 1.0")).count());
    }

    @Test
    void anotherRegistryStillGetsMicrometerMeters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        WorkerMetrics metrics = new WorkerMetrics(() -> registry);
        metrics.hostState("demo", "online", STATES);
        metrics.probe("demo", "host", true);
        metrics.probe("demo", "host", true);
        assertEquals(1.0, registry.get("cubeguardian.host.state").tag("host", "demo").tag("state", "online").gauge().value());
        assertEquals(0.0, registry.get("cubeguardian.host.state").tag("host", "demo").tag("state", "off").gauge().value());
        assertEquals(2.0, registry.get("cubeguardian.probes").tag("host", "demo").tag("target", "host").tag("result", "up")
                .counter().count());
    }

    @Test
    void anUnknownProbeTargetIsRefused() {
        WorkerMetrics metrics = new WorkerMetrics(() -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> metrics.probe("demo", "game", true));
    }

    @Test
    void withoutARegistryNothingHappens() {
        WorkerMetrics metrics = WorkerMetrics.none();
        metrics.hostState("demo", "online", STATES);
        metrics.probe("demo", "host", true);
    }

    private static List<String> lines(String scrape, String prefix) {
        return scrape.lines().filter(line -> line.startsWith(prefix)).toList();
    }

    private static List<String> cubeguardianLines(List<String> lines) {
        return lines.stream().filter(line -> line.contains("cubeguardian_")).sorted().collect(Collectors.toList());
    }
}
