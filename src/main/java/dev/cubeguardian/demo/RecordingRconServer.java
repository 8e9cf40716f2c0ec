package dev.cubeguardian.demo;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
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
 * A Minecraft RCON server as vanilla's behaves, for the demo and the tests: password login,
 * commands answered by {@code answers}, answers over 4096 bytes split over several packets, an
 * unknown packet type answered "Unknown request &lt;type&gt;". It records every command it
 * gets, in order. {@code silent} makes it a server that takes connections and never answers.
 */
public final class RecordingRconServer implements AutoCloseable {

    private static final int MAX_CONNECTIONS = 8;
    private static final int MAX_PACKET = 1460 + 14;
    private static final int FRAGMENT = 4096;

    private final String password;
    private final UnaryOperator<String> answers;
    private final boolean silent;
    private final List<String> commands = new CopyOnWriteArrayList<>();
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
        this.listener = new ServerSocket(port, 16, bind);
        this.acceptor = new Thread(this::accept, "rcon-stand-in-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Every command received from an authenticated client, in order (passwords are not commands). */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = listener.accept();
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
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            boolean authenticated = false;
            while (!closed) {
                int length = Integer.reverseBytes(in.readInt());
                if (length < 10 || length > MAX_PACKET) {
                    return;   // vanilla drops such a client
                }
                byte[] rest = new byte[length];
                in.readFully(rest);
                ByteBuffer fields = ByteBuffer.wrap(rest).order(ByteOrder.LITTLE_ENDIAN);
                int id = fields.getInt();
                int type = fields.getInt();
                String body = new String(rest, 8, length - 10, StandardCharsets.UTF_8);
                if (silent) {
                    continue;
                }
                if (type == 3) {
                    authenticated = password.equals(body);
                    write(out, authenticated ? id : -1, 2, "");
                } else if (type == 2 && authenticated) {
                    commands.add(body);
                    String answer = answers.apply(body);
                    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                    int offset = 0;
                    do {
                        int chunk = Math.min(FRAGMENT, bytes.length - offset);
                        write(out, id, 0, new String(bytes, offset, chunk, StandardCharsets.UTF_8));
                        offset += chunk;
                    } while (offset < bytes.length);
                } else if (type == 2) {
                    write(out, -1, 2, "");
                } else {
                    write(out, id, 0, "Unknown request " + Integer.toHexString(type));
                }
            }
        } catch (EOFException bye) {
            // the client hung up
        } catch (IOException e) {
            // a reset connection ends that client only
        } finally {
            connections.remove(socket);
        }
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
    }
}
