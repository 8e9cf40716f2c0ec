package dev.cubeguardian.peers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One of the Node.js peer scripts of src/test/node (ping.js, login.js, bot.js, server.js, ...)
 * running as a child process. Each line it prints is one JSON event; a line that is not JSON
 * (a library's stray log) is kept as {@code {"event":"text","text":...}}, so nothing it said
 * is lost from a failure message. Closing it ends the process and anything it started.
 */
public final class NodePeer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_STDERR_CHARS = 16 * 1024;

    private final String name;
    private final Process process;
    private final List<JsonNode> lines = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();
    private final Thread stdoutReader;
    private boolean stdoutClosed;

    private NodePeer(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdoutReader = daemon(() -> readLines(process.getInputStream()), "peer-stdout " + name);
        daemon(() -> readStderr(process.getErrorStream()), "peer-stderr " + name);
    }

    /** Starts {@code node src/test/node/<script> <args...>}; fails the test when the peers are not installed. */
    public static NodePeer start(String script, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(PeerInstall.node().toString(), script));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(PeerInstall.scriptsDir().toFile())
                // never the test JVM's stdin: that is the surefire/failsafe fork's command channel
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        return new NodePeer(script + " " + String.join(" ", args), process);
    }

    /** Every line so far, in order. */
    public synchronized List<JsonNode> lines() {
        return List.copyOf(lines);
    }

    /**
     * The first line, printed so far or from now on, that matches; fails the test when none has
     * within {@code limit}, or sooner when the peer has ended without printing one.
     */
    public JsonNode await(Predicate<JsonNode> match, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (this) {
            int seen = 0;
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (match.test(lines.get(seen))) {
                        return lines.get(seen);
                    }
                }
                long left = deadline - System.nanoTime();
                if (stdoutClosed || left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        throw new AssertionError(name + ": no matching line " + (stdoutClosed ? "before it ended" : "within " + limit)
                + describe());
    }

    /** The first line whose "event" is {@code event}. */
    public JsonNode awaitEvent(String event, Duration limit) throws InterruptedException {
        return await(line -> event.equals(line.path("event").asText()), limit);
    }

    /** Waits for the peer to end by itself; fails the test when it is still running after {@code limit}. */
    public int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + ": still running after " + limit + describe());
        }
        stdoutReader.join(limit.toMillis());
        return process.exitValue();
    }

    /** Its lines and stderr, for an assertion's message. */
    public String describe() {
        String exit = process.isAlive() ? "still running" : "exited with " + process.exitValue();
        StringBuilder text = new StringBuilder("\n--- ").append(name).append(" (").append(exit).append(") ---\n");
        lines().forEach(line -> text.append(line).append('\n'));
        synchronized (stderr) {
            if (!stderr.isEmpty()) {
                text.append("--- its stderr ---\n").append(stderr);
            }
        }
        return text.toString();
    }

    /** SIGTERM to the peer and its descendants, SIGKILL to whatever is left after 5 s. */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ProcessHandle handle : tree) {
            long left = deadline - System.nanoTime();
            try {
                handle.onExit().get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                handle.destroyForcibly();
            }
        }
        process.waitFor(5, TimeUnit.SECONDS);
    }

    private void readLines(InputStream stdout) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                JsonNode parsed = parse(line);
                synchronized (this) {
                    lines.add(parsed);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended or was killed: what it printed is all there is
        } finally {
            synchronized (this) {
                stdoutClosed = true;
                notifyAll();
            }
        }
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (JsonProcessingException notJson) {
            // kept as text below
        }
        return JSON.createObjectNode().put("event", "text").put("text", line);
    }

    private void readStderr(InputStream err) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                synchronized (stderr) {
                    if (stderr.length() < MAX_STDERR_CHARS) {
                        stderr.append(line).append('\n');
                    }
                }
            }
        } catch (IOException e) {
            // as above
        }
    }

    private static Thread daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
