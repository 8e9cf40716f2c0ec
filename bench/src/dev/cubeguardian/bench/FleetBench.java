package dev.cubeguardian.bench;

import static dev.cubeguardian.bench.Bench.P;
import static dev.cubeguardian.bench.Bench.line;

import dev.cubeguardian.it.Blackhole;
import dev.cubeguardian.bench.Broker;
import dev.cubeguardian.bench.Client;
import dev.cubeguardian.bench.HostSpec;
import dev.cubeguardian.bench.Worker;
import dev.cubeguardian.it.CountingListeners;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark 10 (issue 16, target 6): one worker with a fleet of up to 10,000 hosts on loopback,
 * half answering, half silent. For each fleet size: start-up to `online`, the first full sweep
 * (target: probe timeout + 1 s), the worker's CPU while it only monitors (target: under 5 % of
 * one core), and its memory, whose growth over the 10-host worker gives the cost per host.
 */
final class FleetBench {

    private static final Pattern HEAP_USED = Pattern.compile("(generation|heap)\\s+total \\d+K, used (\\d+)K");

    private FleetBench() {
    }

    record Row(int hosts, String jvm, double startS, int states, long online, long off, double sweepS, double cpuPercent,
            double probesPerS, long stateChanges, double rssMb, double heapMb) {
    }

    static void defaults(Map<String, String> p, boolean quick) {
        p.put("fleet-sizes", quick ? "10,1000" : "10,1000,10000");
        p.put("fleet-timeout", "2s");
        p.put("fleet-settle-seconds", quick ? "5" : "20");
        // four rounds of the default 15 s steady interval
        p.put("fleet-steady-seconds", quick ? "20" : "60");
        p.put("fleet-jvm", "lean");
        // a JFR settings name (profile): records the steady window of the largest fleet into the log directory
        p.put("fleet-jfr", "");
        // true: a second subscriber takes every message of the largest fleet's start and prints what came when;
        // off by default, as taking 30,000 messages costs CPU the measured worker shares (2 cores here)
        p.put("fleet-timeline", "false");
    }

    static void run() throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String s : P.get("fleet-sizes").split(",")) {
            sizes.add(Integer.parseInt(s.trim()));
        }
        String timeout = P.get("fleet-timeout");
        double timeoutS = Bench.parseSeconds(timeout);
        int steadyS = Bench.i("fleet-steady-seconds");
        int largest = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
        Bench.section("10. A fleet of up to " + largest + " hosts (half answering, half silent; probe tcp, timeout " + timeout + ")");
        line("Per fleet size, one worker: spawn to `bridge/state online`; the first sweep (from the worker's log line that starts"
                + " monitoring to the last host's first retained state at a subscriber; target timeout + 1 s); then, after " + P.get("fleet-settle-seconds")
                + " s to settle, the worker's CPU (utime + stime from /proc) over " + steadyS + " s of steady monitoring"
                + " (default 15 s interval; target under 5 % of one core) with the probes the answering listeners accepted;"
                + " last its VmRSS, and its heap used after a full GC (`jcmd GC.run`, `GC.heap_info`).");
        line("");
        List<Row> rows = new ArrayList<>();
        String baseline;
        try (CountingListeners up = new CountingListeners((largest + 1) / 2); Blackhole silent = new Blackhole()) {
            for (String jvm : P.get("fleet-jvm").split(",")) {
                for (int n : sizes) {
                    rows.add(measure(n, jvm, up, silent, timeout, steadyS, largest));
                }
            }
            baseline = baseline(largest, up, silent, timeoutS, steadyS);
        }
        line("| hosts | JVM | spawn to online s | states (online / off) | sweep s | target | CPU % of a core | target 5 % |"
                + " probes accepted /s | state changes | VmRSS MB | heap after GC MB |");
        line("|---:|---|---:|---|---:|---|---:|---|---:|---:|---:|---:|");
        for (Row r : rows) {
            line(String.format(Locale.ROOT, "| %d | %s | %.2f | %d (%d / %d) | %.2f | %s | %.2f | %s | %.0f | %d | %.1f | %.1f |",
                    r.hosts(), r.jvm(), r.startS(), r.states(), r.online(), r.off(), r.sweepS(),
                    r.states() == r.hosts() && r.sweepS() <= timeoutS + 1 ? "MET" : "**MISSED**", r.cpuPercent(),
                    r.cpuPercent() < 5 ? "MET" : "**MISSED**", r.probesPerS(), r.stateChanges(), r.rssMb(), r.heapMb()));
        }
        line("");
        for (String jvm : P.get("fleet-jvm").split(",")) {
            Row small = null;
            for (Row r : rows) {
                if (r.jvm().equals(jvm) && (small == null || r.hosts() < small.hosts())) {
                    small = r;
                }
            }
            for (Row r : rows) {
                if (r.jvm().equals(jvm) && r != small) {
                    int more = r.hosts() - small.hosts();
                    line(String.format(Locale.ROOT, "- %s, %d hosts against %d: **%.1f KiB RSS and %.1f KiB heap per host**",
                            jvm, r.hosts(), small.hosts(), (r.rssMb() - small.rssMb()) * 1024 / more,
                            (r.heapMb() - small.heapMb()) * 1024 / more));
                }
            }
        }
        line("");
        line(baseline);
        line("");
        line("JVM variants: " + Bench.JVM_VARIANTS);
    }

    private static Row measure(int n, String jvm, CountingListeners up, Blackhole silent, String timeout, int steadyS, int largest)
            throws Exception {
        List<HostSpec> specs = new ArrayList<>();
        for (int h = 0; h < n; h++) {
            specs.add(new HostSpec(String.format("s%05d", h), h % 2 == 0 ? up.port(h / 2) : silent.port(), null));
        }
        Path inventory = Bench.inventory(specs, timeout);
        try (Broker broker = new Broker().start(); Client sub = new Client(broker.url(), "bench-fleet-" + n);
                StartTimeline timeline = n == largest && Boolean.parseBoolean(P.get("fleet-timeline")) ? new StartTimeline(broker.url()) : null) {
            Map<String, String> first = new ConcurrentHashMap<>();
            AtomicLong lastFirst = new AtomicLong();
            AtomicLong lastFirstWall = new AtomicLong();
            AtomicLong changes = new AtomicLong();
            sub.onMessage((topic, msg) -> {
                String host = topic.split("/")[1];
                if (first.putIfAbsent(host, Bench.field(msg.getPayload(), "state")) == null) {
                    lastFirst.set(System.nanoTime());
                    lastFirstWall.set(System.currentTimeMillis());
                } else {
                    changes.incrementAndGet();
                }
            });
            sub.subscribe("cubeguardian/+/state");
            try (Worker w = Worker.java("fleet-" + n + "-" + jvm, broker, inventory, Map.of(), Bench.jvmVariant(jvm))) {
                long ready = w.awaitOnline(180);
                long limit = ready + 120_000_000_000L;
                while (first.size() < n && System.nanoTime() < limit) {
                    Thread.sleep(5);
                }
                double sweepFromOnline = (lastFirst.get() - ready) / 1e9;
                long monitoring = w.logged("Monitoring " + n + " hosts");
                // probing starts when the context has started, before `online` is announced: from `online`, a sweep
                // leaves out its first second or more
                double sweep = monitoring > 0 ? (lastFirstWall.get() - monitoring) / 1e3 : Double.NaN;
                if (timeline != null && monitoring > 0) {
                    // what the first states waited behind: read once the sweep is over, so later messages stay out
                    Thread.sleep(3000);
                    line("What the start of " + n + " hosts sent, and when (s from the start of monitoring; the sweep ended at "
                            + String.format(Locale.ROOT, "%.2f", sweep) + " s, `online` at "
                            + String.format(Locale.ROOT, "%.2f", (ready - w.startedAt) / 1e9 - (monitoring - w.startedWall) / 1e3) + " s):");
                    line("");
                    timeline.table(monitoring).forEach(Bench::line);
                    line("");
                }
                Thread.sleep(Bench.i("fleet-settle-seconds") * 1000L);
                long pid = w.process.pid();
                long changesBefore = changes.get();
                long acceptedBefore = accepted(up, n);
                boolean jfr = !P.get("fleet-jfr").isEmpty() && n == largest;
                if (jfr) {
                    GatewayBench.jcmd(pid, "JFR.start", "name=fleet", "settings=" + P.get("fleet-jfr"));
                }
                Map<Long, long[]> threadsBefore = ThreadCpu.snapshot(pid);
                double cpuBefore = Bench.cpuMs(pid);
                long t0 = System.nanoTime();
                Thread.sleep(steadyS * 1000L);
                double cpu = Bench.cpuMs(pid) - cpuBefore;
                Map<Long, long[]> threadsAfter = ThreadCpu.snapshot(pid);
                double window = (System.nanoTime() - t0) / 1e9;
                if (n == largest) {
                    line("Where the CPU of steady monitoring goes, " + n + " hosts (" + jvm + "):");
                    line("");
                    ThreadCpu.table(pid, threadsBefore, threadsAfter, window).forEach(Bench::line);
                    line("");
                }
                if (jfr) {
                    Path recording = Bench.work.resolve("fleet-" + n + "-" + jvm + ".jfr");
                    GatewayBench.jcmd(pid, "JFR.dump", "name=fleet", "filename=" + recording);
                    System.out.println("  JFR of the steady window: " + recording);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                long accepted = accepted(up, n) - acceptedBefore;
                long steadyChanges = changes.get() - changesBefore;
                double rss = w.rssMb("VmRSS");
                double heap = heapAfterGc(pid);
                long online = first.values().stream().filter("online"::equals).count();
                long off = first.values().stream().filter("off"::equals).count();
                System.out.printf(Locale.ROOT, "  fleet %d (%s): sweep %.2f s (%.2f s from online), CPU %.2f %%, RSS %.1f MB, heap %.1f MB%n", n, jvm,
                        sweep, sweepFromOnline, cpu / (seconds * 10), rss, heap);
                return new Row(n, jvm, (ready - w.startedAt) / 1e9, first.size(), online, off, sweep, cpu / (seconds * 10),
                        accepted / seconds, steadyChanges, rss, heap);
            }
        }
    }

    /**
     * The baseline: bench/fleet_prober.py, the least a script does to watch the same fleet (one
     * non-blocking connect per host per 15 s, one epoll selector, nothing published), its CPU over
     * the same steady window after the same settling time.
     */
    private static String baseline(int n, CountingListeners up, Blackhole silent, double timeoutS, int steadyS) throws Exception {
        StringBuilder ports = new StringBuilder();
        for (int h = 0; h < n; h++) {
            ports.append(h % 2 == 0 ? up.port(h / 2) : silent.port()).append('\n');
        }
        Path file = java.nio.file.Files.createTempFile(Bench.work, "fleet-ports-", ".txt");
        java.nio.file.Files.writeString(file, ports);
        int settle = Bench.i("fleet-settle-seconds");
        Process p = new ProcessBuilder(P.get("python"), Bench.root.resolve("bench/fleet_prober.py").toString(), "--ports",
                file.toString(), "--timeout", String.valueOf(timeoutS), "--interval", "15", "--spread", "0.5", "--seconds",
                String.valueOf(settle + steadyS + 3)).redirectErrorStream(true).start();
        Thread.sleep(settle * 1000L);
        long acceptedBefore = accepted(up, n);
        double cpuBefore = Bench.cpuMs(p.pid());
        long t0 = System.nanoTime();
        Thread.sleep(steadyS * 1000L);
        double cpu = Bench.cpuMs(p.pid()) - cpuBefore;
        double seconds = (System.nanoTime() - t0) / 1e9;
        long accepted = accepted(up, n) - acceptedBefore;
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        double percent = cpu / (seconds * 10);
        System.out.printf(Locale.ROOT, "  baseline prober, %d hosts: CPU %.2f %% (%s)%n", n, percent, said);
        return String.format(Locale.ROOT, "Baseline, same %d hosts and listeners, same windows: `bench/fleet_prober.py` (Python, one"
                + " epoll selector, a non-blocking connect per host every 15 s, nothing published): **CPU %.2f %% of a core**,"
                + " %.0f probes accepted /s (%s).", n, percent, accepted / seconds, said);
    }

    private static long accepted(CountingListeners up, int hosts) {
        long sum = 0;
        for (int k = 0; k < (hosts + 1) / 2; k++) {
            sum += up.accepted(k);
        }
        return sum;
    }

    /** The heap in use after a full collection, in MB, from the JDK's own jcmd (NaN when it cannot tell). */
    static double heapAfterGc(long pid) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        new ProcessBuilder(jcmd, String.valueOf(pid), "GC.run").redirectErrorStream(true).start().waitFor();
        Process info = new ProcessBuilder(jcmd, String.valueOf(pid), "GC.heap_info").redirectErrorStream(true).start();
        String text = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        info.waitFor();
        long usedK = 0;
        boolean found = false;
        Matcher m = HEAP_USED.matcher(text);
        while (m.find()) {
            usedK += Long.parseLong(m.group(2));
            found = true;
        }
        return found ? usedK / 1024.0 : Double.NaN;
    }
}
