package dev.cubeguardian.bench;

import static dev.cubeguardian.bench.Bench.LO;
import static dev.cubeguardian.bench.Bench.P;
import static dev.cubeguardian.bench.Bench.i;
import static dev.cubeguardian.bench.Bench.line;

import dev.cubeguardian.bench.Broker;
import dev.cubeguardian.bench.Client;
import dev.cubeguardian.bench.Stats;
import dev.cubeguardian.bench.Worker;
import dev.cubeguardian.it.CountingListeners;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark 6: the Minecraft gateway (wake on connect) while the server is online, when it is a
 * TCP proxy. The worker is the packaged jar with a gateway on a loopback port in front of a
 * stand-in Minecraft server in this process ({@link McServer}): it answers the worker's status
 * probes (so the host is {@code online} and the gateway proxies), and after a login start it is,
 * by the player name, a byte sink, a byte source, an echo or an idle player. Every figure
 * through the gateway is next to the same thing done directly to that server and through the
 * simplest proxy ({@link #relay}, a JVM of its own), in the same run, the paths taking turns.
 * Loopback only; every loop is bounded in count and time. Written up in docs/performance.md.
 */
final class GatewayBench {

    private GatewayBench() {
    }

    static void defaults(Map<String, String> p, boolean quick) {
        p.put("gw-parts", "throughput,latency,setup,memory");
        p.put("gw-jvm", "default,lean");
        p.put("gw-jfr", "");
        p.put("gw-mib", quick ? "64" : "512");
        p.put("gw-reps", quick ? "2" : "5");
        p.put("gw-echo-n", quick ? "500" : "3000");
        p.put("gw-echo-bytes", "64,16384");
        p.put("gw-echo-gap-us", "500");
        p.put("gw-setup-n", quick ? "40" : "200");
        p.put("gw-idle", quick ? "100,200" : "500,1000");
    }

    /** What a client puts in the login start, read by {@link McServer}: a letter and a count. */
    static final char SINK = 's';
    static final char SOURCE = 'o';
    static final char ECHO = 'e';
    static final char IDLE = 'i';
    /** The stand-in server's first byte after a login start: the end of the prelude. */
    static final int READY = 0x2A;
    static final String HOST = "mc";

    static void run() throws Exception {
        Bench.section("6. Minecraft gateway as a proxy (server online): throughput, added latency, memory per idle connection");
        List<String> variants = List.of(P.get("gw-jvm").split(","));
        List<String> parts = List.of(P.get("gw-parts").split(","));
        try (McServer mc = new McServer(); CountingListeners hostProbe = new CountingListeners(1); RelayProcess relay = new RelayProcess(mc.port())) {
            int gwPort = Broker.freePort();
            Path inv = inventory(hostProbe.port(0), mc.port(), gwPort);
            line("Stand-in server on 127.0.0.1:" + mc.port() + " (a thread per connection from a pool, blocking sockets, TCP_NODELAY); the gateway"
                    + " (`minecraft.gateway.listen: 127.0.0.1:" + gwPort + "`) in front of it; clients in the harness bind a source address of their own in"
                    + " 127.1.0.0/16 (the gateway allows 8 open connections and a burst of 20 new ones per address). Paths: `direct` = the same client to the"
                    + " server's port; `relay` = a reference proxy, the simplest there is: a JVM of its own (`GatewayBench relay`, default flags) that accepts,"
                    + " connects to the server and copies each direction on a thread of its own with a 64 KiB buffer; `gateway` = through the worker.");
            line("");
            for (String variant : variants) {
                List<String> flags = Bench.jvmVariant(variant);
                try (Broker broker = new Broker().start();
                        Worker w = Worker.java("gateway-" + variant, broker, inv, Map.of(), flags)) {
                    awaitReady(w, broker, mc, gwPort);
                    Map<String, Integer> paths = new LinkedHashMap<>();
                    paths.put("direct", mc.port());
                    paths.put("relay", relay.port);
                    paths.put("gateway", gwPort);
                    Map<String, Long> pids = Map.of("relay", relay.process.pid(), "gateway", w.process.pid());
                    Path jfr = P.get("gw-jfr").isEmpty() ? null : Bench.work.resolve("gateway-" + variant + ".jfr");
                    if (jfr != null) {
                        // a profile of the worker over the measured parts, for where its time goes
                        jcmd(w.process.pid(), "JFR.start", "name=gw", "settings=" + P.get("gw-jfr"));
                    }
                    if (parts.contains("throughput")) {
                        out.computeIfAbsent("tp", k -> new ArrayList<>()).addAll(throughput(variant, paths, pids));
                    }
                    if (parts.contains("latency")) {
                        out.computeIfAbsent("lat", k -> new ArrayList<>()).addAll(latency(variant, paths));
                    }
                    if (parts.contains("setup")) {
                        out.computeIfAbsent("setup", k -> new ArrayList<>()).addAll(setup(variant, paths, pids));
                    }
                    if (jfr != null) {
                        jcmd(w.process.pid(), "JFR.dump", "name=gw", "filename=" + jfr);
                    }
                    out.computeIfAbsent("log", k -> new ArrayList<>()).add(variant + ": " + w.logLines() + " log lines, "
                            + warnings(w) + " of them WARN or ERROR");
                }
                if (!parts.contains("memory")) {
                    continue;
                }
                int mgmt = Broker.freePort();
                List<String> memFlags = new ArrayList<>(flags);
                memFlags.add("-XX:NativeMemoryTracking=summary");
                try (Broker broker = new Broker().start();
                        Worker w = Worker.java("gateway-mem-" + variant, broker, inv, Map.of("CUBEGUARDIAN_MANAGEMENT_PORT", String.valueOf(mgmt)), memFlags)) {
                    awaitReady(w, broker, mc, gwPort);
                    memory(variant, w, mgmt, gwPort);
                }
            }
            line("Logins the stand-in server saw: " + mc.loginsViaGateway.get() + " through the gateway (from 127.0.0.1), " + mc.loginsViaRelay.get()
                    + " through the relay (from " + RelayProcess.SOURCE + "), " + mc.loginsDirect.get() + " direct; status probes answered: "
                    + mc.statusAnswered.get() + ".");
        }
        if (parts.contains("throughput")) {
            throughputTable();
        }
        if (parts.contains("latency")) {
            latencyTable();
        }
        if (parts.contains("setup")) {
            setupTable();
        }
        if (parts.contains("memory")) {
            memoryTable();
        }
        out.getOrDefault("log", List.of()).forEach(s -> line("- worker log, " + s));
    }

    /** The rows of each table, by part, gathered while the workers run and written after. */
    static final Map<String, List<String>> out = new LinkedHashMap<>();

    static void throughputTable() {
        line("");
        line("### 6a. Throughput, one connection, " + P.get("gw-mib") + " MiB per transfer");
        line("");
        line("After the prelude (handshake and login start, answered by one byte) the client writes " + P.get("gw-mib") + " MiB in 64 KiB writes"
                + " and the server answers one byte after the last (upload), or the server writes them and the client reads them all (download); MiB/s from"
                + " the end of the prelude to the last byte. " + P.get("gw-reps") + " transfers per direction and path, after one unmeasured transfer each;"
                + " the paths take turns, the order rotated each round. CPU s / GiB = the proxy process's user + system CPU (/proc/<pid>/stat, 10 ms ticks)"
                + " during its own transfers, per GiB relayed. Client, server and proxy share the 2 cores: a proxy's copies compete with the endpoints'.");
        line("");
        line("| Worker JVM | Direction | direct MiB/s median (min–max) | relay MiB/s | gateway MiB/s | gateway / direct | gateway / relay | relay CPU s / GiB | gateway CPU s / GiB |");
        line("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        out.getOrDefault("tp", List.of()).forEach(GatewayBench::emit);
    }

    static void latencyTable() {
        line("");
        line("### 6b. Added latency: echo round trips on an open connection");
        line("");
        line("One connection per path to the echo, all open at once; " + P.get("gw-echo-n") + " round trips each (after " + Math.max(100, i("gw-echo-n") / 10)
                + " unmeasured), the paths taking turns (order rotated each round), " + P.get("gw-echo-gap-us") + " µs pause after each round trip (game"
                + " traffic comes in ticks, not back to back); a round trip = write the message, read all of it back. added = gateway − direct.");
        line("");
        line("| Worker JVM | Message | direct p50 / p99 µs | relay p50 / p99 µs | gateway p50 / p99 µs | added p50 µs | added p99 µs | over 1 ms: direct / relay / gateway |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|");
        out.getOrDefault("lat", List.of()).forEach(GatewayBench::emit);
    }

    static void setupTable() {
        line("");
        line("### 6c. Connection set-up: connect, handshake and login start, until the server's first byte");
        line("");
        line(P.get("gw-setup-n") + " connections per path after " + SETUP_WARMUP + " unmeasured ones, the paths taking turns, each from a source address not used before, 10 ms pause after each."
                + " Through a proxy this includes its accept, its connect to the server and the replay; through the gateway also reading the handshake"
                + " and login start first. CPU ms / conn = the proxy process's CPU from just before the connect to the end of the pause after the close"
                + " (10 ms ticks, summed over all its connections), per connection.");
        line("");
        line("| Worker JVM | direct p50 / p99 ms | relay p50 / p99 ms | gateway p50 / p99 ms | added p50 ms | added p99 ms | relay CPU ms / conn | gateway CPU ms / conn |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|");
        out.getOrDefault("setup", List.of()).forEach(GatewayBench::emit);
        line("");
        setupThreads.forEach(GatewayBench::emit);
    }

    static void memoryTable() {
        line("");
        line("### 6d. Memory per idle proxied connection");
        line("");
        line("A fresh worker (with `-XX:NativeMemoryTracking=summary`), warmed up: " + MEM_WARMUP + " proxied connections opened and closed one at a time, 100"
                + " open at once and closed, one snapshot thrown away. Then idle proxied logins (the server holds them, nothing flows) are opened in steps,"
                + " 8 per source address. At each step, after 1 s: Netty channels = `NioSocketChannel` instances (two per proxied connection), live heap ="
                + " the total of `jcmd <pid> GC.class_histogram` (which runs a full GC first), RSS from /proc/<pid>/status, NMT total committed and its"
                + " `Other` (where the JDK counts direct ByteBuffers, Netty's pool chunks among them), the process's threads, and"
                + " `cubeguardian_gateway_connections` from the worker's /observe/metrics. Per connection = the change since 0 open / connections open;"
                + " in brackets the change since the previous step / the connections it added."
                + " Kernel socket buffers are not in any of these. The raw histograms, NMT summaries and metrics are kept next to the worker logs.");
        line("");
        line("| Worker JVM | open | gateway metric | Netty channels | live heap MB | heap KiB / conn (step) | RSS MB | RSS KiB / conn (step) | NMT committed MB | NMT Other MB | threads |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        out.getOrDefault("mem", List.of()).forEach(GatewayBench::emit);
        line("");
        out.getOrDefault("memclasses", List.of()).forEach(GatewayBench::emit);
    }

    static void emit(String s) {
        line(s);
    }

    // ---------------------------------------------------------------- set-up of the worker

    static Path inventory(int probePort, int mcPort, int gwPort) throws IOException {
        String y = "version: 1\nhosts:\n"
                + "  " + HOST + ":\n"
                + "    mac: \"02:00:00:00:06:01\"\n"
                + "    address: 127.0.0.1\n"
                + "    wol:\n      broadcast: 127.255.255.255\n"
                + "    probe:\n      method: tcp\n      port: " + probePort + "\n      timeout: 1s\n"
                + "    minecraft:\n      port: " + mcPort + "\n      timeout: 1s\n"
                + "      gateway:\n        listen: 127.0.0.1:" + gwPort + "\n        wake-on: never\n";
        Path file = Files.createTempFile(Bench.work, "hosts-gateway-", ".yaml");
        Files.writeString(file, y);
        return file;
    }

    /** The worker is up, its probe has seen the stand-in server answer, and the gateway proxies a login to it. */
    static void awaitReady(Worker w, Broker broker, McServer mc, int gwPort) throws Exception {
        try (Client sub = new Client(broker.url(), "bench-gw-state")) {
            CompletableFuture<Void> online = new CompletableFuture<>();
            sub.onMessage((topic, msg) -> {
                if ("online".equals(Bench.field(msg.getPayload(), "state"))) {
                    online.complete(null);
                }
            });
            sub.subscribe("cubeguardian/" + HOST + "/state");
            w.awaitOnline(60);
            online.get(30, TimeUnit.SECONDS);
        }
        int before = mc.loginsViaGateway.get();
        try (Socket s = connect(gwPort)) {
            login(s, ECHO + "0");
            roundTrip(s, new byte[64], new byte[64]);
        }
        if (mc.loginsViaGateway.get() != before + 1) {
            throw new IllegalStateException("the gateway did not proxy a login to the server");
        }
    }

    static long warnings(Worker w) throws IOException {
        try (var lines = Files.lines(w.log)) {
            return lines.filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).count();
        }
    }

    // ---------------------------------------------------------------- 6a. throughput

    static List<String> throughput(String variant, Map<String, Integer> paths, Map<String, Long> pids) throws Exception {
        long bytes = Long.parseLong(P.get("gw-mib")) * 1024 * 1024;
        int reps = i("gw-reps");
        List<String> names = new ArrayList<>(paths.keySet());
        List<String> rows = new ArrayList<>();
        for (char mode : new char[] {SINK, SOURCE}) {
            Map<String, double[]> rate = new HashMap<>();
            Map<String, Double> cpuMs = new HashMap<>();
            for (String name : names) {
                transfer(paths.get(name), mode, bytes);
                rate.put(name, new double[reps]);
                cpuMs.put(name, 0.0);
            }
            for (int k = 0; k < reps; k++) {
                for (int j = 0; j < names.size(); j++) {
                    String name = names.get((j + k) % names.size());
                    Long pid = pids.get(name);
                    double cpu0 = pid == null ? 0 : Bench.cpuMs(pid);
                    rate.get(name)[k] = transfer(paths.get(name), mode, bytes);
                    if (pid != null) {
                        cpuMs.merge(name, Bench.cpuMs(pid) - cpu0, Double::sum);
                    }
                }
            }
            double gib = reps * bytes / (1024.0 * 1024 * 1024);
            String dir = mode == SINK ? "upload (client -> server)" : "download (server -> client)";
            double[] d = rate.get("direct");
            double[] r = rate.get("relay");
            double[] g = rate.get("gateway");
            System.out.printf(Locale.ROOT, "  %s %s: direct %s, relay %s, gateway %s MiB/s%n", variant, dir, Arrays.toString(d), Arrays.toString(r),
                    Arrays.toString(g));
            rows.add(String.format(Locale.ROOT, "| %s | %s | %.0f (%.0f–%.0f) | %.0f (%.0f–%.0f) | %.0f (%.0f–%.0f) | %.2f | %.2f | %.2f | %.2f |", variant, dir,
                    median(d), min(d), max(d), median(r), min(r), max(r), median(g), min(g), max(g), median(g) / median(d), median(g) / median(r),
                    cpuMs.get("relay") / 1000.0 / gib, cpuMs.get("gateway") / 1000.0 / gib));
        }
        return rows;
    }

    /** One transfer of {@code bytes} on a new connection; MiB/s from the end of the prelude to the last byte. */
    static double transfer(int port, char mode, long bytes) throws IOException {
        try (Socket s = connect(port)) {
            s.setSoTimeout(60_000);
            login(s, mode + Long.toString(bytes));
            InputStream in = s.getInputStream();
            OutputStream o = s.getOutputStream();
            byte[] buf = new byte[64 * 1024];
            long t0 = System.nanoTime();
            if (mode == SINK) {
                for (long sent = 0; sent < bytes; ) {
                    int n = (int) Math.min(buf.length, bytes - sent);
                    o.write(buf, 0, n);
                    sent += n;
                }
                if (in.read() != READY) {
                    throw new IOException("no acknowledgement after the upload");
                }
            } else {
                for (long got = 0; got < bytes; ) {
                    int n = in.read(buf);
                    if (n < 0) {
                        throw new EOFException("download ended after " + got + " bytes");
                    }
                    got += n;
                }
            }
            long took = System.nanoTime() - t0;
            return bytes / (1024.0 * 1024) / (took / 1e9);
        }
    }

    // ---------------------------------------------------------------- 6b. echo latency

    static List<String> latency(String variant, Map<String, Integer> paths) throws Exception {
        int n = i("gw-echo-n");
        int warm = Math.max(100, n / 10);
        long gap = Long.parseLong(P.get("gw-echo-gap-us")) * 1000;
        List<String> names = new ArrayList<>(paths.keySet());
        List<String> rows = new ArrayList<>();
        Map<String, Socket> sockets = new LinkedHashMap<>();
        try {
            for (String name : names) {
                Socket s = connect(paths.get(name));
                sockets.put(name, s);
                login(s, ECHO + "0");
            }
            for (String size : P.get("gw-echo-bytes").split(",")) {
                int bytes = Integer.parseInt(size);
                byte[] msg = new byte[bytes];
                byte[] back = new byte[bytes];
                Map<String, long[]> took = new HashMap<>();
                names.forEach(name -> took.put(name, new long[n]));
                for (int k = 0; k < warm + n; k++) {
                    for (int j = 0; j < names.size(); j++) {
                        String name = names.get((j + k) % names.size());
                        long t = roundTrip(sockets.get(name), msg, back);
                        if (k >= warm) {
                            took.get(name)[k - warm] = t;
                        }
                        LockSupport.parkNanos(gap);
                    }
                }
                Stats sd = Stats.of(took.get("direct"));
                Stats sr = Stats.of(took.get("relay"));
                Stats sg = Stats.of(took.get("gateway"));
                rows.add(String.format(Locale.ROOT, "| %s | %d B | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f | %.1f | %.1f | %d / %d / %d |", variant, bytes,
                        sd.p(50) * 1e3, sd.p(99) * 1e3, sr.p(50) * 1e3, sr.p(99) * 1e3, sg.p(50) * 1e3, sg.p(99) * 1e3, (sg.p(50) - sd.p(50)) * 1e3,
                        (sg.p(99) - sd.p(99)) * 1e3, sd.over(1.0), sr.over(1.0), sg.over(1.0)));
                System.out.printf(Locale.ROOT, "  %s echo %d B: p50 direct %.1f, relay %.1f, gateway %.1f µs%n", variant, bytes, sd.p(50) * 1e3,
                        sr.p(50) * 1e3, sg.p(50) * 1e3);
            }
        } finally {
            for (Socket s : sockets.values()) {
                s.close();
            }
        }
        return rows;
    }

    static final List<String> setupThreads = new ArrayList<>();
    static final int SETUP_WARMUP = 200;

    /** CPU ms (user + system, 10 ms ticks) of each thread of a process, summed by thread name. */
    static Map<String, Double> threadCpuMs(long pid) throws IOException {
        Map<String, Double> byName = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    byName.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0, Double::sum);
                } catch (IOException | RuntimeException gone) {
                    // a thread that ended meanwhile
                }
            }
        }
        return byName;
    }

    static long roundTrip(Socket s, byte[] msg, byte[] back) throws IOException {
        long t = System.nanoTime();
        s.getOutputStream().write(msg);
        int got = s.getInputStream().readNBytes(back, 0, back.length);
        long took = System.nanoTime() - t;
        if (got != back.length) {
            throw new EOFException("echo closed");
        }
        return took;
    }

    // ---------------------------------------------------------------- 6c. connection set-up

    static List<String> setup(String variant, Map<String, Integer> paths, Map<String, Long> pids) throws Exception {
        int n = i("gw-setup-n");
        List<String> names = new ArrayList<>(paths.keySet());
        Map<String, long[]> took = new HashMap<>();
        Map<String, Double> cpuMs = new HashMap<>();
        names.forEach(name -> took.put(name, new long[n]));
        // unmeasured first: the code that sets a connection up runs once per connection, so it is compiled late
        // (with fewer, the C1 compiler was still busy in the measured ones: 1 ms of CPU per connection)
        for (int k = 0; k < SETUP_WARMUP; k++) {
            for (String name : names) {
                try (Socket s = connect(paths.get(name))) {
                    login(s, ECHO + "0");
                }
                Thread.sleep(2);
            }
        }
        Map<String, Double> threads0 = threadCpuMs(pids.get("gateway"));
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < names.size(); j++) {
                String name = names.get((j + k) % names.size());
                Long pid = pids.get(name);
                double cpu0 = pid == null ? 0 : Bench.cpuMs(pid);
                long t = System.nanoTime();
                try (Socket s = connect(paths.get(name))) {
                    login(s, ECHO + "0");
                    took.get(name)[k] = System.nanoTime() - t;
                }
                Thread.sleep(10);
                if (pid != null) {
                    // the close and what follows it (the gateway publishes the player count) belong to the connection too
                    cpuMs.merge(name, Bench.cpuMs(pid) - cpu0, Double::sum);
                }
            }
        }
        Map<String, Double> threads1 = threadCpuMs(pids.get("gateway"));
        List<Map.Entry<String, Double>> byThread = new ArrayList<>();
        threads1.forEach((t, ms) -> byThread.add(Map.entry(t, (ms - threads0.getOrDefault(t, 0.0)) / n)));
        byThread.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
        StringBuilder where = new StringBuilder();
        for (Map.Entry<String, Double> e : byThread.subList(0, Math.min(8, byThread.size()))) {
            where.append(where.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "`%s` %.2f", e.getKey(), e.getValue()));
        }
        setupThreads.add("- " + variant + ": worker CPU ms per connection by thread, over the whole set-up part (all three paths'"
                + " connections; only the gateway's reach the worker, but its monitor and MQTT keep-alives run meanwhile): " + where + ".");
        Stats sd = Stats.of(took.get("direct"));
        Stats sr = Stats.of(took.get("relay"));
        Stats sg = Stats.of(took.get("gateway"));
        System.out.printf(Locale.ROOT, "  %s set-up p50: direct %.3f, relay %.3f, gateway %.3f ms%n", variant, sd.p(50), sr.p(50), sg.p(50));
        return List.of(String.format(Locale.ROOT, "| %s | %.3f / %.3f | %.3f / %.3f | %.3f / %.3f | %.3f | %.3f | %.2f | %.2f |", variant, sd.p(50), sd.p(99),
                sr.p(50), sr.p(99), sg.p(50), sg.p(99), sg.p(50) - sd.p(50), sg.p(99) - sd.p(99), cpuMs.get("relay") / n, cpuMs.get("gateway") / n));
    }

    // ---------------------------------------------------------------- 6d. memory per idle connection

    record Snapshot(int open, double metricOpen, long heapBytes, Map<String, long[]> classes, double rssMb, Map<String, Long> nmtKb,
                    int threads) {
    }

    static void memory(String variant, Worker w, int mgmt, int gateway) throws Exception {
        long pid = w.process.pid();
        List<Socket> open = new ArrayList<>();
        try {
            // warm-up: connections opened and closed one at a time, then a hundred open at once and closed;
            // then one snapshot thrown away (its jcmd and HTTP calls load classes of their own)
            for (int k = 0; k < MEM_WARMUP; k++) {
                try (Socket s = connect(gateway)) {
                    login(s, IDLE + "0");
                }
            }
            List<Socket> burst = new ArrayList<>();
            for (int k = 0; k < 100; k++) {
                Socket s = connect(gateway, nextSourceEvery8(k));
                burst.add(s);
                login(s, IDLE + "0");
            }
            for (Socket s : burst) {
                s.close();
            }
            Thread.sleep(1000);
            snapshot("gw-mem-" + variant + "-warm", pid, mgmt, 0);
            Thread.sleep(1000);
            List<Snapshot> snaps = new ArrayList<>();
            snaps.add(snapshot("gw-mem-" + variant + "-0", pid, mgmt, 0));
            for (String step : P.get("gw-idle").split(",")) {
                int target = Integer.parseInt(step);
                while (open.size() < target) {
                    Socket s = connect(gateway, nextSourceEvery8(open.size()));
                    open.add(s);
                    login(s, IDLE + "0");
                }
                Thread.sleep(1000);
                snaps.add(snapshot("gw-mem-" + variant + "-" + open.size(), pid, mgmt, open.size()));
                System.out.printf(Locale.ROOT, "  %s: %d idle proxied connections open%n", variant, open.size());
            }
            for (Socket s : open) {
                s.close();
            }
            int closed = open.size();
            open.clear();
            Thread.sleep(2000);
            Snapshot after = snapshot("gw-mem-" + variant + "-closed", pid, mgmt, 0);
            Snapshot base = snaps.get(0);
            List<String> rows = out.computeIfAbsent("mem", k -> new ArrayList<>());
            for (int k = 0; k < snaps.size(); k++) {
                rows.add(memRow(variant, snaps.get(k), base, k == 0 ? null : snaps.get(k - 1), ""));
            }
            rows.add(memRow(variant, after, base, null, " (all " + closed + " closed again)"));
            // where the heap goes: the classes that grew most, per connection, at the last step
            Snapshot top = snaps.get(snaps.size() - 1);
            List<Map.Entry<String, long[]>> grown = new ArrayList<>();
            for (Map.Entry<String, long[]> e : top.classes().entrySet()) {
                long[] was = base.classes().getOrDefault(e.getKey(), new long[2]);
                grown.add(Map.entry(e.getKey(), new long[] {e.getValue()[0] - was[0], e.getValue()[1] - was[1]}));
            }
            grown.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
            StringBuilder b = new StringBuilder("Largest growth of the live heap with " + top.open() + " open (" + variant + "; instances and bytes per connection): ");
            for (int k = 0; k < Math.min(12, grown.size()); k++) {
                Map.Entry<String, long[]> e = grown.get(k);
                b.append(String.format(Locale.ROOT, "%s`%s` %.1f x, %.0f B", k == 0 ? "" : "; ", e.getKey(), e.getValue()[0] / (double) top.open(),
                        e.getValue()[1] / (double) top.open()));
            }
            out.computeIfAbsent("memclasses", k -> new ArrayList<>()).add(b + ".");
            out.computeIfAbsent("memclasses", k -> new ArrayList<>()).add("");
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    static final int MEM_WARMUP = 50;

    static String memRow(String variant, Snapshot s, Snapshot base, Snapshot previous, String note) {
        double nmtCommitted = s.nmtKb().getOrDefault("Total", -1L) / 1024.0;
        double other = s.nmtKb().getOrDefault("Other", -1L) / 1024.0;
        String heapPer = "";
        String rssPer = "";
        if (s.open() > 0) {
            heapPer = String.format(Locale.ROOT, "%.2f", (s.heapBytes() - base.heapBytes()) / 1024.0 / s.open());
            rssPer = String.format(Locale.ROOT, "%.1f", (s.rssMb() - base.rssMb()) * 1024 / s.open());
            if (previous != null && previous.open() > 0) {
                int step = s.open() - previous.open();
                heapPer += String.format(Locale.ROOT, " (%.2f)", (s.heapBytes() - previous.heapBytes()) / 1024.0 / step);
                rssPer += String.format(Locale.ROOT, " (%.1f)", (s.rssMb() - previous.rssMb()) * 1024 / step);
            }
        }
        long channels = s.classes().getOrDefault("io.netty.channel.socket.nio.NioSocketChannel", new long[1])[0];
        return String.format(Locale.ROOT, "| %s | %d%s | %.0f | %d | %.2f | %s | %.1f | %s | %.1f | %.1f | %d |", variant, s.open(), note, s.metricOpen(),
                channels, s.heapBytes() / 1048576.0, heapPer, s.rssMb(), rssPer, nmtCommitted, other, s.threads());
    }

    static Snapshot snapshot(String label, long pid, int mgmt, int open) throws Exception {
        Map<String, long[]> classes = new HashMap<>();
        long heap = -1;
        String histogram = jcmd(pid, "GC.class_histogram");
        String summary = jcmd(pid, "VM.native_memory", "summary");
        String metrics = metrics(mgmt);
        // the raw figures, for a closer look: next to the worker logs
        Files.writeString(Bench.work.resolve(label + "-histogram.txt"), histogram);
        Files.writeString(Bench.work.resolve(label + "-nmt.txt"), summary);
        Files.writeString(Bench.work.resolve(label + "-metrics.txt"), metrics);
        for (String l : histogram.split("\n")) {
            String[] f = l.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                classes.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            } else if (f.length == 3 && f[0].equals("Total")) {
                heap = Long.parseLong(f[2]);
            }
        }
        Map<String, Long> nmt = new LinkedHashMap<>();
        Matcher t = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB").matcher(summary);
        if (t.find()) {
            nmt.put("Total", Long.parseLong(t.group(2)));
        }
        Matcher c = Pattern.compile("-\\s+([A-Za-z ]+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)").matcher(summary);
        while (c.find()) {
            nmt.put(c.group(1).trim(), Long.parseLong(c.group(3)));
        }
        double gw = metric(metrics, "cubeguardian_gateway_connections");
        int threads = -1;
        double rss = -1;
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("Threads:")) {
                threads = Integer.parseInt(l.replaceAll("[^0-9]", ""));
            } else if (l.startsWith("VmRSS:")) {
                rss = Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return new Snapshot(open, gw, heap, classes, rss, nmt, threads);
    }

    static String jcmd(long pid, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(pid)));
        Collections.addAll(cmd, command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<byte[]> text = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("jcmd " + cmd + " did not finish within 60 s");
        }
        return new String(text.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    }

    static String metrics(int port) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://" + LO + ":" + port + "/observe/metrics").openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(5000);
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }

    /** The first sample whose name (and labels, if given as a prefix) matches; NaN if none. */
    static double metric(String text, String prefix) {
        for (String l : text.split("\n")) {
            if (l.startsWith(prefix) && (l.charAt(prefix.length()) == ' ' || l.charAt(prefix.length()) == '{' || prefix.endsWith("\""))) {
                String[] f = l.trim().split("\\s+");
                return Double.parseDouble(f[f.length - 1]);
            }
        }
        return Double.NaN;
    }

    // ---------------------------------------------------------------- clients

    static final AtomicInteger SOURCES = new AtomicInteger();

    /** A loopback source address not handed out before (127.1.0.1, 127.1.0.2, ...): each has the gateway's limits to itself. */
    static String nextSource() {
        int n = SOURCES.getAndIncrement();
        if (n >= 250 * 250) {
            throw new IllegalStateException("out of loopback source addresses");
        }
        return "127.1." + (n / 250) + "." + (1 + n % 250);
    }

    /** A new source address for every 8 connections: as many as the gateway lets one address hold open. */
    static String nextSourceEvery8(int k) {
        if (k % 8 == 0 || currentSource == null) {
            currentSource = nextSource();
        }
        return currentSource;
    }

    static String currentSource;

    static Socket connect(int port) throws IOException {
        return connect(port, nextSource());
    }

    static Socket connect(int port, String source) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.bind(new InetSocketAddress(source, 0));
        s.connect(new InetSocketAddress(LO, port), 5000);
        s.setSoTimeout(30_000);
        return s;
    }

    /** Handshake (next state: login) and login start with {@code name}, then the server's ready byte. */
    static void login(Socket s, String name) throws IOException {
        ByteArrayOutputStream hs = new ByteArrayOutputStream();
        varInt(hs, 0x00);
        varInt(hs, 769);
        string(hs, LO);
        hs.write(s.getPort() >> 8);
        hs.write(s.getPort() & 0xff);
        varInt(hs, 2);
        ByteArrayOutputStream ls = new ByteArrayOutputStream();
        varInt(ls, 0x00);
        string(ls, name);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        frame(all, hs.toByteArray());
        frame(all, ls.toByteArray());
        s.getOutputStream().write(all.toByteArray());
        int first = s.getInputStream().read();
        if (first != READY) {
            throw new IOException("expected the server's ready byte after the login start, got " + first);
        }
    }

    static void frame(ByteArrayOutputStream out, byte[] body) {
        varInt(out, body.length);
        out.writeBytes(body);
    }

    static void string(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        varInt(out, b.length);
        out.writeBytes(b);
    }

    static void varInt(ByteArrayOutputStream out, int value) {
        int v = value;
        while ((v & ~0x7F) != 0) {
            out.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    static int readVarInt(InputStream in) throws IOException {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("VarInt too long");
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    // ---------------------------------------------------------------- the stand-in server

    /**
     * A Minecraft server as far as this benchmark needs one, on a loopback port: a status
     * handshake gets a status response and a pong (the worker's probe sees the game online); a
     * login handshake and login start get one {@link #READY} byte, and then the player name
     * says what follows: {@code s<n>} reads n bytes and answers one byte, {@code o<n>} writes n
     * bytes, {@code e} echoes, {@code i} holds the connection idle (without a thread).
     */
    static final class McServer implements AutoCloseable {
        static final String STATUS = "{\"version\":{\"name\":\"1.21.4\",\"protocol\":769},\"players\":{\"max\":20,\"online\":0},"
                + "\"description\":{\"text\":\"CubeGuardian bench\"}}";
        final ServerSocket listener;
        final ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "mc-bench-conn");
            t.setDaemon(true);
            return t;
        });
        final List<Socket> held = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger statusAnswered = new AtomicInteger();
        final AtomicInteger loginsViaGateway = new AtomicInteger();
        final AtomicInteger loginsDirect = new AtomicInteger();
        final AtomicInteger loginsViaRelay = new AtomicInteger();
        final Thread acceptor;

        McServer() throws IOException {
            listener = new ServerSocket(0, 1024, InetAddress.getByName(LO));
            acceptor = new Thread(this::accept, "mc-bench-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        void accept() {
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    held.add(s);
                    pool.execute(() -> serve(s));
                } catch (IOException e) {
                    // closed, or a client gone before the accept
                }
            }
        }

        void serve(Socket s) {
            boolean keep = false;
            try {
                s.setTcpNoDelay(true);
                s.setSoTimeout(120_000);
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream o = s.getOutputStream();
                byte[] hs = packet(in, 1024);
                if (hs.length == 0) {
                    return;
                }
                DataInputStream h = new DataInputStream(new java.io.ByteArrayInputStream(hs));
                readVarInt(h);                       // packet id 0
                readVarInt(h);                       // protocol
                h.skipNBytes(readVarInt(h));         // address
                h.readUnsignedShort();               // port
                int next = readVarInt(h);
                if (next == 1) {
                    status(in, o);
                    return;
                }
                DataInputStream ls = new DataInputStream(new java.io.ByteArrayInputStream(packet(in, 4096)));
                readVarInt(ls);
                String name = new String(ls.readNBytes(readVarInt(ls)), StandardCharsets.UTF_8);
                String from = s.getInetAddress().getHostAddress();
                (from.equals(LO) ? loginsViaGateway : from.equals(RelayProcess.SOURCE) ? loginsViaRelay : loginsDirect).incrementAndGet();
                long n = name.length() > 1 ? Long.parseLong(name.substring(1)) : 0;
                o.write(READY);
                byte[] buf = new byte[64 * 1024];
                switch (name.charAt(0)) {
                    case SINK -> {
                        for (long got = 0; got < n; ) {
                            int r = in.read(buf, 0, (int) Math.min(buf.length, n - got));
                            if (r < 0) {
                                return;
                            }
                            got += r;
                        }
                        o.write(READY);
                        drain(in, buf);
                    }
                    case SOURCE -> {
                        for (long sent = 0; sent < n; ) {
                            int c = (int) Math.min(buf.length, n - sent);
                            o.write(buf, 0, c);
                            sent += c;
                        }
                        drain(in, buf);
                    }
                    case ECHO -> {
                        for (int r; (r = in.read(buf)) >= 0; ) {
                            o.write(buf, 0, r);
                        }
                    }
                    case IDLE -> keep = true;
                    default -> { }
                }
            } catch (IOException | RuntimeException e) {
                // a client gone, or closed by close()
            } finally {
                if (!keep) {
                    held.remove(s);
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // closing anyway
                    }
                }
            }
        }

        void status(DataInputStream in, OutputStream o) throws IOException {
            while (true) {
                byte[] p = packet(in, 64);
                if (p.length == 0) {
                    return;
                }
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                if (p[0] == 0x00) {
                    varInt(body, 0x00);
                    string(body, STATUS);
                    statusAnswered.incrementAndGet();
                } else {
                    body.writeBytes(p);      // ping: the pong is the same packet
                }
                ByteArrayOutputStream framed = new ByteArrayOutputStream();
                frame(framed, body.toByteArray());
                o.write(framed.toByteArray());
                if (p[0] != 0x00) {
                    return;
                }
            }
        }

        /** One packet's body; empty at the end of the stream. */
        static byte[] packet(DataInputStream in, int max) throws IOException {
            int length;
            try {
                length = readVarInt(in);
            } catch (EOFException end) {
                return new byte[0];
            }
            if (length <= 0 || length > max) {
                throw new IOException("packet of " + length + " bytes");
            }
            return in.readNBytes(length);
        }

        static void drain(InputStream in, byte[] buf) throws IOException {
            while (in.read(buf) >= 0) {
                // until the client closes
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
            synchronized (held) {
                for (Socket s : held) {
                    s.close();
                }
            }
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- the reference relay

    /** {@code GatewayBench relay <listen port> <server port>}: the reference proxy, in a JVM of its own. */
    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("relay")) {
            relay(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        } else {
            throw new IllegalArgumentException("usage: GatewayBench relay <listen port> <server port>");
        }
    }

    /**
     * The simplest proxy: accept, connect to the server (from {@link RelayProcess#SOURCE}, so the
     * server can tell), then a thread per direction copies with a 64 KiB buffer until end of
     * stream, and passes the end on. Stops by itself after 15 minutes, like the other helpers.
     */
    static void relay(int listen, int server) throws Exception {
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "relay");
            t.setDaemon(true);
            return t;
        });
        ServerSocket listener = new ServerSocket(listen, 1024, InetAddress.getByName(LO));
        Thread acceptor = new Thread(() -> {
            while (true) {
                try {
                    Socket client = listener.accept();
                    threads.execute(() -> {
                        try {
                            client.setTcpNoDelay(true);
                            Socket up = new Socket();
                            up.setTcpNoDelay(true);
                            up.bind(new InetSocketAddress(RelayProcess.SOURCE, 0));
                            up.connect(new InetSocketAddress(LO, server), 5000);
                            threads.execute(() -> copy(up, client));
                            copy(client, up);
                        } catch (IOException e) {
                            closeQuietly(client);
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        }, "relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        Thread.sleep(900_000);
    }

    static void copy(Socket from, Socket to) {
        byte[] buf = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream o = to.getOutputStream();
            for (int n; (n = in.read(buf)) >= 0; ) {
                o.write(buf, 0, n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
            return;
        }
        if (from.isOutputShutdown() || to.isInputShutdown()) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** The reference relay's JVM, started from the harness's class path; gone when closed. */
    static final class RelayProcess implements AutoCloseable {
        /** The relay connects to the server from here: the server counts its logins apart. */
        static final String SOURCE = "127.0.0.3";
        final int port;
        final Process process;

        RelayProcess(int serverPort) throws Exception {
            port = Broker.freePort();
            process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), GatewayBench.class.getName(), "relay", String.valueOf(port), String.valueOf(serverPort))
                    .redirectErrorStream(true).redirectOutput(Bench.work.resolve("relay.log").toFile()).start();
            long limit = System.nanoTime() + 30_000_000_000L;
            while (true) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(LO, port), 200);
                    return;
                } catch (IOException notYet) {
                    if (System.nanoTime() > limit || !process.isAlive()) {
                        throw new IllegalStateException("the reference relay did not start; see " + Bench.work.resolve("relay.log"));
                    }
                    Thread.sleep(20);
                }
            }
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
