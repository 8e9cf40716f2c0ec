package dev.cubeguardian.bench;

import static dev.cubeguardian.bench.Bench.LO;
import static dev.cubeguardian.bench.Bench.work;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A Mosquitto on a free loopback port with a config written here: set_tcp_nodelay, no persistence. */
final class Broker implements AutoCloseable {
    final int port;
    Process process;
    Path dir;

    private String extra = "";

    Broker() throws IOException {
        port = freePort();
    }

    /**
     * No limit on the messages queued for one subscriber (Mosquitto's default drops beyond
     * 1,000): for bursts, where a fast target would otherwise lose results at the harness's
     * own subscription and look faster than it is.
     */
    Broker unboundedQueues() {
        extra = "max_queued_messages 0\n";
        return this;
    }

    Broker start() throws Exception {
        dir = Files.createTempDirectory(work, "mosquitto-");
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, String.join("\n", "listener " + port + " 127.0.0.1", "allow_anonymous true",
                "set_tcp_nodelay true", "persistence false", "log_dest stderr", "log_type error", "log_type warning", "") + extra);
        process = new ProcessBuilder("/usr/sbin/mosquitto", "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        long limit = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(LO, port), 200);
                return this;
            } catch (IOException notYet) {
                if (System.nanoTime() > limit || !process.isAlive()) {
                    throw new IllegalStateException("mosquitto did not start: " + Files.readString(dir.resolve("mosquitto.log")));
                }
                Thread.sleep(20);
            }
        }
    }

    String url() {
        return "tcp://" + LO + ":" + port;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
