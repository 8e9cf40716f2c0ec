package dev.cubeguardian.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A plain TCP "Minecraft server" that sends back every byte it gets, and keeps a copy of what
 * each connection said: a proxy that changed, lost or added a byte shows at once. Blocking I/O
 * with small buffers, so a slow reader at the far end slows it down too.
 */
final class EchoServer implements AutoCloseable {

    static final class Connection {
        final Socket socket;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final CountDownLatch ended = new CountDownLatch(1);

        Connection(Socket socket) {
            this.socket = socket;
        }

        byte[] received() {
            synchronized (received) {
                return received.toByteArray();
            }
        }

        int receivedCount() {
            synchronized (received) {
                return received.size();
            }
        }

        boolean endedWithin(Duration limit) throws InterruptedException {
            return ended.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        }

        void close() throws IOException {
            socket.close();
        }
    }

    private final ServerSocket server;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final int buffer;

    EchoServer(int buffer) throws IOException {
        this.buffer = buffer;
        server = new ServerSocket();
        server.setReceiveBufferSize(buffer);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::accept, "echo-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    EchoServer() throws IOException {
        this(64 * 1024);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                socket.setSendBufferSize(buffer);
                socket.setTcpNoDelay(true);
                Connection connection = new Connection(socket);
                connections.add(connection);
                Thread echo = new Thread(() -> echo(connection), "echo-" + socket.getPort());
                echo.setDaemon(true);
                echo.start();
            } catch (IOException closed) {
                // the server is closed
            }
        }
    }

    private void echo(Connection connection) {
        byte[] chunk = new byte[8192];
        try (Socket socket = connection.socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            int n;
            while ((n = in.read(chunk)) >= 0) {
                synchronized (connection.received) {
                    connection.received.write(chunk, 0, n);
                }
                out.write(chunk, 0, n);
                out.flush();
            }
        } catch (IOException ended) {
            // reset or closed: the end either way
        } finally {
            connection.ended.countDown();
        }
    }

    List<Connection> connections() {
        return List.copyOf(connections);
    }

    /** The first connection whose received bytes match, waiting for it. */
    Connection await(Predicate<byte[]> match, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            for (Connection connection : connections) {
                if (match.test(connection.received())) {
                    return connection;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no matching connection within " + limit + " among " + connections.size());
    }

    static Predicate<byte[]> startsWith(byte[] prefix) {
        return bytes -> bytes.length >= prefix.length && java.util.Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Connection connection : connections) {
            connection.close();
        }
    }
}
