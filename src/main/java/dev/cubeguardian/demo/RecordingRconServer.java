package dev.cubeguardian.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A Minecraft RCON server as vanilla's behaves, for the demo and the tests: password login (an
 * empty one is always refused), commands answered by {@code answers}, answers over 4096 chars
 * split every 4096 chars over several packets, an unknown packet type answered "Unknown request
 * &lt;type&gt;". It reads as vanilla reads: each packet must come whole and alone in one read of at
 * most 1460 bytes, or the client is dropped, so a client that writes two packets back to back
 * fails here as it would against a real server. It records every command it gets, in order.
 * {@code silent} makes it a server that takes connections and never answers.
 */
public final class RecordingRconServer implements AutoCloseable {

    private static final int MAX_CONNECTIONS = 8;
    /** Vanilla's read buffer: a packet, its length field included, of at most 1460 bytes. */
    private static final int MAX_PACKET = 1460;
    /** Vanilla cuts answers every 4096 chars of the text, each sent in UTF-8. */
    private static final int FRAGMENT = 4096;

    private final String password;
    private final UnaryOperator<String> answers;
    private final boolean silent;
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final ServerSocket listener;
    private final ExecutorService handlers = new ThreadPoolExecutor(0, MAX_CONNECTIONS, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "rcon-stand-in");
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.DiscardPolicy());
    private final Thread acceptor;
    private volatile boolean closed;

    public RecordingRconServer(InetAddress bind, int port, String password, UnaryOperator<String> answers, boolean silent)
            throws IOException {
        this.password = password;
        this.answers = answers;
        this.silent = silent;
        this.listener = bind(bind, port);
        this.acceptor = new Thread(this::accept, "rcon-stand-in-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * A restarted game takes its port back while the old connections still close: the port is
     * reusable, and a given port is tried again for a moment.
     */
    private static ServerSocket bind(InetAddress address, int port) throws IOException {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (true) {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            try {
                socket.bind(new java.net.InetSocketAddress(address, port), 16);
                return socket;
            } catch (java.net.BindException taken) {
                socket.close();
                if (port == 0 || System.nanoTime() > deadline) {
                    throw taken;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw taken;
                }
            }
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Every command received from an authenticated client, in order (passwords are not commands). */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    /** How many connections clients have opened so far. */
    public int connectionsAccepted() {
        return accepted.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = listener.accept();
                accepted.incrementAndGet();
                connections.add(socket);
                handlers.execute(() -> serve(socket));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[MAX_PACKET];
            boolean authenticated = false;
            while (!closed) {
                int read = in.read(buffer, 0, MAX_PACKET);
                if (silent && read >= 0) {
                    continue;
                }
                if (read < 10) {
                    return;   // the client hung up, or sent less than a packet: vanilla ends it
                }
                ByteBuffer fields = ByteBuffer.wrap(buffer, 0, read).order(ByteOrder.LITTLE_ENDIAN);
                int length = fields.getInt();
                if (length != read - 4) {
                    return;   // vanilla drops a client whose read is not exactly one packet
                }
                int id = fields.getInt();
                int type = fields.getInt();
                String body = text(buffer, 12, read);
                if (type == 3) {
                    authenticated = !body.isEmpty() && password.equals(body);
                    write(out, authenticated ? id : -1, 2, "");
                } else if (type == 2 && authenticated) {
                    commands.add(body);
                    answer(out, id, answers.apply(body));
                } else if (type == 2) {
                    write(out, -1, 2, "");
                } else {
                    answer(out, id, "Unknown request " + Integer.toHexString(type));
                }
            }
        } catch (IOException e) {
            // a reset connection ends that client only
        } finally {
            connections.remove(socket);
        }
    }

    /** The body up to its first NUL, as vanilla reads it. */
    private static String text(byte[] buffer, int from, int to) {
        int end = from;
        while (end < to && buffer[end] != 0) {
            end++;
        }
        return new String(buffer, from, end - from, StandardCharsets.UTF_8);
    }

    private static void answer(OutputStream out, int id, String answer) throws IOException {
        String rest = answer;
        do {
            int chunk = Math.min(FRAGMENT, rest.length());
            write(out, id, 0, rest.substring(0, chunk));
            rest = rest.substring(chunk);
        } while (!rest.isEmpty());
    }

    private static void write(OutputStream out, int id, int type, String body) throws IOException {
        byte[] text = body.getBytes(StandardCharsets.UTF_8);
        ByteBuffer packet = ByteBuffer.allocate(14 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        packet.putInt(10 + text.length).putInt(id).putInt(type).put(text).put((byte) 0).put((byte) 0);
        synchronized (out) {
            out.write(packet.array());
            out.flush();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
        connections.forEach(socket -> {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        });
        handlers.shutdownNow();
        // A socket closed while a thread blocks in accept() is only released when that thread
        // returns: until then the port still listens, and the demo host could not hold it again.
        try {
            acceptor.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
