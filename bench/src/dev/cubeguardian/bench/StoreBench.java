package dev.cubeguardian.bench;

import static dev.cubeguardian.bench.Bench.P;
import static dev.cubeguardian.bench.Bench.d;
import static dev.cubeguardian.bench.Bench.i;
import static dev.cubeguardian.bench.Bench.line;

import dev.cubeguardian.bench.Broker;
import dev.cubeguardian.bench.Client;
import dev.cubeguardian.bench.HostSpec;
import dev.cubeguardian.bench.Stats;
import dev.cubeguardian.bench.Bench.Step;
import dev.cubeguardian.bench.Worker;
import dev.cubeguardian.it.CountingListeners;
import dev.cubeguardian.store.MvLedgerStore;
import dev.cubeguardian.store.WorkerStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * Benchmark 7: what the command memory on disk (issue 13, {@link MvLedgerStore}) costs. The same
 * packaged worker runs with the store off ({@code CUBEGUARDIAN_DATA_DIR=none}) and on (a data
 * directory of its own), in the same run: 7a command latency, both measured in turn like
 * benchmark 1; 7b throughput, the two taking turns at each rate like benchmark 2; 7c the store
 * after 100,000 commands with unique ids (file size, the worker's RSS and heap, the minute
 * prune, restarts with the full file against an empty one and none); 7d the store's write in
 * this JVM, without MQTT, split into the map's put and the commit. Loopback only; every loop is
 * bounded in count and time. Written up in docs/performance.md.
 */
final class StoreBench {

    private StoreBench() {
    }

    static void defaults(Map<String, String> p, boolean quick) {
        p.put("store-parts", "latency,throughput,size,micro");
        p.put("store-jvm", "default,lean");
        p.put("store-tp-jvm", "default");
        p.put("store-tp-rates", quick ? "400,1600" : "400,800,1600,3200,4800");
        p.put("store-n", quick ? "20000" : "100000");
        p.put("store-size-jvm", "lean");
        p.put("store-size-off", "true");
        p.put("store-window", "64");
        p.put("store-restarts", quick ? "1" : "3");
        p.put("store-idle", "65");
        p.put("store-micro-n", quick ? "5000" : "20000");
        p.put("store-jfr", "");
    }

    static final String FILE = WorkerStore.FILE;
    /** A real `check` result of the worker, for 7d; from 7c when it ran. */
    static final AtomicReference<byte[]> SAMPLE = new AtomicReference<>();

    static void run() throws Exception {
        Bench.section("7. Command memory on disk: cost per command (store off / on, same run) and size after "
                + String.format(Locale.ROOT, "%,d", i("store-n")) + " commands");
        line("Store off = `CUBEGUARDIAN_DATA_DIR=none` (memory only, as v1); store on = a data directory of its own per worker (H2 MVStore,"
                + " `commands.mv.db`, one commit per answered command before the broker's acknowledgement). Same jar, same inventory, same broker.");
        line("");
        List<String> parts = List.of(P.get("store-parts").split(","));
        if (parts.contains("latency")) {
            latency();
        }
        if (parts.contains("throughput")) {
            throughput();
        }
        if (parts.contains("size")) {
            size();
        }
        if (parts.contains("micro")) {
            micro();
        }
    }

    static Map<String, String> env(String base, Path dataDir, int mgmt) {
        Map<String, String> env = new HashMap<>();
        env.put("CUBEGUARDIAN_BASE_TOPIC", base);
        env.put("CUBEGUARDIAN_DATA_DIR", dataDir == null ? "none" : dataDir.toString());
        if (mgmt > 0) {
            env.put("CUBEGUARDIAN_MANAGEMENT_PORT", String.valueOf(mgmt));
        }
        return env;
    }

    static String row(String variant, boolean on) {
        return "CubeGuardian " + variant + ", store **" + (on ? "on" : "off") + "**";
    }

    // ---------------------------------------------------------------- 7a. latency

    static void latency() throws Exception {
        int n = i("latency-n");
        int warm = i("warmup");
        line("### 7a. Command latency, store off and on");
        line("");
        List<String> variants = List.of(P.get("store-jvm").split(","));
        List<AutoCloseable> open = new ArrayList<>();
        List<Bench.LatencyPath> paths = new ArrayList<>();
        Map<String, Path> dirs = new LinkedHashMap<>();
        Map<String, Long> pids = new LinkedHashMap<>();
        long[][] lat;
        try (Broker broker = new Broker().start(); CountingListeners probe = new CountingListeners(1)) {
            try {
                Client echo = Bench.track(open, new Client(broker.url(), "store-echo"));
                Client echoCli = Bench.track(open, new Client(broker.url(), "store-echo-cli"));
                echo.onMessage((topic, msg) -> echo.publishQuietly(topic.replace("/cmd/", "/result/"), msg.getPayload()));
                echo.subscribe("echo/+/cmd/+");
                echoCli.subscribe("echo/+/result/+");
                paths.add(new Bench.LatencyPath(Bench.FLOOR_ROW, echoCli, "echo/h/cmd/check"));
                Path inv = Bench.inventory(List.of(new HostSpec("h1", probe.port(0), null)), "1s");
                List<Worker> workers = new ArrayList<>();
                for (String variant : variants) {
                    for (boolean on : new boolean[] {false, true}) {
                        String base = "st-" + (on ? "on-" : "off-") + variant;
                        Path dir = on ? Files.createTempDirectory(Bench.work, "data-" + base + "-") : null;
                        Worker w = Bench.track(open, Worker.java("store-lat-" + base, broker, inv, env(base, dir, 0), Bench.jvmVariant(variant)));
                        Client c = Bench.track(open, new Client(broker.url(), "store-lat-" + base));
                        c.subscribe(base + "/+/result/+");
                        workers.add(w);
                        paths.add(new Bench.LatencyPath(row(variant, on), c, base + "/h1/cmd/check"));
                        pids.put(row(variant, on), w.process.pid());
                        if (dir != null) {
                            dirs.put(row(variant, on), dir);
                        }
                    }
                }
                for (Worker w : workers) {
                    w.awaitOnline(90);
                }
                lat = new long[paths.size()][n];
                long gap = (long) (d("latency-gap-ms") * 1_000_000);
                String tag = Long.toHexString(ThreadLocalRandom.current().nextLong());
                for (int k = 0; k < warm + n; k++) {
                    for (int j = 0; j < paths.size(); j++) {
                        int at = (j + k) % paths.size();
                        Bench.LatencyPath path = paths.get(at);
                        long took = Bench.once(path.client(), path.topic(), "sl-" + tag + "-" + at + "-" + k);
                        if (k >= warm) {
                            lat[at][k - warm] = took;
                        }
                        LockSupport.parkNanos(gap);
                    }
                }
            } finally {
                for (int j = open.size() - 1; j >= 0; j--) {
                    open.get(j).close();
                }
            }
        }
        line("n = " + n + " measured `check` commands per path after " + warm + " warm-up ones, one at a time, all paths running at once and measured in turn"
                + " (order rotated each round), " + P.get("latency-gap-ms") + " ms pause after each; one host probed by TCP connect to a loopback listener.");
        line("");
        line("| Path | p50 ms | p95 ms | p99 ms | max ms | over 3 ms | file after (KB) |");
        line("|---|---:|---:|---:|---:|---:|---:|");
        Map<String, long[]> byLabel = new LinkedHashMap<>();
        for (int j = 0; j < paths.size(); j++) {
            String label = paths.get(j).label();
            byLabel.put(label, lat[j]);
            Stats s = Stats.of(lat[j]);
            Path dir = dirs.get(label);
            String file = dir == null ? "" : String.valueOf(fileSize(dir) / 1024);
            line(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f | %d | %s |", label, s.p(50), s.p(95), s.p(99), s.max(), s.over(3.0), file));
        }
        line("");
        for (String variant : variants) {
            long[] off = byLabel.get(row(variant, false));
            long[] on = byLabel.get(row(variant, true));
            Stats so = Stats.of(off);
            Stats sn = Stats.of(on);
            // paired: command k of both paths ran in the same round, a few ms apart
            double[] diff = new double[n];
            for (int k = 0; k < n; k++) {
                diff[k] = (on[k] - off[k]) / 1e6;
            }
            Arrays.sort(diff);
            double mean = Arrays.stream(diff).average().orElse(Double.NaN);
            line(String.format(Locale.ROOT, "- %s: on − off: p50 %+.3f ms, p95 %+.3f ms, p99 %+.3f ms; median of the %d paired differences (same round) %+.3f ms,"
                    + " their mean %+.3f ms; over 3 ms %d (off) against %d (on).", variant, sn.p(50) - so.p(50), sn.p(95) - so.p(95), sn.p(99) - so.p(99), n,
                    diff[n / 2], mean, so.over(3.0), sn.over(3.0)));
        }
        line("");
    }

    // ---------------------------------------------------------------- 7b. throughput

    static void throughput() throws Exception {
        int hosts = i("tp-hosts");
        List<Integer> rates = Arrays.stream(P.get("store-tp-rates").split(",")).map(Integer::parseInt).toList();
        line("### 7b. Throughput, store off and on");
        line("");
        Map<String, List<Step>> all = new LinkedHashMap<>();
        Map<String, List<Double>> written = new LinkedHashMap<>();
        Map<String, Path> dirs = new LinkedHashMap<>();
        try (CountingListeners probes = new CountingListeners(hosts); Broker broker = new Broker().start()) {
            List<HostSpec> specs = new ArrayList<>();
            for (int h = 0; h < hosts; h++) {
                specs.add(new HostSpec(String.format("h%03d", h), probes.port(h), null));
            }
            Path inv = Bench.inventory(specs, "1s");
            record Target(String label, Worker worker, Client client, IntFunction<String> topic) {
            }
            List<Target> targets = new ArrayList<>();
            List<AutoCloseable> open = new ArrayList<>();
            try {
                for (String variant : P.get("store-tp-jvm").split(",")) {
                    for (boolean on : new boolean[] {false, true}) {
                        String base = "tp-" + (on ? "on-" : "off-") + variant;
                        Path dir = on ? Files.createTempDirectory(Bench.work, "data-" + base + "-") : null;
                        Worker w = Bench.track(open, Worker.java("store-tp-" + base, broker, inv, env(base, dir, 0), Bench.jvmVariant(variant)));
                        Client c = Bench.track(open, new Client(broker.url(), "store-tp-" + base));
                        c.subscribe(base + "/+/result/+");
                        targets.add(new Target(row(variant, on), w, c, k -> String.format("%s/h%03d/cmd/check", base, k % hosts)));
                        if (dir != null) {
                            dirs.put(row(variant, on), dir);
                        }
                    }
                }
                for (Target t : targets) {
                    t.worker().awaitOnline(90);
                }
                Map<String, Double> base = new HashMap<>();
                for (Target t : targets) {
                    // the same unmeasured warm-up for each
                    Bench.baseP50 = Double.NaN;
                    Bench.step(t.client(), t.topic(), rates.get(0), Math.max(1.0, i("warmup") / (double) rates.get(0)), d("tp-grace"), t.worker().process.pid());
                    all.put(t.label(), new ArrayList<>());
                    written.put(t.label(), new ArrayList<>());
                }
                Map<String, Boolean> failed = new HashMap<>();
                for (int r = 0; r < rates.size(); r++) {
                    int rate = rates.get(r);
                    for (int j = 0; j < targets.size(); j++) {
                        Target t = targets.get((j + r) % targets.size());
                        if (failed.getOrDefault(t.label(), false)) {
                            continue;
                        }
                        Bench.baseP50 = base.getOrDefault(t.label(), Double.NaN);
                        long pid = t.worker().process.pid();
                        long w0 = ioWritten(pid);
                        Step s = Bench.step(t.client(), t.topic(), rate, d("tp-seconds"), d("tp-grace"), pid);
                        long w1 = ioWritten(pid);
                        base.putIfAbsent(t.label(), s.all().p(50));
                        all.get(t.label()).add(s);
                        written.get(t.label()).add((w1 - w0) / 1024.0 / s.sent());
                        System.out.printf(Locale.ROOT, "  %s rate %d: sent %d answered %d p50 %.2f p95 %.2f ms sustained %s%n", t.label(), rate, s.sent(),
                                s.answered(), s.all().p(50), s.all().p(95), s.sustained());
                        if (!s.sustained()) {
                            failed.put(t.label(), true);
                            // let the backlog drain before the other target's step
                            Thread.sleep(5000);
                        }
                        Thread.sleep(1000);
                    }
                }
            } finally {
                for (int j = open.size() - 1; j >= 0; j--) {
                    open.get(j).close();
                }
            }
        }
        line(String.format(Locale.ROOT, "%d hosts (TCP probes to loopback listeners), `check` round robin, open loop, %s s per step, up to %s s grace;"
                + " the targets take turns at each rate (order rotated), each after the same unmeasured warm-up; sustained as in benchmark 2."
                + " written KB / command = the worker's `wchar` (/proc/<pid>/io: bytes handed to write(2), its log included) during the step / commands.",
                hosts, P.get("tp-seconds"), P.get("tp-grace")));
        line("");
        line("| Target | rate /s | published /s | sent | answered | p50 ms | p95 ms | p50 first 25% | p50 last 25% | CPU ms / command | written KB / command | sustained |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        Map<String, Integer> best = new LinkedHashMap<>();
        for (Map.Entry<String, List<Step>> e : all.entrySet()) {
            int b = 0;
            List<Double> w = written.get(e.getKey());
            for (int k = 0; k < e.getValue().size(); k++) {
                Step s = e.getValue().get(k);
                line(String.format(Locale.ROOT, "| %s | %d | %.0f | %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.1f | %s |", e.getKey(), s.rate(), s.achieved(),
                        s.sent(), s.answered(), s.all().p(50), s.all().p(95), s.first().p(50), s.last().p(50), s.cpuMsPerCmd(), w.get(k),
                        s.sustained() ? "yes" : "**no**"));
                if (s.sustained()) {
                    b = Math.max(b, s.rate());
                }
            }
            best.put(e.getKey(), b);
        }
        line("");
        for (Map.Entry<String, Path> e : dirs.entrySet()) {
            line(String.format(Locale.ROOT, "- %s: `%s` after the steps: %.1f MB.", e.getKey(), FILE, fileSize(e.getValue()) / 1048576.0));
        }
        for (String variant : P.get("store-tp-jvm").split(",")) {
            int off = best.get(row(variant, false));
            int on = best.get(row(variant, true));
            line(String.format(Locale.ROOT, "- %s: highest sustained rate %d/s with the store off, %d/s on (on / off = %s; steps %s: 'at least' when the top step passed).",
                    variant, off, on, Bench.ratio(on, off), P.get("store-tp-rates")));
        }
        line("");
    }

    /** Bytes the process handed to write(2) so far (/proc/<pid>/io wchar), page cache included. */
    static long ioWritten(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/io"))) {
                if (l.startsWith("wchar:")) {
                    return Long.parseLong(l.substring(6).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // reported as 0
        }
        return 0;
    }

    // ---------------------------------------------------------------- 7c. size after N commands, restarts

    record Snap(double rssMb, double hwmMb, double heapMb, long fileBytes, double entries, double bytes, double forgotten, double failures) {
    }

    static Snap snap(Worker w, int mgmt, Path dir, boolean heap) throws Exception {
        double rss = w.rssMb("VmRSS");
        double hwm = w.rssMb("VmHWM");
        double live = Double.NaN;
        if (heap) {
            // GC.class_histogram runs a full GC first: its total is the live heap (read after RSS, which it would change)
            Matcher m = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(GatewayBench.jcmd(w.process.pid(), "GC.class_histogram"));
            live = m.find() ? Long.parseLong(m.group(1)) / 1048576.0 : Double.NaN;
        }
        String metrics = GatewayBench.metrics(mgmt);
        return new Snap(rss, hwm, live, dir == null ? -1 : fileSize(dir), GatewayBench.metric(metrics, "cubeguardian_ledger_entries"),
                GatewayBench.metric(metrics, "cubeguardian_ledger_bytes"), GatewayBench.metric(metrics, "cubeguardian_ledger_forgotten_early"),
                GatewayBench.metric(metrics, "cubeguardian_ledger_store_failures"));
    }

    static String snapRow(String when, Snap s) {
        return String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.0f | %.1f | %s | %.0f |", when, s.fileBytes() < 0 ? "–" : mb(s.fileBytes()), s.rssMb(),
                s.hwmMb(), s.heapMb(), s.entries(), s.bytes() / 1048576.0, Double.isNaN(s.forgotten()) ? "–" : String.format(Locale.ROOT, "%.0f", s.forgotten()),
                s.failures());
    }

    static void size() throws Exception {
        int n = i("store-n");
        int window = i("store-window");
        String variant = P.get("store-size-jvm");
        List<String> flags = Bench.jvmVariant(variant);
        line("### 7c. The store after " + String.format(Locale.ROOT, "%,d", n) + " commands with unique ids; restarts");
        line("");
        Path dir = Files.createTempDirectory(Bench.work, "data-size-");
        List<String> rows = new ArrayList<>();
        List<String> growth = new ArrayList<>();
        List<String> restarts = new ArrayList<>();
        String fileStats;
        String readBack;
        List<String> floods = new ArrayList<>();
        try (CountingListeners probes = new CountingListeners(10); Broker broker = new Broker().start()) {
            List<HostSpec> specs = new ArrayList<>();
            for (int h = 0; h < 10; h++) {
                specs.add(new HostSpec("f" + h, probes.port(h), null));
            }
            Path inv = Bench.inventory(specs, "1s");
            int mgmt = Broker.freePort();
            if (Boolean.parseBoolean(P.get("store-size-off"))) {
                // the baseline: the same commands to the same worker with the store off
                int port = Broker.freePort();
                try (Worker w = Worker.java("st-size-off", broker, inv, env("cubeguardian", null, port), flags);
                        Client c = new Client(broker.url(), "store-size-off")) {
                    Flood f = flood(w, c, port, null, n, window, "store off (none): ", rows);
                    floods.add(String.format(Locale.ROOT, "store off: sent %,d in %.1f s (%.0f/s), answered %,d: %s", n, f.seconds(), n / f.seconds(),
                            f.answered(), f.codes()));
                    stop(w);
                }
            }
            try (Worker w = Worker.java("store-size", broker, inv, env("cubeguardian", dir, mgmt), flags);
                    Client c = new Client(broker.url(), "store-size")) {
                Path jfr = P.get("store-jfr").isEmpty() ? null : Bench.work.resolve("store-size-on.jfr");
                if (jfr != null) {
                    // a profile of the store-on worker over the flood, for where its time goes
                    w.awaitOnline(90);
                    GatewayBench.jcmd(w.process.pid(), "JFR.start", "name=store", "settings=" + P.get("store-jfr"));
                }
                Flood f = flood(w, c, mgmt, dir, n, window, "store on: ", rows);
                if (jfr != null) {
                    GatewayBench.jcmd(w.process.pid(), "JFR.dump", "name=store", "filename=" + jfr);
                    line("JFR recording of the flood: " + jfr);
                }
                floods.add(String.format(Locale.ROOT, "store on: sent %,d in %.1f s (%.0f/s), answered %,d: %s", n, f.seconds(), n / f.seconds(),
                        f.answered(), f.codes()));
                growth.addAll(f.growth());
                Semaphore inFlight = f.inFlight();
                String tag = f.tag();
                int idle = i("store-idle");
                Thread.sleep(idle * 1000L);
                // the scrape reads the ledger's gauges, which run the minute prune; then one more command to be sure
                GatewayBench.metrics(mgmt);
                inFlight.acquire();
                c.publish("cubeguardian/f0/cmd/check", ("{\"id\":\"z-" + tag + "-after-idle\"}").getBytes(StandardCharsets.UTF_8));
                inFlight.tryAcquire(10, TimeUnit.SECONDS);
                inFlight.release();
                Thread.sleep(1000);
                rows.add(snapRow("store on: +" + idle + " s idle, after the minute prune", snap(w, mgmt, dir, true)));
                double stop = stop(w);
                rows.add(String.format(Locale.ROOT, "| store on: worker stopped (SIGTERM: the store is closed; exit %.2f s after the signal) | %s | | | | | | | |", stop,
                        mb(fileSize(dir))));
            }
            fileStats = fileStats(dir.resolve(FILE));

            // read back in this JVM (no worker): opening the file and loading it, as CommandLedger does at start; then what
            // MVStore's own compaction would make of it (the worker never calls it)
            Path copy = Files.createTempDirectory(Bench.work, "data-copy-");
            Files.copy(dir.resolve(FILE), copy.resolve(FILE), StandardCopyOption.COPY_ATTRIBUTES);
            StringBuilder rb = new StringBuilder("In this JVM, on a copy of the stopped file (page cache warm): ");
            rb.append(openAndLoad(copy)).append("; again: ").append(openAndLoad(copy)).append(". ");
            MVStore compacting = new MVStore.Builder().fileName(copy.resolve(FILE).toString()).autoCommitDisabled().open();
            long c0 = System.nanoTime();
            compacting.compactFile(30_000);
            long c1 = System.nanoTime();
            compacting.close();
            long c2 = System.nanoTime();
            rb.append(String.format(Locale.ROOT, "`MVStore.compactFile(30000)` on that copy (not done by the worker): %.0f ms, then close %.0f ms: %s MB left; then ",
                    (c1 - c0) / 1e6, (c2 - c1) / 1e6, mb(fileSize(copy)))).append(openAndLoad(copy)).append(". ");
            // MVStore's offline compaction: the live maps copied into a new file
            Path fresh = Files.createTempDirectory(Bench.work, "data-compacted-");
            long o0 = System.nanoTime();
            MVStore.compact(copy.resolve(FILE).toString(), fresh.resolve(FILE).toString(), false, null);
            long o1 = System.nanoTime();
            rb.append(String.format(Locale.ROOT, "`MVStore.compact(source, target, false, null)` (a copy of the live data into a new file): %.0f ms, %s MB; then ",
                    (o1 - o0) / 1e6, mb(fileSize(fresh)))).append(openAndLoad(fresh)).append('.');
            readBack = rb.toString();

            // restarts, interleaved: none, an empty file, the full file
            int reps = i("store-restarts");
            Map<String, List<Double>> startS = new LinkedHashMap<>();
            Map<String, List<Double>> stopS = new LinkedHashMap<>();
            for (int r = 0; r < reps; r++) {
                for (String kind : List.of("store off (none)", "store on, empty directory", "store on, the full file")) {
                    Path d = kind.endsWith("(none)") ? null : kind.endsWith("directory") ? Files.createTempDirectory(Bench.work, "data-empty-") : dir;
                    int port = Broker.freePort();
                    try (Worker w = Worker.java("st-restart-" + (d == null ? "none" : d == dir ? "full" : "empty"), broker, inv, env("cubeguardian", d, port), flags)) {
                        double s = (w.awaitOnline(120) - w.startedAt) / 1e9;
                        startS.computeIfAbsent(kind, k -> new ArrayList<>()).add(s);
                        Thread.sleep(2000);
                        Snap snap = r == reps - 1 ? snap(w, port, d, true) : null;
                        if (d == dir && r == 0) {
                            restarts.add(readBackLine(w.log));
                        }
                        double stop = stop(w);
                        stopS.computeIfAbsent(kind, k -> new ArrayList<>()).add(stop);
                        if (snap != null) {
                            rows.add(snapRow("restart: " + kind + String.format(Locale.ROOT, " (online after %.2f s, stopped in %.2f s)", s, stop), snap));
                        }
                    }
                    Thread.sleep(500);
                }
            }
            restarts.add(0, startS.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s: %s s", e.getKey(),
                    e.getValue().stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList())).reduce((a, b) -> a + "; " + b).orElse(""));
            restarts.add("SIGTERM to exit: " + stopS.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s: %s s", e.getKey(),
                    e.getValue().stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList())).reduce((a, b) -> a + "; " + b).orElse(""));
        }
        line(String.format(Locale.ROOT, "`check` commands with unique ids to 10 hosts (TCP probes to loopback listeners), at most %d unanswered at a time"
                + " (as fast as the worker answers); worker `%s` flags; its data directory of its own. Live heap = the total of `jcmd GC.class_histogram`"
                + " (a full GC first); entries, MB held, forgotten early and store failures from the worker's metrics (`cubeguardian_ledger_*`).", window, variant));
        line("");
        line(String.join("; ", floods) + ".");
        line("");
        line("File size while sending (commands: size, rate over the last tenth): " + String.join("; ", growth) + ".");
        line("");
        line("| When | `" + FILE + "` MB | VmRSS MB | VmHWM MB | live heap MB | ledger entries | ledger MB held | forgotten early | store failures |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        rows.forEach(Bench::line);
        line("");
        line("The stopped file, opened read-only here: " + fileStats);
        line("");
        line(readBack);
        line("");
        line("Start to `bridge/state online`, restarts interleaved: " + String.join("; ", restarts));
        line("");
    }

    /** SIGTERM and wait: seconds until the process has exited (the worker closes its store on the way). */
    static double stop(Worker w) throws InterruptedException {
        long t0 = System.nanoTime();
        w.process.destroy();
        if (!w.process.waitFor(30, TimeUnit.SECONDS)) {
            return Double.NaN;
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    static String openAndLoad(Path dir) {
        long t0 = System.nanoTime();
        WorkerStore store = WorkerStore.open(dir);
        long t1 = System.nanoTime();
        int loaded = store.ledger().load(Instant.now().minusSeconds(600)).size();
        long t2 = System.nanoTime();
        store.close();
        long t3 = System.nanoTime();
        return String.format(Locale.ROOT, "open %.0f ms, load of %,d answers %.0f ms, close %.0f ms", (t1 - t0) / 1e6, loaded, (t2 - t1) / 1e6, (t3 - t2) / 1e6);
    }

    record Flood(double seconds, long answered, Map<String, Long> codes, List<String> growth, Semaphore inFlight, String tag) {
    }

    /** n `check` commands with unique ids, at most window unanswered; a snapshot before and after. */
    static Flood flood(Worker w, Client c, int mgmt, Path dir, int n, int window, String label, List<String> rows) throws Exception {
        Semaphore inFlight = new Semaphore(window);
        AtomicLong got = new AtomicLong();
        Map<String, Long> codes = new ConcurrentHashMap<>();
        c.onMessage((topic, msg) -> {
            byte[] body = msg.getPayload();
            String code = Bench.field(body, "code");
            String dup = Bench.field(body, "duplicate");
            codes.merge(code + ("true".equals(dup) ? " (duplicate)" : ""), 1L, Long::sum);
            SAMPLE.compareAndSet(null, body);
            got.incrementAndGet();
            inFlight.release();
        });
        c.subscribe("cubeguardian/+/result/+");
        w.awaitOnline(90);
        Thread.sleep(2000);
        rows.add(snapRow(label + "fresh start" + (dir == null ? "" : ", empty file"), snap(w, mgmt, dir, true)));
        String tag = Long.toHexString(ThreadLocalRandom.current().nextLong());
        List<String> growth = new ArrayList<>();
        long start = System.nanoTime();
        long lastMark = start;
        for (int k = 0; k < n; k++) {
            if (!inFlight.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no answer for 30 s at command " + k + "; log " + w.log);
            }
            c.publish("cubeguardian/f" + (k % 10) + "/cmd/check", ("{\"id\":\"z-" + tag + "-" + k + "\"}").getBytes(StandardCharsets.UTF_8));
            if ((k + 1) % (n / 10) == 0) {
                long now = System.nanoTime();
                growth.add(String.format(Locale.ROOT, "%,d: %s MB (%.0f/s)", k + 1, dir == null ? "–" : mb(fileSize(dir)), (n / 10) / ((now - lastMark) / 1e9)));
                lastMark = now;
            }
        }
        long limit = System.nanoTime() + 60_000_000_000L;
        while (got.get() < n && System.nanoTime() < limit) {
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Thread.sleep(1000);
        rows.add(snapRow(String.format(Locale.ROOT, "%safter %,d commands", label, n), snap(w, mgmt, dir, true)));
        return new Flood(seconds, got.get(), new java.util.TreeMap<>(codes), growth, inFlight, tag);
    }

    static String readBackLine(Path log) {
        try {
            for (String l : Files.readAllLines(log)) {
                if (l.contains("read back from disk") || l.contains("command memory")) {
                    return "the worker's log: `" + l.strip() + "`";
                }
            }
        } catch (IOException e) {
            return "(log not readable)";
        }
        return "(no read-back line in the log)";
    }

    static String fileStats(Path file) {
        MVStore s = new MVStore.Builder().fileName(file.toString()).readOnly().open();
        try {
            MVMap<String, byte[]> answers = s.openMap("answers");
            long valueBytes = 0;
            long keyBytes = 0;
            for (Map.Entry<String, byte[]> e : answers.entrySet()) {
                valueBytes += e.getValue().length;
                keyBytes += e.getKey().length();
            }
            return String.format(Locale.ROOT, "%,d answers, %.1f MB of keys and values; fill rate %d %%, chunks fill rate %d %%; page split size %d B.",
                    answers.size(), (valueBytes + keyBytes) / 1048576.0, s.getFillRate(), s.getFileStore().getChunksFillRate(), s.getMaxPageSize());
        } finally {
            s.close();
        }
    }

    static long fileSize(Path dir) {
        try {
            return Files.size(dir.resolve(FILE));
        } catch (IOException e) {
            return -1;
        }
    }

    static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }

    // ---------------------------------------------------------------- 7d. the write itself, in this JVM

    static void micro() throws Exception {
        int n = i("store-micro-n");
        byte[] sample = SAMPLE.get();
        if (sample == null) {
            sample = ("{\"v\":1,\"id\":\"z-0123456789abcdef-12345\",\"host\":\"f3\",\"action\":\"check\",\"success\":true,\"code\":\"OK\",\"message\":"
                    + "\"f3 is off (no answer)\",\"timestamp\":\"2026-12-02T04:00:00.000Z\",\"duration_ms\":1,\"details\":{}}").getBytes(StandardCharsets.UTF_8);
        }
        line("### 7d. The write alone, in the harness's JVM");
        line("");
        line(String.format(Locale.ROOT, "%,d saves one after another into a new file (no MQTT, no worker), key `f<k%%10>\\0check\\0z-<tag>-<k>`, value = the"
                + " 8-byte time + a real `check` result of 7c (%d bytes). `MvLedgerStore.save` is the product's code; the split rows open MVStore with the"
                + " same options and time `put` and `commit` apart. Bytes / commit = file growth / commits (all within MVStore's 45 s retention time, so no space"
                + " is reused). Timer resolution: System.nanoTime.", n, sample.length));
        line("");
        line("| Write | p50 µs | p90 µs | p99 µs | max µs | mean µs | file MB | bytes / commit |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|");
        String tag = Long.toHexString(ThreadLocalRandom.current().nextLong());
        // the product's save, twice (the first one warms the JIT)
        for (int round = 0; round < 2; round++) {
            Path dir = Files.createTempDirectory(Bench.work, "micro-");
            WorkerStore store = WorkerStore.open(dir);
            long[] t = new long[n];
            for (int k = 0; k < n; k++) {
                String key = "f" + (k % 10) + "\u0000check\u0000z-" + tag + "-" + round + "-" + k;
                long t0 = System.nanoTime();
                store.ledger().save(key, Instant.now(), sample);
                t[k] = System.nanoTime() - t0;
            }
            long size = fileSize(dir);
            store.close();
            if (round == 1) {
                line(microRow("`MvLedgerStore.save` (put + commit)", t, size, n));
            }
        }
        for (int split : new int[] {0, 4096}) {
            Path dir = Files.createTempDirectory(Bench.work, "micro-split-");
            MVStore.Builder b = new MVStore.Builder().fileName(dir.resolve(FILE).toString()).autoCommitDisabled();
            if (split > 0) {
                b.pageSplitSize(split);
            }
            MVStore s = b.open();
            MVMap<String, byte[]> map = s.openMap("answers");
            long[] put = new long[n];
            long[] commit = new long[n];
            for (int k = 0; k < n; k++) {
                String key = "f" + (k % 10) + "\u0000check\u0000z-" + tag + "-s" + split + "-" + k;
                byte[] value = java.nio.ByteBuffer.allocate(8 + sample.length).putLong(System.currentTimeMillis()).put(sample).array();
                long t0 = System.nanoTime();
                map.put(key, value);
                long t1 = System.nanoTime();
                s.commit();
                put[k] = t1 - t0;
                commit[k] = System.nanoTime() - t1;
            }
            long size = fileSize(dir);
            long pageSize = s.getMaxPageSize();
            s.close();
            String what = split == 0 ? "same options as the product (page split size " + pageSize + " B)" : "**not the product's**: `pageSplitSize(" + split + ")`";
            line(microRow("`put` alone, " + what, put, -1, n));
            line(microRow("`commit` alone, " + what, commit, size, n));
        }
        line("");
    }

    static String microRow(String label, long[] nanos, long fileBytes, int n) {
        double[] us = Arrays.stream(nanos).mapToDouble(v -> v / 1e3).sorted().toArray();
        double mean = Arrays.stream(us).average().orElse(Double.NaN);
        return String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.0f | %.1f | %s | %s |", label, us[us.length / 2], us[(int) (us.length * 0.9)],
                us[(int) (us.length * 0.99)], us[us.length - 1], mean, fileBytes < 0 ? "" : mb(fileBytes),
                fileBytes < 0 ? "" : String.format(Locale.ROOT, "%,d", fileBytes / n));
    }
}
