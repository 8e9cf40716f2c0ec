package dev.cubeguardian.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A loopback TCP port that can go dark and come back on the same number: what a host's probe
 * port does while the host reboots. Accepted connections are closed at once (a TCP probe only
 * needs the connect to succeed).
 */
public final class SwitchablePort implements AutoCloseable {

    private final int port;
    private volatile ServerSocket server;

    public SwitchablePort() throws IOException {
        this.port = MosquittoBroker.freePort();
        up();
    }

    public int port() {
        return port;
    }

    /** Takes connections on the port again. */
    public synchronized SwitchablePort up() throws IOException {
        if (server != null) {
            return this;
        }
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server = socket;
        Thread accept = new Thread(() -> {
            while (!socket.isClosed()) {
                try (Socket ignored = socket.accept()) {
                    // connected is all a TCP probe asks
                } catch (IOException closed) {
                    return;
                }
            }
        }, "switchable-port-" + port);
        accept.setDaemon(true);
        accept.start();
        return this;
    }

    /** Refuses connections: the "host" is down. */
    public synchronized void down() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Override
    public void close() throws IOException {
        down();
    }
}
