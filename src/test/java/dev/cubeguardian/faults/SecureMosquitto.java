package dev.cubeguardian.faults;

import dev.cubeguardian.it.MosquittoBroker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/** A real Mosquitto that refuses anonymous clients; users and passwords made by mosquitto_passwd. */
final class SecureMosquitto implements AutoCloseable {

    private final Path directory;
    private final int port;
    private final Process process;

    SecureMosquitto(Map<String, String> users) throws IOException, InterruptedException {
        port = MosquittoBroker.freePort();
        directory = Files.createTempDirectory("mosquitto-secure-");
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path passwords = directory.resolve("passwords");
        boolean first = true;
        for (Map.Entry<String, String> user : users.entrySet()) {
            java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("/usr/bin/mosquitto_passwd", "-b"));
            if (first) {
                command.add("-c");
            }
            command.addAll(java.util.List.of(passwords.toString(), user.getKey(), user.getValue()));
            Process passwd = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(passwd.getInputStream().readAllBytes());
            if (passwd.waitFor() != 0) {
                throw new IllegalStateException("mosquitto_passwd failed: " + out);
            }
            first = false;
        }
        Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-r--r--"));
        Path config = directory.resolve("mosquitto.conf");
        Files.writeString(config, String.join("\n", "listener " + port + " 127.0.0.1", "allow_anonymous false",
                "password_file " + passwords, "set_tcp_nodelay true", "log_dest stderr", "log_type error", "log_type warning", ""));
        process = new ProcessBuilder("/usr/sbin/mosquitto", "-c", config.toString()).redirectErrorStream(true)
                .redirectOutput(directory.resolve("mosquitto.log").toFile()).start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("mosquitto did not start: " + Files.readString(directory.resolve("mosquitto.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** The broker's own log: it may name users, never passwords. */
    String log() throws IOException {
        return Files.readString(directory.resolve("mosquitto.log"));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
