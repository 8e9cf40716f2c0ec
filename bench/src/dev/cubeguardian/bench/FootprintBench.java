package dev.cubeguardian.bench;

import static dev.cubeguardian.bench.Bench.*;

import dev.cubeguardian.it.CountingListeners;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Benchmark 5: cold start to {@code bridge/state online} and resident memory after a soak, per JVM variant, with the
 * image's runtime and AppCDS archive made by the image's own scripts (docker/make-java-runtime, docker/train-cds).
 */
final class FootprintBench {

    private FootprintBench() {
    }


    static void run() throws Exception {
        section("5. Footprint (cold start to `bridge/state online`; RSS after a soak with 10 hosts)");
        int reps = i("cold-n");
        int soak = i("soak-seconds");
        int rate = i("soak-rate");
        List<String> variants = List.of(P.get("jvm-variants").split(","));
        try (CountingListeners open = new CountingListeners(10); Broker broker = new Broker().start()) {
            List<HostSpec> specs = new ArrayList<>();
            Map<String, Integer> py = new LinkedHashMap<>();
            for (int h = 0; h < 10; h++) {
                specs.add(new HostSpec("f" + h, open.port(h), null));
                py.put("f" + h, open.port(h));
            }
            Path inv = inventory(specs, "1s");
            Path pyInv = pyHosts(py);
            // AppCDS (JDK 17: a training run dumps the archive at exit): "cds" on the serial flags,
            // "lean-cds" on the image's
            for (String cds : List.of("cds", "lean-cds")) {
                if (variants.contains(cds)) {
                    String base = cds.equals("cds") ? "serial" : "lean";
                    Path jsa = work.resolve("cubeguardian-" + cds + ".jsa");
                    List<String> train = new ArrayList<>(JVM_VARIANTS.get(base));
                    train.add("-XX:ArchiveClassesAtExit=" + jsa);
                    try (Worker w = Worker.java(cds + "-training", broker, inv, Map.of(), train)) {
                        w.awaitOnline(90);
                        Thread.sleep(2000);
                    }
                    List<String> use = new ArrayList<>(JVM_VARIANTS.get(base));
                    use.add("-XX:SharedArchiveFile=" + jsa);
                    JVM_VARIANTS.put(cds, use);
                    line("AppCDS archive for `" + cds + "` from one training start: "
                            + (Files.exists(jsa) ? Files.size(jsa) / 1024 / 1024 + " MiB" : "MISSING"));
                    line("");
                }
            }
            if (variants.stream().anyMatch(v -> v.startsWith("image"))) {
                imageVariants(variants);
            }
            Map<String, Stats> cold = new LinkedHashMap<>();
            // floor: a JVM that only loads Paho, connects and publishes the retained "online"
            cold.put("floor: minimal Java Paho client (connect + publish online)", coldStart(reps, () -> Worker.minimal(broker)));
            for (String v : variants) {
                cold.put("**CubeGuardian** " + v + " " + JVM_VARIANTS.get(v), coldStart(reps, () -> Worker.java("cold-" + v, broker, inv, Map.of(), JVM_VARIANTS.get(v))));
            }
            cold.put("Python paho bot", coldStart(reps, () -> Worker.python("cold-py", broker, pyInv, false, 60)));
            line("Cold start, " + reps + " starts each, from process spawn to `cubeguardian/bridge/state` = `online` at a subscriber:");
            line("");
            line("| Process | p50 s | max s | p50 / target 1.5 s (issue 16, image flags) | p50 / JVM floor |");
            line("|---|---:|---:|---:|---:|");
            Stats floor = cold.values().iterator().next();
            for (Map.Entry<String, Stats> e : cold.entrySet()) {
                Stats s = e.getValue();
                line(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.2f | %.2f |", e.getKey(), s.p(50) / 1e3, s.max() / 1e3,
                        s.p(50) / 1500.0, s.p(50) / floor.p(50)));
            }
            line("");
            line("Where the default cold start goes (first start, from the worker's log timestamps): " + phases);
            line("");
            line("Resident memory after a " + soak + " s soak (10 hosts, `check` commands at " + rate + "/s round robin, monitor probing as usual):");
            line("");
            // issue 16: at most 96 MiB with the image's flags (lean and its variants), 160 MiB otherwise
            line("| Process | commands answered | VmRSS start MiB | VmRSS end MiB | VmHWM MiB | target MiB | end RSS / target | end RSS / Python |");
            line("|---|---:|---:|---:|---:|---:|---:|---:|");
            List<String[]> rows = new ArrayList<>();
            double pyRss = 0;
            // the JVM's own floor: Paho receiving the same commands and publishing an answer each, the image's flags
            rows.add(soak("floor: echo client in a JVM of its own, `lean` flags", Worker.echo(broker, "cubeguardian", JVM_VARIANTS.get("lean")),
                    broker, soak, rate));
            for (String v : variants) {
                rows.add(soak("**CubeGuardian** " + v, Worker.java("soak-" + v, broker, inv, Map.of(), JVM_VARIANTS.get(v)), broker, soak, rate));
            }
            String[] pyRow = soak("Python paho bot", Worker.python("soak-py", broker, pyInv, false, soak + 60), broker, soak, rate);
            pyRss = Double.parseDouble(pyRow[3]);
            rows.add(pyRow);
            for (String[] r : rows) {
                double end = Double.parseDouble(r[3]);
                double target = r[0].startsWith("floor") ? 96 : r[0].contains("lean") || r[0].contains("image") ? 96 : r[0].contains("Python") ? Double.NaN : 160;
                line(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.0f | %.2f | %.1f |", r[0], r[1], r[2], r[3], r[4], target,
                        end / target, end / pyRss));
            }
            line("");
            for (String n : nmtLines) {
                line("- " + n);
            }
            line("");
            line("JVM variants: " + JVM_VARIANTS);
        }
    }

    interface WorkerStarter {
        Worker start() throws Exception;
    }

    static String phases = "";

    /**
     * The image's JVM outside a container: the Java runtime docker/make-java-runtime makes (the Dockerfile's build stage
     * runs the same script) and the AppCDS archive docker/train-cds makes from it (the Dockerfile's runtime stage does the
     * same), here for target/cubeguardian.jar. "image-noshare": that runtime with no class sharing at all, as the image
     * was before it had either archive; "image-jdkcds": the JDK's archive only; "image": both, as the image ships it;
     * "image-arena2": the image with glibc's malloc limited to two arenas; "image-tight": that, with a heap kept closer to
     * what is live and one JIT thread.
     */
    static void imageVariants(List<String> variants) throws Exception {
        Path runtime = work.resolve("image-java");
        run(List.of(root.resolve("docker/make-java-runtime").toString(), runtime.toString()), "make-java-runtime", 300);
        String java = Worker.JAVA_OPTION + runtime.resolve("bin/java");
        List<String> lean = JVM_VARIANTS.get("lean");
        List<String> noshare = new ArrayList<>(List.of(java));
        noshare.addAll(lean);
        noshare.add("-Xshare:off");
        JVM_VARIANTS.put("image-noshare", noshare);
        List<String> jdkcds = new ArrayList<>(List.of(java));
        jdkcds.addAll(lean);
        JVM_VARIANTS.put("image-jdkcds", jdkcds);
        Path jsa = work.resolve("cubeguardian-image.jsa");
        List<String> train = new ArrayList<>(List.of(root.resolve("docker/train-cds").toString(), jsa.toString(),
                runtime.resolve("bin/java").toString()));
        train.addAll(lean);
        train.addAll(List.of("-jar", root.resolve("target/cubeguardian.jar").toString()));
        run(train, "train-cds", 300);
        List<String> image = new ArrayList<>(jdkcds);
        image.add("-XX:SharedArchiveFile=" + jsa);
        JVM_VARIANTS.put("image", image);
        List<String> arena = new ArrayList<>(image);
        arena.add(Worker.ENV_OPTION + "MALLOC_ARENA_MAX=2");
        JVM_VARIANTS.put("image-arena2", arena);
        // where a smaller resident set could come from without changing the code: the heap kept closer to what is live
        // (SerialGC grows the heap until 40 % is free and shrinks it only past 70 %), malloc's arenas, one JIT thread
        List<String> tight = new ArrayList<>(arena);
        tight.addAll(List.of("-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20", "-XX:CICompilerCount=1"));
        JVM_VARIANTS.put("image-tight", tight);
        line("The image's Java runtime (docker/make-java-runtime): " + du(runtime) / 1024 / 1024 + " MiB; its AppCDS archive from "
                + "docker/train-cds: " + (Files.exists(jsa) ? Files.size(jsa) / 1024 / 1024 + " MiB" : "MISSING"));
        line("");
    }

    /** Runs a helper to its end within the limit; its output goes to a log in the work directory. */
    static void run(List<String> command, String label, int seconds) throws Exception {
        Path log = work.resolve(label + ".log");
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(label + " did not finish within " + seconds + " s; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(label + " failed with " + p.exitValue() + "; see " + log);
        }
    }

    static long du(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    static Stats coldStart(int reps, WorkerStarter starter) throws Exception {
        long[] t = new long[reps];
        for (int k = 0; k < reps; k++) {
            try (Worker w = starter.start()) {
                t[k] = w.awaitOnline(60) - w.startedAt;
                if (k == 0 && w.log.getFileName().toString().startsWith("cold-default")) {
                    phases = w.phases(t[k]);
                }
            }
            Thread.sleep(500);
        }
        return Stats.of(t);
    }

    /** What the soaked workers with NMT had committed at the end, one line each. */
    static final List<String> nmtLines = new ArrayList<>();

    static String[] soak(String label, Worker worker, Broker broker, int seconds, int rate) throws Exception {
        try (Worker w = worker; Client c = new Client(broker.url(), "bench-soak-" + System.nanoTime())) {
            AtomicLong answered = new AtomicLong();
            c.onResult((id, t) -> answered.incrementAndGet());
            c.subscribe("cubeguardian/+/result/+");
            w.awaitOnline(60);
            Thread.sleep(1000);
            double startRss = w.rssMb("VmRSS");
            long start = System.nanoTime();
            long total = (long) seconds * rate;
            for (long k = 0; k < total; k++) {
                long wait = start + (long) (k * 1e9 / rate) - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                c.publish("cubeguardian/f" + (k % 10) + "/cmd/check", ("{\"id\":\"s-" + k + "\"}").getBytes(StandardCharsets.UTF_8));
            }
            Thread.sleep(2000);
            double endRss = w.rssMb("VmRSS");
            double hwm = w.rssMb("VmHWM");
            if (w.flags.contains(NativeMemory.FLAG)) {
                nmtLines.add(label + ": " + NativeMemory.describe(NativeMemory.committedMb(w.process.pid())));
            }
            System.out.printf(Locale.ROOT, "  soak %s: %d/%d answered, RSS %.1f -> %.1f MB%n", label, answered.get(), total, startRss, endRss);
            return new String[] {label, answered.get() + "/" + total, String.format(Locale.ROOT, "%.1f", startRss),
                    String.format(Locale.ROOT, "%.1f", endRss), String.format(Locale.ROOT, "%.1f", hwm)};
        }
    }
}
