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
        Path jar = Path.of("target", "cubeguardian.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("run through `mvn verify`: the jar is built in the package phase");
        }
        stdout = Path.of("target", "faults-" + name + ".out.log").toAbsolutePath();
        stderr = Path.of("target", "faults-" + name + ".err.log").toAbsolutePath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx192m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString())
                .directory(workDir.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("CUBEGUARDIAN_") || k.startsWith("DISCORD"));
        builder.environment().put("CUBEGUARDIAN_MANAGEMENT_ENABLED", "false");
        builder.environment().putAll(env);
        process = builder.start();
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
