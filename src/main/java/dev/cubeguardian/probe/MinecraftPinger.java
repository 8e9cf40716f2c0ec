package dev.cubeguardian.probe;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Asks a Minecraft Java edition server for its status: modern Server List Ping first, then the
 * legacy ping, and failing both reports whether the port at least accepts connections. All
 * attempts share one deadline, so a call returns within about {@code timeout}.
 */
public final class MinecraftPinger {

    // 1.21; vanilla answers status for any number, but some proxies dislike -1 ("unknown").
    static final int PROTOCOL_VERSION = 767;
    // The JSON string may be 32767 UTF-16 units, i.e. up to ~96 KiB of UTF-8 (a big favicon
    // gets close); anything beyond this is not a status response.
    static final int MAX_STATUS_PACKET = 128 * 1024;
    static final int MAX_STATUS_CHARS = Short.MAX_VALUE;
    private static final int MAX_PONG_PACKET = 16;
    private static final int HANDSHAKE_ID = 0x00;
    private static final int STATUS_ID = 0x00;
    private static final int PING_ID = 0x01;
    private static final int NEXT_STATE_STATUS = 1;

    /**
     * @throws ProbeFailedException only when the address is invalid or does not resolve; a
     *                              closed or silent port is an ordinary result
     */
    public ServiceStatus ping(String address, int port, Duration timeout) throws ProbeFailedException {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        InetAddress ip = HostAddresses.resolve(address);
        InetSocketAddress target = new InetSocketAddress(ip, port);
        Deadline deadline = Deadline.after(timeout);

        Socket socket = connect(target, deadline);
        if (socket == null) {
            return ServiceStatus.unreachable();
        }
        try (socket) {
            return modern(socket, address, port, deadline);
        } catch (IOException protocolFailure) {
            // Pre-1.7 server, a proxy in a bad mood, or something else on the port: try legacy.
        }
        if (!deadline.passed()) {
            Socket legacySocket = connect(target, deadline);
            if (legacySocket != null) {
                try (legacySocket) {
                    return legacy(legacySocket, address, port, deadline);
                } catch (IOException legacyFailure) {
                    // Fall through: the port is open, whatever listens there is not talking.
                }
            }
        }
        return ServiceStatus.portOpenOnly();
    }

    /** @return null when the connection is refused or does not complete in time */
    private static Socket connect(InetSocketAddress target, Deadline deadline) {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(target, deadline.remainingTimeoutMillis());
            return socket;
        } catch (IOException e) {
            closeQuietly(socket);
            return null;
        }
    }

    private static ServiceStatus modern(Socket socket, String host, int port, Deadline deadline) throws IOException {
        InputStream in = new BufferedInputStream(new DeadlineInputStream(socket, deadline));
        OutputStream out = socket.getOutputStream();
        byte[] handshake = new PacketWriter()
                .writeVarInt(PROTOCOL_VERSION)
                .writeString(handshakeHost(host))
                .writeUnsignedShort(port)
                .writeVarInt(NEXT_STATE_STATUS)
                .toByteArray();
        long started = System.nanoTime();
        out.write(concat(SlpCodec.frame(HANDSHAKE_ID, handshake), SlpCodec.frame(STATUS_ID, new byte[0])));
        out.flush();

        SlpCodec.Packet response = SlpCodec.readPacket(in, MAX_STATUS_PACKET);
        if (response.id() != STATUS_ID) {
            throw new MalformedPacketException("expected a status response (0x00), got packet 0x"
                    + Integer.toHexString(response.id()));
        }
        String json = response.reader().readString(MAX_STATUS_CHARS);
        long untilStatus = millisSince(started);
        ServiceStatus status = StatusJson.parse(json, untilStatus);
        Long roundTrip = pingPong(in, out);
        return roundTrip == null ? status : withLatency(status, roundTrip);
    }

    /** @return the ping round trip in ms, or null when the server does not answer pings properly */
    private static Long pingPong(InputStream in, OutputStream out) {
        long payload = ThreadLocalRandom.current().nextLong();
        try {
            long started = System.nanoTime();
            out.write(SlpCodec.frame(PING_ID, new PacketWriter().writeLong(payload).toByteArray()));
            out.flush();
            SlpCodec.Packet pong = SlpCodec.readPacket(in, MAX_PONG_PACKET);
            if (pong.id() != PING_ID || pong.reader().readLong() != payload) {
                return null;
            }
            return millisSince(started);
        } catch (IOException e) {
            // The status already arrived; a server that drops the ping still answered us.
            return null;
        }
    }

    private static ServiceStatus legacy(Socket socket, String host, int port, Deadline deadline) throws IOException {
        InputStream in = new BufferedInputStream(new DeadlineInputStream(socket, deadline));
        OutputStream out = socket.getOutputStream();
        long started = System.nanoTime();
        out.write(LegacyPingCodec.request(handshakeHost(host), port));
        out.flush();
        LegacyResponse response = LegacyResponse.parse(LegacyPingCodec.readKick(in));
        return new ServiceStatus(true, response.version(), response.online(), response.max(), List.of(),
                ChatText.stripFormatting(response.motd()).trim(), millisSince(started), ServiceStatus.LEGACY);
    }

    // Vanilla sends the name as typed, minus a trailing dot and IPv6 brackets; 255 is the protocol cap.
    private static String handshakeHost(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        return name.length() > 255 ? name.substring(0, 255) : name;
    }

    private static ServiceStatus withLatency(ServiceStatus s, long latencyMs) {
        return new ServiceStatus(s.reachable(), s.version(), s.playersOnline(), s.playersMax(), s.players(),
                s.motd(), latencyMs, s.protocol());
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = new byte[a.length + b.length];
        System.arraycopy(a, 0, joined, 0, a.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to recover
        }
    }
}
