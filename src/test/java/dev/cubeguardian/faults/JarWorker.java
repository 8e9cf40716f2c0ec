package dev.cubeguardian.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The packaged worker (target/cubeguardian.jar) as its own process, stdout and stderr each to a file. */
final class JarWorker implements AutoCloseable {

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    JarWorker(Path workDir, String name, Map<String, String> env) throws IOException {
        this(workDir, name, env, java.util.List.of("-Xmx192m", "-XX:TieredStopAtLevel=1"));
    }

    /** The JVM options of the image: the Dockerfile's ENTRYPOINT between "java" and "-jar". */
    static java.util.List<String> imageJvmFlags() throws IOException {
        for (String line : Files.readAllLines(Path.of("Dockerfile"))) {
            if (line.startsWith("ENTRYPOINT [")) {
                java.util.List<String> words = new java.util.ArrayList<>();
                java.util.regex.Matcher quoted = java.util.regex.Pattern.compile("\"([^\"]*)\"").matcher(line);
                while (quoted.find()) {
                    words.add(quoted.group(1));
                }
                return words.subList(1, words.indexOf("-jar"));
            }
        }
        throw new IllegalStateException("the Dockerfile has no ENTRYPOINT");
    }

    JarWorker(Path workDir, String name, Map<String, String> env, java.util.List<String> jvmFlags) throws IOException {
        Path jar = Path.of("target", "cubeguardian.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("run through `mvn verify`: the jar is built in the package phase");
        }
        stdout = Path.of("target", "faults-" + name + ".out.log").toAbsolutePath();
        stderr = Path.of("target", "faults-" + name + ".err.log").toAbsolutePath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        java.util.List<String> command = new java.util.ArrayList<>();
        command.add(java);
        command.addAll(jvmFlags);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("CUBEGUARDIAN_") || k.startsWith("DISCORD"));
        builder.environment().put("CUBEGUARDIAN_MANAGEMENT_ENABLED", "false");
        builder.environment().putAll(env);
        process = builder.start();
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL on Linux: no shutdown hook, no goodbye. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM: the worker's planned stop. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return process.exitValue();
    }

    String output() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8) + Files.readString(stderr, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }
}
