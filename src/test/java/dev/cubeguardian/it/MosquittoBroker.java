package dev.cubeguardian.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Mosquitto broker on a free loopback port, started as a process. A missing binary is
 * a failure, not a skip: CI installs the Debian package.
 */
public final class MosquittoBroker implements AutoCloseable {

    private static final List<Path> CANDIDATES = List.of(Path.of("/usr/sbin/mosquitto"), Path.of("/usr/bin/mosquitto"),
            Path.of("/usr/local/sbin/mosquitto"));

    private final Path directory;
    private final int port;
    private Process process;

    public MosquittoBroker() throws IOException {
        this(freePort());
    }

    public MosquittoBroker(int port) throws IOException {
        this.port = port;
        this.directory = Files.createTempDirectory("mosquitto-test-");
        // started as root, Mosquitto drops to its own user, which must still write its database here
        Files.setPosixFilePermissions(directory, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    public MosquittoBroker start() throws IOException, InterruptedException {
        Path binary = CANDIDATES.stream().filter(Files::isExecutable).findFirst().orElseThrow(() ->
                new IllegalStateException("mosquitto is not installed (apt-get install mosquitto): integration tests need a real broker"));
        Path config = directory.resolve("mosquitto.conf");
        Files.writeString(config, String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                // without it Mosquitto adds Nagle delays of tens of ms to every round trip
                "set_tcp_nodelay true",
                // as the shipped broker: a share group member back from the dead reads its kept witness session
                "max_queued_messages 100000",
                "max_queued_bytes 64000000",
                "persistence true",
                "persistence_location " + directory + "/",
                "autosave_interval 1",
                "log_dest stderr",
                "log_type error",
                "log_type warning",
                ""));
        process = new ProcessBuilder(binary.toString(), "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("mosquitto.log").toFile()))
                .start();
        awaitPort(Duration.ofSeconds(10));
        return this;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Stops the broker the hard way (SIGKILL) or gracefully, keeping its persistence directory for a restart. */
    public void stop(boolean kill) throws InterruptedException {
        if (process != null) {
            if (kill) {
                process.destroyForcibly();
            } else {
                process.destroy();
            }
            process.waitFor();
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop(false);
    }

    private void awaitPort(Duration limit) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited: " + Files.readString(directory.resolve("mosquitto.log")));
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("mosquitto did not open port " + port);
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
