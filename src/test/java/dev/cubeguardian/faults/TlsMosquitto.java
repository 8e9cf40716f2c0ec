package dev.cubeguardian.faults;

import dev.cubeguardian.it.MosquittoBroker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Mosquitto with TLS listeners, each on a loopback address of its own, and a plain one for
 * the test's own observer. Anonymous clients are allowed: the tests are about TLS, not passwords.
 */
final class TlsMosquitto implements AutoCloseable {

    /** A TLS listener: where it listens and the certificate it shows. */
    record Listener(String address, int port, TestCa.Issued certificate) {
    }

    private final Path directory;
    private final int plainPort;
    private final Process process;

    TlsMosquitto(Path caFile, List<Listener> listeners) throws IOException, InterruptedException {
        plainPort = MosquittoBroker.freePort();
        directory = Files.createTempDirectory("mosquitto-tls-");
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> config = new ArrayList<>(List.of("per_listener_settings true",
                "listener " + plainPort + " 127.0.0.1", "allow_anonymous true"));
        for (Listener listener : listeners) {
            config.addAll(List.of("listener " + listener.port() + " " + listener.address(), "allow_anonymous true",
                    "cafile " + caFile, "certfile " + listener.certificate().certificate(),
                    "keyfile " + listener.certificate().key()));
        }
        config.addAll(List.of("set_tcp_nodelay true", "log_dest stderr", "log_type error", "log_type warning", ""));
        Path file = directory.resolve("mosquitto.conf");
        Files.writeString(file, String.join("\n", config));
        process = new ProcessBuilder("/usr/sbin/mosquitto", "-c", file.toString()).redirectErrorStream(true)
                .redirectOutput(directory.resolve("mosquitto.log").toFile()).start();
        for (Listener listener : listeners) {
            awaitPort(listener.address(), listener.port());
        }
        awaitPort("127.0.0.1", plainPort);
    }

    /** The plain listener, for the test's observer only. */
    String plainUrl() {
        return "tcp://127.0.0.1:" + plainPort;
    }

    private void awaitPort(String address, int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(address, port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("mosquitto did not listen on " + address + ":" + port + ": "
                            + Files.readString(directory.resolve("mosquitto.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
