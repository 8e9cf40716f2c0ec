package dev.cubeguardian.rcon;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A Minecraft RCON (Source RCON protocol) client: one TCP connection, authenticated once, then
 * commands one at a time. Every exchange is bounded by {@code timeout}; every response by
 * {@link #MAX_RESPONSE_BYTES}. Written here because no maintained RCON library for Java is on
 * Maven Central; the protocol is four fields per packet.
 *
 * <p>Packet: int32 little-endian length of the rest, int32 request id, int32 type, the body in
 * UTF-8 ended by a NUL, and one more NUL. Minecraft splits responses of over 4096 chars into
 * several packets with the request's id; to know when one ends, every command is followed by a
 * packet of an unknown type, which the server answers (after the command's packets) with
 * "Unknown request 0" under its own id. That packet goes out only once the command's answer has
 * begun: vanilla takes each packet from one read() of at most 1460 bytes and hangs up, without
 * running the command, when that read holds more than one packet, which two packets written back
 * to back often do.
 */
public final class RconClient implements AutoCloseable {

    static final int AUTH = 3;
    static final int AUTH_RESPONSE = 2;
    static final int EXEC_COMMAND = 2;
    static final int RESPONSE_VALUE = 0;
    /** Vanilla refuses command bodies over 1446 bytes. */
    static final int MAX_COMMAND_BYTES = 1446;
    /** Vanilla cuts answers every 4096 chars (not bytes) and sends each in UTF-8: up to 3 bytes a char. */
    static final int MAX_PACKET_BYTES = 3 * 4096 + 10;
    /** A `list` of a thousand players is ~20 KB; nothing we send asks for more. */
    static final int MAX_RESPONSE_BYTES = 256 * 1024;
    /** Some servers (not vanilla) ignore the end marker; a short last fragment then ends the answer. */
    private static final int LAST_FRAGMENT_BYTES = 4096;
    private static final int END_MARKER_GRACE_MILLIS = 300;

    /** The server refused the password. */
    public static final class AuthFailedException extends IOException {
        AuthFailedException() {
            super("RCON password refused");
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final int timeoutMillis;
    private int nextId = 1;

    private RconClient(Socket socket, Duration timeout) throws IOException {
        this.socket = socket;
        this.timeoutMillis = (int) Math.max(1, timeout.toMillis());
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * Connects and logs in.
     *
     * @throws AuthFailedException the password was refused
     * @throws IOException         the server is unreachable, hung up, or did not answer in time
     */
    public static RconClient connect(String host, int port, String password, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            socket.setTcpNoDelay(true);
            RconClient client = new RconClient(socket, timeout);
            client.authenticate(password);
            return client;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void authenticate(String password) throws IOException {
        int id = nextId++;
        write(id, AUTH, password);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            Packet packet = read(deadline);
            // servers may send an empty RESPONSE_VALUE first (Source does); the AUTH_RESPONSE decides
            if (packet.type() == AUTH_RESPONSE) {
                if (packet.id() == -1) {
                    throw new AuthFailedException();
                }
                if (packet.id() == id) {
                    return;
                }
            }
        }
    }

    /** Runs one console command and returns its whole output (colour codes as the server sent them). */
    public String command(String command) throws IOException {
        byte[] body = command.getBytes(StandardCharsets.UTF_8);
        if (body.length > MAX_COMMAND_BYTES) {
            throw new IllegalArgumentException("RCON command of " + body.length + " bytes; the server takes at most " + MAX_COMMAND_BYTES);
        }
        int id = nextId++;
        int end = nextId++;
        write(id, EXEC_COMMAND, command);
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        boolean lastFragmentSeen = false;
        boolean endSent = false;
        while (true) {
            Packet packet;
            try {
                packet = read(lastFragmentSeen ? Math.min(deadline, System.nanoTime() + END_MARKER_GRACE_MILLIS * 1_000_000L) : deadline);
            } catch (SocketTimeoutException | EOFException | SocketException ended) {
                // after a short last fragment, no end marker's answer (or a hang-up, as after `stop`) ends it too
                if (lastFragmentSeen) {
                    return response.toString(StandardCharsets.UTF_8);
                }
                throw ended;
            }
            if (endSent && packet.id() == end) {
                return response.toString(StandardCharsets.UTF_8);
            }
            if (packet.id() != id) {
                continue;   // the end marker's answer of an earlier command that gave up waiting for it
            }
            if (response.size() + packet.body().length > MAX_RESPONSE_BYTES) {
                throw new IOException("RCON response over " + MAX_RESPONSE_BYTES + " bytes");
            }
            response.writeBytes(packet.body());
            lastFragmentSeen = packet.body().length < LAST_FRAGMENT_BYTES;
            if (!endSent) {
                // the server has read the command: the end marker now comes alone to its next read
                endSent = true;
                try {
                    write(end, RESPONSE_VALUE, "");
                } catch (IOException hungUp) {
                    if (lastFragmentSeen) {
                        return response.toString(StandardCharsets.UTF_8);
                    }
                    throw hungUp;
                }
            }
        }
    }

    private void write(int id, int type, String body) throws IOException {
        byte[] text = body.getBytes(StandardCharsets.UTF_8);
        ByteBuffer packet = ByteBuffer.allocate(4 + 4 + 4 + text.length + 2).order(ByteOrder.LITTLE_ENDIAN);
        packet.putInt(4 + 4 + text.length + 2).putInt(id).putInt(type).put(text).put((byte) 0).put((byte) 0);
        out.write(packet.array());
        out.flush();
    }

    private record Packet(int id, int type, byte[] body) {
    }

    private Packet read(long deadlineNanos) throws IOException {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
            throw new SocketTimeoutException("RCON server did not answer within " + timeoutMillis + " ms");
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
        byte[] header = new byte[4];
        readFully(in, header);
        int length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (length < 10 || length > MAX_PACKET_BYTES) {
            throw new IOException("RCON packet length " + length + " is out of range");
        }
        byte[] rest = new byte[length];
        readFully(in, rest);
        ByteBuffer fields = ByteBuffer.wrap(rest).order(ByteOrder.LITTLE_ENDIAN);
        int id = fields.getInt();
        int type = fields.getInt();
        int bodyLength = length - 10;
        byte[] body = new byte[bodyLength];
        fields.get(body);
        return new Packet(id, type, body);
    }

    private static void readFully(InputStream in, byte[] into) throws IOException {
        int read = 0;
        while (read < into.length) {
            int n = in.read(into, read, into.length - read);
            if (n < 0) {
                throw new EOFException("RCON server closed the connection");
            }
            read += n;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
