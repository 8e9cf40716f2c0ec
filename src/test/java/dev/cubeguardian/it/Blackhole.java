package dev.cubeguardian.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/** A loopback port that never accepts (a host that does not answer, as a powered-off one does not): its accept queue is full, so further SYNs are dropped and connects time out. */
public final class Blackhole implements AutoCloseable {
    private static final InetAddress LO = InetAddress.getLoopbackAddress();
    private final ServerSocket server;
    private final List<SocketChannel> fillers = new ArrayList<>();

    public Blackhole() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        for (int k = 0; k < 4; k++) {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.connect(new InetSocketAddress(LO, server.getLocalPort()));
            fillers.add(ch);
        }
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // prove it: a connect must now time out rather than succeed or be refused
        long t = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LO, server.getLocalPort()), 300);
            throw new IllegalStateException("blackhole port accepted a connection");
        } catch (java.net.SocketTimeoutException expected) {
            // good
        }
        if (System.nanoTime() - t < 250_000_000L) {
            throw new IllegalStateException("blackhole port did not make the connect wait");
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        for (SocketChannel ch : fillers) {
            ch.close();
        }
        server.close();
    }
}
