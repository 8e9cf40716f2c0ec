package dev.cubeguardian.bench;

import static dev.cubeguardian.bench.Bench.P;
import static dev.cubeguardian.bench.Bench.cgRow;
import static dev.cubeguardian.bench.Bench.field;
import static dev.cubeguardian.bench.Bench.i;
import static dev.cubeguardian.bench.Bench.jvmVariant;
import static dev.cubeguardian.bench.Bench.line;
import static dev.cubeguardian.bench.Bench.ratio;
import static dev.cubeguardian.bench.Bench.section;

import dev.cubeguardian.it.CountingListeners;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark 8: a burst of checks for one host (a dashboard fleet, or clients retrying at once).
 * Every check is published as fast as the broker takes them (QoS 1, the broker's in-flight
 * window the only pace), then the harness waits for every result. The Python bot probes once
 * per check, inline; CubeGuardian's checks that wait for a host share its next probe.
 */
final class CheckBurstBench {

    private static final String FLOOR = "floor: do-nothing echo client";

    private CheckBurstBench() {
    }

    static void defaults(Map<String, String> p, boolean quick) {
        p.put("burst-n", "2000");
        p.put("burst-reps", quick ? "2" : "5");
        p.put("burst-jvm", "default,lean");
        // "disk": the command memory on disk, as a worker with a hosts file has it; "none": CUBEGUARDIAN_DATA_DIR=none
        p.put("burst-store", "disk");
        // a JFR settings name (profile): records each worker's measured bursts into the log directory
        p.put("burst-jfr", "");
    }

    record Burst(int sent, int answered, Map<String, Integer> codes, double seconds, int probes) {
        double checkedPerSecond() {
            return codes.getOrDefault("CHECKED", 0) / seconds;
        }
    }

    static void run() throws Exception {
        int n = i("burst-n");
        int reps = i("burst-reps");
        section("8. A burst of " + n + " checks for one host");
        Map<String, List<Burst>> all = new LinkedHashMap<>();
        try (CountingListeners open = new CountingListeners(1)) {
            List<HostSpec> specs = List.of(new HostSpec("h000", open.port(0), null));
            // the ceiling of this harness and broker: a client that answers each check at once, probing nothing
            try (Broker broker = new Broker().unboundedQueues().start();
                    Client c = new Client(broker.url(), "bench-burst-echo-cli");
                    Client echo = new Client(broker.url(), "bench-burst-echo")) {
                echo.onMessage((topic, msg) -> echo.publishQuietly(topic.replace("/cmd/", "/result/"),
                        ("{\"id\":\"" + field(msg.getPayload(), "id") + "\",\"code\":\"CHECKED\"}").getBytes(StandardCharsets.UTF_8)));
                echo.subscribe("cubeguardian/+/cmd/+");
                c.subscribe("cubeguardian/+/result/+");
                all.put(FLOOR, bursts(c, open, n, reps, 0, null));
            }
            for (String variant : P.get("burst-jvm").split(",")) {
                try (Broker broker = new Broker().unboundedQueues().start();
                        Worker w = Worker.java("burst-" + variant, broker, Bench.inventory(specs, "1s"),
                                env(), jvmVariant(variant));
                        Client c = new Client(broker.url(), "bench-burst-" + variant)) {
                    c.subscribe("cubeguardian/+/result/+");
                    w.awaitOnline(60);
                    all.put(cgRow(variant), bursts(c, open, n, reps, w.process.pid(), "burst-" + variant));
                }
            }
            try (Broker broker = new Broker().unboundedQueues().start();
                    Worker w = Worker.python("burst-py", broker, Bench.pyHosts(Map.of("h000", open.port(0))), false, 900);
                    Client c = new Client(broker.url(), "bench-burst-py")) {
                c.subscribe("cubeguardian/+/result/+");
                w.awaitOnline(30);
                all.put("Python paho bot", bursts(c, open, n, reps, 0, null));
            }
        }
        line("");
        line("Each burst publishes " + n + " checks for one host with unique ids as fast as the broker acknowledges them (QoS 1),"
                + " then waits up to 60 s for every result; one unmeasured burst first, then " + reps + " measured. Rate = `CHECKED`"
                + " results / seconds from the first publish to the last result. Probes = TCP connections the host's port accepted"
                + " during the burst (the monitor's steady probe is every 60 s).");
        line("");
        line("| Target | burst | answered | CHECKED | other codes | seconds | CHECKED / s | probes |");
        line("|---|---:|---:|---:|---|---:|---:|---:|");
        Map<String, Double> median = new LinkedHashMap<>();
        for (Map.Entry<String, List<Burst>> e : all.entrySet()) {
            int k = 0;
            for (Burst b : e.getValue()) {
                Map<String, Integer> others = new LinkedHashMap<>(b.codes());
                int checked = others.getOrDefault("CHECKED", 0);
                others.remove("CHECKED");
                line(String.format(Locale.ROOT, "| %s | %d | %d | %d | %s | %.3f | %.0f | %d |", e.getKey(), ++k, b.answered(), checked,
                        others.isEmpty() ? "none" : others.toString(), b.seconds(), b.checkedPerSecond(), b.probes()));
            }
            median.put(e.getKey(), median(e.getValue().stream().mapToDouble(Burst::checkedPerSecond).sorted().toArray()));
        }
        line("");
        double py = median.get("Python paho bot");
        line(String.format(Locale.ROOT, "Median rate of the floor (a client that answers each check at once, probing nothing): %.0f/s;"
                + " Python bot / floor = %s.", median.get(FLOOR), ratio(py, median.get(FLOOR))));
        for (String variant : P.get("burst-jvm").split(",")) {
            double cg = median.get(cgRow(variant));
            line(String.format(Locale.ROOT, "Median rate: CubeGuardian (%s) %.0f CHECKED/s, Python bot %.0f/s: CubeGuardian / Python = %s"
                    + " (target: at least 2, with every check CHECKED); CubeGuardian / floor = %s.", variant, cg, py, ratio(cg, py),
                    ratio(cg, median.get(FLOOR))));
        }
    }

    private static Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CUBEGUARDIAN_MONITOR_STEADY_INTERVAL", "60s");
        if (P.get("burst-store").equals("none")) {
            env.put("CUBEGUARDIAN_DATA_DIR", "none");
        }
        return env;
    }

    private static double median(double[] sorted) {
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    private static List<Burst> bursts(Client c, CountingListeners open, int n, int reps, long pid, String jfrName)
            throws Exception {
        burst(c, open, n); // warm-up: JIT, connections
        boolean jfr = jfrName != null && !P.get("burst-jfr").isEmpty();
        if (jfr) {
            GatewayBench.jcmd(pid, "JFR.start", "name=burst", "settings=" + P.get("burst-jfr"));
        }
        List<Burst> measured = new java.util.ArrayList<>();
        for (int r = 0; r < reps; r++) {
            Thread.sleep(500);
            Burst b = burst(c, open, n);
            System.out.printf(Locale.ROOT, "  burst: %d answered %s in %.3f s, %d probes%n", b.answered(), b.codes(), b.seconds(), b.probes());
            measured.add(b);
        }
        if (jfr) {
            GatewayBench.jcmd(pid, "JFR.dump", "name=burst", "filename=" + Bench.work.resolve(jfrName + ".jfr"));
        }
        return measured;
    }

    private static Burst burst(Client c, CountingListeners open, int n) throws Exception {
        String tag = Long.toHexString(ThreadLocalRandom.current().nextLong());
        String prefix = "b-" + tag + "-";
        Map<String, Integer> codes = new ConcurrentHashMap<>();
        AtomicInteger answered = new AtomicInteger();
        AtomicLong lastAt = new AtomicLong();
        java.util.Set<String> seen = ConcurrentHashMap.newKeySet();
        c.onMessage((topic, msg) -> {
            byte[] payload = msg.getPayload();
            String id = field(payload, "id");
            if (id != null && id.startsWith(prefix) && seen.add(id)) {
                codes.merge(String.valueOf(field(payload, "code")), 1, Integer::sum);
                lastAt.set(System.nanoTime());
                answered.incrementAndGet();
            }
        });
        int probesBefore = open.accepted(0);
        long start = System.nanoTime();
        for (int k = 0; k < n; k++) {
            c.publish("cubeguardian/h000/cmd/check", ("{\"id\":\"" + prefix + k + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (answered.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        c.onMessage(null);
        double seconds = (Math.max(lastAt.get(), start) - start) / 1e9;
        return new Burst(n, answered.get(), new LinkedHashMap<>(codes), seconds, open.accepted(0) - probesBefore);
    }
}
