package dev.cubeguardian.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one TCP port of the demo host taken while the service behind it is down. A port picked
 * free and let go is free for anyone: in CI a test next door was once given the demo game's port
 * while the demo host was off, so the "game" answered as some other server. A socket that is
 * bound but does not listen keeps the port from every other bind, and a client connecting to it
 * is refused, as by a host that is powered off.
 */
final class PortHold implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PortHold.class);

    static final long TAKE_BACK_WITHIN_MS = 500;

    private final InetAddress address;
    private final String service;
    private final int port;
    private Socket hold;

    private PortHold(InetAddress address, String service, Socket hold) {
        this.address = address;
        this.service = service;
        this.port = hold.getLocalPort();
        this.hold = hold;
    }

    /** Takes a free port on {@code address} for {@code service} (named in warnings) and holds it. */
    static PortHold anyFree(InetAddress address, String service) throws IOException {
        Socket socket = holder();
        try {
            socket.bind(new InetSocketAddress(address, 0));
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return new PortHold(address, service, socket);
    }

    // SO_REUSEADDR: the connections the stopped service accepted linger in TIME_WAIT on this port,
    // which would refuse a plain bind; a search for a free port (bind to port 0) still passes it by.
    private static Socket holder() throws IOException {
        Socket socket = new Socket();
        socket.setReuseAddress(true);
        return socket;
    }

    int port() {
        return port;
    }

    /** Lets the port go, right before the service binds it. */
    synchronized void release() {
        if (hold != null) {
            closeQuietly(hold);
            hold = null;
        }
    }

    /**
     * Takes the port again once the service has let it go; a port someone took meanwhile stays
     * theirs. A server whose listener closes in the background may still listen for a so the port is tried for up to {@link #TAKE_BACK_WITHIN_MS}.
     */
    synchronized void takeBack() {
        if (hold != null) {
            return;
        }
        long deadline = System.nanoTime() + TAKE_BACK_WITHIN_MS * 1_000_000L;
        while (true) {
            try {
                Socket socket = holder();
                try {
                    socket.bind(new InetSocketAddress(address, port));
                    hold = socket;
                    return;
                } catch (IOException taken) {
                    closeQuietly(socket);
                    if (System.nanoTime() > deadline) {
                        LOG.warn("Demo host: the {} port {} was taken by another program while the service was stopping: {}",
                                service, port, taken.toString());
                        return;
                    }
                }
                Thread.sleep(20);
            } catch (IOException cannotCreate) {
                LOG.warn("Demo host: cannot hold the {} port {} again: {}", service, port, cannotCreate.toString());
                return;
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public synchronized void close() {
        release();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing an unconnected socket frees its port either way
        }
    }
}
