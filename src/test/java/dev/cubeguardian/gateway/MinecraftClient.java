package dev.cubeguardian.gateway;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw Minecraft Java client for tests: says exactly the bytes a test gives it, from the
 * loopback address it is told to, and reads what comes back without trusting it.
 */
final class MinecraftClient implements AutoCloseable {

    /** 127.0.0.2 and up: each honest client from its own address, so no test's flood limits another's. */
    private static final AtomicInteger NEXT_SOURCE = new AtomicInteger(2);
    static final Duration READ_LIMIT = Duration.ofSeconds(10);

    record Packet(int id, byte[] body) {
        /** The body as one string field (status response, login disconnect). */
        String string() throws IOException {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(body));
            int length = readVarInt(in);
            byte[] utf8 = in.readNBytes(length);
            if (utf8.length != length) {
                throw new EOFException("string of " + length + " bytes, " + utf8.length + " there");
            }
            return new String(utf8, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private MinecraftClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout((int) READ_LIMIT.toMillis());
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** From a loopback address of its own. */
    static MinecraftClient connect(int port) throws IOException {
        return connect(nextSource(), port);
    }

    static MinecraftClient connect(InetAddress source, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(source, 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        return new MinecraftClient(socket);
    }

    static InetAddress nextSource() {
        int n = NEXT_SOURCE.getAndIncrement();
        return loopback(n);
    }

    static InetAddress loopback(int n) {
        try {
            return InetAddress.getByAddress(new byte[] {127, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    Socket socket() {
        return socket;
    }

    InputStream input() {
        return in;
    }

    OutputStream output() {
        return out;
    }

    MinecraftClient send(byte[]... parts) throws IOException {
        out.write(Wire.concat(parts));
        out.flush();
        return this;
    }

    Packet readPacket(int maxLength) throws IOException {
        int length = readVarInt(in);
        if (length <= 0 || length > maxLength) {
            throw new IOException("packet of " + length + " bytes");
        }
        byte[] packet = in.readNBytes(length);
        if (packet.length != length) {
            throw new EOFException("packet of " + length + " bytes ended after " + packet.length);
        }
        DataInputStream body = new DataInputStream(new java.io.ByteArrayInputStream(packet));
        int id = readVarInt(body);
        return new Packet(id, body.readAllBytes());
    }

    /** A status request on a fresh connection: the status response's JSON, and the pong checked. */
    static String status(int port, int protocol) throws IOException {
        try (MinecraftClient client = connect(port)) {
            return client.statusConversation(protocol, "mc.example.org", port);
        }
    }

    String statusConversation(int protocol, String address, int port) throws IOException {
        send(Wire.handshake(protocol, address, port, Wire.STATUS), Wire.statusRequest());
        Packet response = readPacket(1 << 20);
        if (response.id() != 0x00) {
            throw new IOException("status response with id " + response.id());
        }
        String json = response.string();
        long payload = System.nanoTime();
        send(Wire.ping(payload));
        Packet pong = readPacket(64);
        if (pong.id() != 0x01 || new DataInputStream(new java.io.ByteArrayInputStream(pong.body())).readLong() != payload) {
            throw new IOException("the pong does not carry the ping's payload");
        }
        return json;
    }

    /** A login on a fresh connection: the disconnect reason (JSON text component) the gateway answers with. */
    static String login(int port, int protocol, String name) throws IOException {
        try (MinecraftClient client = connect(port)) {
            return client.loginConversation(protocol, name);
        }
    }

    String loginConversation(int protocol, String name) throws IOException {
        send(Wire.handshake(protocol, "mc.example.org", 25565, Wire.LOGIN),
                protocol >= 764 ? Wire.loginStart(name, java.util.UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)))
                        : Wire.loginStart(name));
        Packet disconnect = readPacket(1 << 16);
        if (disconnect.id() != 0x00) {
            throw new IOException("login answered with packet " + disconnect.id());
        }
        return disconnect.string();
    }

    /** A legacy ping's answer: the text after 0xFF. */
    String legacyAnswer(byte[] request) throws IOException {
        send(request);
        int kind = in.read();
        if (kind != 0xFF) {
            throw new IOException("legacy ping answered with " + kind);
        }
        int chars = in.readUnsignedShort();
        byte[] utf16 = in.readNBytes(chars * 2);
        return new String(utf16, StandardCharsets.UTF_16BE);
    }

    /**
     * Whether the other side closed (end of stream or reset) within the limit, after reading and
     * dropping up to {@code maxIgnored} bytes; false when it is still open then.
     */
    boolean closedWithin(Duration limit, int maxIgnored) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        int ignored = 0;
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
                int b = in.read();
                if (b < 0) {
                    return true;
                }
                if (++ignored > maxIgnored) {
                    throw new IOException("more than " + maxIgnored + " bytes came back");
                }
            }
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        } finally {
            socket.setSoTimeout((int) READ_LIMIT.toMillis());
        }
    }

    boolean closedWithin(Duration limit) throws IOException {
        return closedWithin(limit, 0);
    }

    static int readVarInt(DataInputStream in) throws IOException {
        int value = 0;
        for (int i = 0; i < 5; i++) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("end of stream inside a VarInt");
            }
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("VarInt longer than 5 bytes");
    }

    /** Everything until the other side closes (or {@code limit} bytes). */
    byte[] readUntilClosed(int limit) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        while (all.size() < limit && (n = in.read(chunk)) >= 0) {
            all.write(chunk, 0, n);
        }
        return all.toByteArray();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
