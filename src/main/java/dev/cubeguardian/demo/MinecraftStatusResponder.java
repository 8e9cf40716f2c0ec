package dev.cubeguardian.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cubeguardian.probe.LegacyPingCodec;
import dev.cubeguardian.probe.LegacyResponse;
import dev.cubeguardian.probe.MalformedPacketException;
import dev.cubeguardian.probe.PacketReader;
import dev.cubeguardian.probe.PacketWriter;
import dev.cubeguardian.probe.SlpCodec;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A tiny stand-in Minecraft server that answers only the server list ping (modern and legacy),
 * for tests and the demo homelab. Nobody can log in; a login handshake is simply hung up on.
 */
public final class MinecraftStatusResponder implements AutoCloseable {

    /** What the server claims about itself; read anew for every ping, so it can change live. */
    public record Status(String versionName, int protocol, int online, int max, List<String> sample, String motd) {
        public Status {
            Objects.requireNonNull(versionName, "versionName");
            Objects.requireNonNull(motd, "motd");
            sample = sample == null ? List.of() : List.copyOf(sample);
        }
    }

    public enum Mode {
        /** Answers modern and legacy pings, like a 1.7+ vanilla server. */
        MODERN_AND_LEGACY,
        /** Hangs up on modern handshakes, like a pre-1.7 server. */
        LEGACY_ONLY
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_CONNECTIONS = 16;
    // A ping takes milliseconds; anything idling longer is stuck or hostile.
    private static final int CLIENT_IDLE_MILLIS = 5_000;
    // How long to wait for the optional parts of a legacy request before answering what we have.
    private static final int LEGACY_FOLLOW_UP_MILLIS = 250;
    private static final int MAX_HANDSHAKE_PACKET = 1024;
    private static final int MAX_REQUEST_PACKET = 64;
    private static final int MAX_PLUGIN_DATA = 1024;

    private final InetAddress bindAddress;
    private final int requestedPort;
    private final Supplier<Status> status;
    private final Mode mode;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor handlers;
    private volatile ServerSocket listener;
    private volatile boolean closed;
    private Thread acceptor;

    public MinecraftStatusResponder(InetAddress bindAddress, int port, Supplier<Status> status) {
        this(bindAddress, port, status, Mode.MODERN_AND_LEGACY);
    }

    /** @param port 0 for an ephemeral port; see {@link #port()} after {@link #start()} */
    public MinecraftStatusResponder(InetAddress bindAddress, int port, Supplier<Status> status, Mode mode) {
        this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
        this.requestedPort = port;
        this.status = Objects.requireNonNull(status, "status");
        this.mode = Objects.requireNonNull(mode, "mode");
        AtomicInteger threadNumber = new AtomicInteger();
        // Direct hand-off and a hard cap: excess connections are refused instead of queued.
        this.handlers = new ThreadPoolExecutor(0, MAX_CONNECTIONS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                runnable -> daemon(runnable, "mc-status-conn-" + threadNumber.incrementAndGet()));
    }

    public synchronized MinecraftStatusResponder start() throws IOException {
        if (listener != null) {
            throw new IllegalStateException("already started");
        }
        if (closed) {
            throw new IllegalStateException("already closed");
        }
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(bindAddress, requestedPort), 50);
        listener = server;
        acceptor = daemon(this::acceptLoop, "mc-status-accept-" + server.getLocalPort());
        acceptor.start();
        return this;
    }

    public int port() {
        ServerSocket server = listener;
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server.getLocalPort();
    }

    public InetAddress address() {
        return bindAddress;
    }

    @Override
    public void close() {
        closed = true;
        ServerSocket server = listener;
        if (server != null) {
            closeQuietly(server);
        }
        connections.forEach(MinecraftStatusResponder::closeQuietly);
        handlers.shutdownNow();
        Thread accepting = acceptor;
        if (accepting != null) {
            try {
                accepting.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;   // e.g. the client reset before we accepted; keep serving
            }
            connections.add(socket);
            if (closed) {
                // close() may have swept the set just before this socket joined it
                closeQuietly(socket);
                return;
            }
            try {
                handlers.execute(() -> serve(socket));
            } catch (RejectedExecutionException e) {
                connections.remove(socket);
                closeQuietly(socket);
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(CLIENT_IDLE_MILLIS);
            socket.setTcpNoDelay(true);
            PushbackInputStream in = new PushbackInputStream(new BufferedInputStream(socket.getInputStream()), 1);
            OutputStream out = socket.getOutputStream();
            int first = in.read();
            if (first == LegacyPingCodec.PING) {
                answerLegacy(socket, new DataInputStream(in), out);
            } else if (first >= 0 && mode == Mode.MODERN_AND_LEGACY) {
                in.unread(first);
                answerModern(in, out);
            }
        } catch (IOException e) {
            // A client that misbehaves or vanishes is simply dropped.
        } finally {
            connections.remove(socket);
        }
    }

    private void answerModern(InputStream in, OutputStream out) throws IOException {
        SlpCodec.Packet handshake = SlpCodec.readPacket(in, MAX_HANDSHAKE_PACKET);
        if (handshake.id() != 0x00) {
            return;
        }
        PacketReader fields = handshake.reader();
        fields.readVarInt();          // client protocol: we answer every version the same
        fields.readString(255);       // the host name the client used
        fields.readUnsignedShort();   // the port the client used
        if (fields.readVarInt() != 1) {
            return;                   // login or transfer: not something this stand-in can do
        }
        while (true) {
            SlpCodec.Packet request = SlpCodec.readPacket(in, MAX_REQUEST_PACKET);
            if (request.id() == 0x00) {
                byte[] body = new PacketWriter().writeString(statusJson(status.get())).toByteArray();
                out.write(SlpCodec.frame(0x00, body));
                out.flush();
            } else if (request.id() == 0x01) {
                long payload = request.reader().readLong();
                out.write(SlpCodec.frame(0x01, new PacketWriter().writeLong(payload).toByteArray()));
                out.flush();
                return;               // vanilla hangs up after the pong as well
            } else {
                throw new MalformedPacketException("unexpected status-state packet " + request.id());
            }
        }
    }

    private void answerLegacy(Socket socket, DataInputStream in, OutputStream out) throws IOException {
        // Beta clients send 0xFE alone, 1.4+ add 0x01, 1.6 adds a plugin message. Read whatever
        // of that arrives, so that closing does not reset the connection over unread bytes.
        boolean modernFormat = false;
        socket.setSoTimeout(LEGACY_FOLLOW_UP_MILLIS);
        try {
            if (in.read() == LegacyPingCodec.PING_PAYLOAD) {
                modernFormat = true;
                if (in.read() == LegacyPingCodec.PLUGIN_MESSAGE) {
                    socket.setSoTimeout(CLIENT_IDLE_MILLIS);
                    in.skipNBytes(2L * in.readUnsignedShort());     // channel name
                    int dataLength = in.readUnsignedShort();
                    if (dataLength > MAX_PLUGIN_DATA) {
                        throw new MalformedPacketException("plugin message too long");
                    }
                    in.skipNBytes(dataLength);
                }
            }
        } catch (SocketTimeoutException e) {
            // an older client that sent less: answer what it asked
        }
        Status current = status.get();
        LegacyResponse response = new LegacyResponse(current.protocol(), current.versionName(), current.motd(),
                current.online(), current.max());
        LegacyPingCodec.writeKick(out, modernFormat ? response.toKickText() : response.toPre14KickText());
    }

    static String statusJson(Status status) {
        ObjectNode root = MAPPER.createObjectNode();
        root.putObject("version").put("name", status.versionName()).put("protocol", status.protocol());
        ObjectNode players = root.putObject("players").put("max", status.max()).put("online", status.online());
        if (!status.sample().isEmpty()) {
            ArrayNode sample = players.putArray("sample");
            for (String name : status.sample()) {
                // The id offline-mode servers derive from a name, so the sample looks realistic.
                UUID id = UUID.nameUUIDFromBytes(("OfflinePlayer:" + name).getBytes(StandardCharsets.UTF_8));
                sample.addObject().put("name", name).put("id", id.toString());
            }
        }
        root.putObject("description").put("text", status.motd());
        return root.toString();
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing is best effort
        }
    }
}
