package dev.cubeguardian.bench;

import static dev.cubeguardian.bench.Bench.P;
import static dev.cubeguardian.bench.Bench.root;
import static dev.cubeguardian.bench.Bench.work;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A worker under test as a process of its own (the packaged jar, or the Python bot), its output in a log file of its own. */
final class Worker implements AutoCloseable {
    final Process process;
    /** The whole command line, JVM flags included. */
    final List<String> flags;
    final long startedAt;
    final Client watcher;
    final Path log;
    volatile long onlineAt;

    private Worker(List<String> command, Map<String, String> env, Broker broker, String label, String base) throws Exception {
        flags = List.copyOf(command);
        log = work.resolve(label + "-" + System.nanoTime() + ".log");
        // subscribed before the spawn, so the retained or live "online" cannot be missed
        watcher = new Client(broker.url(), "bench-watch-" + System.nanoTime());
        CompletableFuture<Void> ready = new CompletableFuture<>();
        watcher.onMessage((topic, msg) -> {
            if ("online".equals(new String(msg.getPayload(), StandardCharsets.UTF_8)) && startedAtSet && onlineAt == 0) {
                onlineAt = System.nanoTime();
            }
        });
        // clear what a previous process left, then listen
        watcher.publishRetained(base + "/bridge/state", new byte[0]);
        watcher.subscribe(base + "/bridge/state");
        Thread.sleep(50);
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        startedAt = System.nanoTime();
        startedWall = System.currentTimeMillis();
        startedAtSet = true;
        process = pb.start();
    }

    private volatile boolean startedAtSet;
    long startedWall;

    /** Wall-clock milliseconds of the first log line that contains the text, from its HH:mm:ss.SSS stamp; 0 if none. */
    long logged(String text) {
        try {
            for (String l : Files.readAllLines(log)) {
                if (l.contains(text) && l.length() > 12) {
                    return java.time.LocalDateTime.of(java.time.LocalDate.now(), java.time.LocalTime.parse(l.substring(0, 12)))
                            .atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli();
                }
            }
        } catch (IOException | RuntimeException e) {
            System.out.println("  (log not readable: " + e.getMessage() + ")");
        }
        return 0;
    }

    /** Offsets of the worker's start-up milestones from the spawn, read from its log's HH:mm:ss.SSS stamps. */
    String phases(long onlineNanos) {
        String[][] marks = {{"JVM up, Camel Main starting", "MainSupport - Apache Camel"},
                {"classpath scan + configuration done", "Auto-configuration summary"},
                {"routes loaded, context starting", "(cubeguardian) is starting"},
                {"context started (routes start under the route controller)", "(cubeguardian) started in"},
                {"publisher connected", "Connected to MQTT broker"}};
        StringBuilder b = new StringBuilder();
        try {
            java.time.LocalDate day = java.time.LocalDate.now();
            List<String> lines = Files.readAllLines(log);
            for (String[] m : marks) {
                for (String l : lines) {
                    if (l.contains(m[1]) && l.length() > 12) {
                        long at = java.time.LocalDateTime.of(day, java.time.LocalTime.parse(l.substring(0, 12)))
                                .atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli() - startedWall;
                        b.append(m[0]).append(" +").append(at).append(" ms; ");
                        break;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            b.append("(log not readable: ").append(e.getMessage()).append(") ");
        }
        return b.append("`online` at the subscriber +").append(onlineNanos / 1_000_000).append(" ms").toString();
    }

    static final String JAVA_OPTION = "@java=";
    static final String ENV_OPTION = "@env=";

    static Worker java(String label, Broker broker, Path inventory, Map<String, String> extraEnv, List<String> jvmFlags) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Map<String, String> env = new HashMap<>();
        // a variant may name its own java (the image's jlinked runtime: "@java=<binary>") and environment ("@env=NAME=value")
        for (String flag : jvmFlags) {
            if (flag.startsWith(JAVA_OPTION)) {
                cmd.set(0, flag.substring(JAVA_OPTION.length()));
            } else if (flag.startsWith(ENV_OPTION)) {
                String[] kv = flag.substring(ENV_OPTION.length()).split("=", 2);
                env.put(kv[0], kv[1]);
            } else {
                cmd.add(flag);
            }
        }
        cmd.add("-jar");
        cmd.add(root.resolve("target/cubeguardian.jar").toString());
        env.put("CUBEGUARDIAN_MQTT_URL", broker.url());
        env.put("CUBEGUARDIAN_HOSTS_FILE", inventory.toString());
        env.put("CUBEGUARDIAN_MANAGEMENT_PORT", String.valueOf(Broker.freePort()));
        env.put("CUBEGUARDIAN_MQTT_CLIENT_ID", "cg-bench-" + label);
        // the command memory on disk, as a worker with a hosts file has it, in a directory of its own (two workers on one
        // would share a locked file); benchmark 7 sets it itself, to none or a directory it reuses
        env.put("CUBEGUARDIAN_DATA_DIR", work.resolve("data-" + label + "-" + System.nanoTime()).toString());
        env.putAll(extraEnv);
        return new Worker(cmd, env, broker, label, env.getOrDefault("CUBEGUARDIAN_BASE_TOPIC", "cubeguardian"));
    }

    static Worker python(String label, Broker broker, Path hosts, boolean nodelay, int maxSeconds) throws Exception {
        return python(label, broker, hosts, nodelay, maxSeconds, "cubeguardian");
    }

    static Worker python(String label, Broker broker, Path hosts, boolean nodelay, int maxSeconds, String base) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(P.get("python"), root.resolve("bench/python_worker.py").toString(), "worker",
                "--port", String.valueOf(broker.port), "--hosts", hosts.toString(), "--max-seconds", String.valueOf(maxSeconds),
                "--base", base));
        if (nodelay) {
            cmd.add("--nodelay");
        }
        return new Worker(cmd, Map.of(), broker, label, base);
    }

    static Worker echo(Broker broker, String base) throws Exception {
        return echo(broker, base, List.of());
    }

    /** The do-nothing echo client in a JVM of its own, with these JVM flags (the floor of benchmark 5's RSS). */
    static Worker echo(Broker broker, String base, List<String> flags) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Bench.class.getName(), "echo", broker.url(), base));
        return new Worker(cmd, Map.of(), broker, "echo-process", base);
    }

    static Worker minimal(Broker broker) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Bench.class.getName(), "minimal-online", broker.url());
        return new Worker(cmd, Map.of(), broker, "minimal", "cubeguardian");
    }

    /** Waits for `bridge/state online`; returns the nanoTime it arrived. */
    long awaitOnline(int seconds) throws Exception {
        long limit = System.nanoTime() + seconds * 1_000_000_000L;
        while (onlineAt == 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException("process exited (" + process.exitValue() + "); log " + log + ":\n" + tail());
            }
            if (System.nanoTime() > limit) {
                throw new IllegalStateException("no bridge/state online within " + seconds + " s; log " + log + ":\n" + tail());
            }
            Thread.sleep(2);
        }
        return onlineAt;
    }

    double rssMb(String field) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (l.startsWith(field + ":")) {
                return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return -1;
    }

    long logLines() throws IOException {
        try (var lines = Files.lines(log)) {
            return lines.count();
        }
    }

    String tail() {
        try {
            List<String> l = Files.readAllLines(log);
            return String.join("\n", l.subList(Math.max(0, l.size() - 30), l.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        watcher.close();
    }
}
