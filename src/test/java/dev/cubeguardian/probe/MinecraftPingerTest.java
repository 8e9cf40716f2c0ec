package dev.cubeguardian.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.demo.MinecraftStatusResponder;
import dev.cubeguardian.demo.MinecraftStatusResponder.Mode;
import dev.cubeguardian.demo.MinecraftStatusResponder.Status;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

class MinecraftPingerTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Status STATUS =
            new Status("1.21.4", 769, 2, 20, List.of("alice", "bob"), "\u00a7aCube\u00a7rGuardian ");

    private final MinecraftPinger pinger = new MinecraftPinger();

    @Test
    void modernPingReadsEverything() throws Exception {
        try (MinecraftStatusResponder server = new MinecraftStatusResponder(LOOPBACK, 0, () -> STATUS).start()) {
            ServiceStatus status = pinger.ping("127.0.0.1", server.port(), TIMEOUT);
            assertEquals(true, status.reachable());
            assertEquals("1.21.4", status.version());
            assertEquals(2, status.playersOnline());
            assertEquals(20, status.playersMax());
            assertEquals(List.of("alice", "bob"), status.players());
            assertEquals("CubeGuardian", status.motd());
            assertEquals("slp", status.protocol());
            assertNotNull(status.latencyMs());
            assertTrue(status.latencyMs() >= 0 && status.latencyMs() < 2_000);
        }
    }

    @Test
    void playersChangeLiveBetweenPings() throws Exception {
        AtomicReference<Status> current = new AtomicReference<>(STATUS);
        try (MinecraftStatusResponder server = new MinecraftStatusResponder(LOOPBACK, 0, current::get).start()) {
            assertEquals(2, pinger.ping("127.0.0.1", server.port(), TIMEOUT).playersOnline());
            current.set(new Status("1.21.4", 769, 0, 20, List.of(), "empty now"));
            ServiceStatus status = pinger.ping("127.0.0.1", server.port(), TIMEOUT);
            assertEquals(0, status.playersOnline());
            assertEquals(List.of(), status.players());
            assertEquals("empty now", status.motd());
        }
    }

    @Test
    void worksOverIpv6Loopback() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        try (MinecraftStatusResponder server = new MinecraftStatusResponder(v6, 0, () -> STATUS).start()) {
            ServiceStatus status = pinger.ping("[::1]", server.port(), TIMEOUT);
            assertEquals("slp", status.protocol());
            assertEquals("1.21.4", status.version());
        }
    }

    @Test
    void legacyOnlyServerIsReadWithLegacyPing() throws Exception {
        try (MinecraftStatusResponder server =
                     new MinecraftStatusResponder(LOOPBACK, 0, () -> STATUS, Mode.LEGACY_ONLY).start()) {
            ServiceStatus status = pinger.ping("127.0.0.1", server.port(), TIMEOUT);
            assertEquals(new ServiceStatus(true, "1.21.4", 2, 20, List.of(), "CubeGuardian", status.latencyMs(), "legacy"),
                    status);
            assertNotNull(status.latencyMs());
        }
    }

    @Test
    void responderAnswersPre14LegacyPingInOldFormat() throws Exception {
        try (MinecraftStatusResponder server = new MinecraftStatusResponder(LOOPBACK, 0, () -> STATUS).start();
             Socket socket = new Socket(LOOPBACK, server.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(0xFE);   // beta-era request: nothing after 0xFE
            socket.getOutputStream().flush();
            String kick = LegacyPingCodec.readKick(socket.getInputStream());
            assertEquals("aCuberGuardian \u00a72\u00a720", kick);
            assertEquals(new LegacyResponse(null, null, "aCuberGuardian ", 2, 20), LegacyResponse.parse(kick));
        }
    }

    @Test
    void responderHangsUpOnLoginHandshake() throws Exception {
        try (MinecraftStatusResponder server = new MinecraftStatusResponder(LOOPBACK, 0, () -> STATUS).start();
             Socket socket = new Socket(LOOPBACK, server.port())) {
            socket.setSoTimeout(5_000);
            byte[] login = new PacketWriter().writeVarInt(769).writeString("x").writeUnsignedShort(1).writeVarInt(2)
                    .toByteArray();
            socket.getOutputStream().write(SlpCodec.frame(0, login));
            assertEquals(-1, socket.getInputStream().read());
        }
    }

    @Test
    void peerThatClosesAtOnceIsTcpOnly() throws Exception {
        try (RawPeer peer = new RawPeer(Socket::close)) {
            assertEquals(ServiceStatus.portOpenOnly(), pinger.ping("127.0.0.1", peer.port(), TIMEOUT));
            assertEquals(new ServiceStatus(true, null, null, null, List.of(), null, null, "tcp"),
                    ServiceStatus.portOpenOnly());
            // tried modern, then legacy
            await().atMost(Duration.ofSeconds(2)).until(() -> peer.connectionsAccepted() == 2);
        }
    }

    @Test
    void peerThatWritesGarbageIsTcpOnly() throws Exception {
        try (RawPeer peer = new RawPeer(socket -> {
            try (socket) {
                OutputStream out = socket.getOutputStream();
                out.write("SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        })) {
            assertEquals(ServiceStatus.portOpenOnly(), pinger.ping("127.0.0.1", peer.port(), TIMEOUT));
        }
    }

    @Test
    void hugeDeclaredPacketIsRejectedWithoutWaitingForIt() throws Exception {
        try (RawPeer peer = new RawPeer(socket -> {
            // declares a 2 MiB status packet, then keeps the connection open
            socket.getOutputStream().write(VarInts.encode(2 * 1024 * 1024));
            socket.getOutputStream().flush();
        })) {
            long started = System.nanoTime();
            ServiceStatus status = pinger.ping("127.0.0.1", peer.port(), Duration.ofSeconds(10));
            assertEquals(ServiceStatus.portOpenOnly(), status);
            assertTrue((System.nanoTime() - started) / 1_000_000 < 5_000, "should not wait for the deadline");
        }
    }

    @Test
    void statusWithBrokenJsonFallsBackToLegacy() throws Exception {
        try (RawPeer peer = new RawPeer(socket -> {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int first = in.read();
            OutputStream out = socket.getOutputStream();
            if (first == 0xFE) {
                // drain the whole request so that closing does not reset the connection
                in.readNBytes(LegacyPingCodec.request("127.0.0.1", socket.getLocalPort()).length - 1);
                LegacyPingCodec.writeKick(out, new LegacyResponse(78, "1.6.4", "old", 1, 5).toKickText());
            } else {
                out.write(SlpCodec.frame(0, new PacketWriter().writeString("{not json").toByteArray()));
            }
            out.flush();
            socket.close();
        })) {
            ServiceStatus status = pinger.ping("127.0.0.1", peer.port(), TIMEOUT);
            assertEquals("legacy", status.protocol());
            assertEquals("1.6.4", status.version());
            assertEquals(1, status.playersOnline());
            assertEquals(5, status.playersMax());
            assertEquals("old", status.motd());
        }
    }

    @Test
    void silentPeerReturnsWithinTimeout() throws Exception {
        try (RawPeer peer = new RawPeer(socket -> { /* accept, never answer */ })) {
            Duration timeout = Duration.ofSeconds(1);
            long started = System.nanoTime();
            ServiceStatus status = pinger.ping("127.0.0.1", peer.port(), timeout);
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            assertEquals(ServiceStatus.portOpenOnly(), status);
            assertTrue(elapsedMs >= 900, "gave up early after " + elapsedMs + " ms");
            assertTrue(elapsedMs < timeout.toMillis() + 2_000, "took " + elapsedMs + " ms");
        }
    }

    @Test
    void closedPortIsUnreachable() throws Exception {
        assertEquals(ServiceStatus.unreachable(), pinger.ping("127.0.0.1", RawPeer.closedPort(), TIMEOUT));
    }

    @Test
    void closedResponderStopsAnswering() throws Exception {
        MinecraftStatusResponder server = new MinecraftStatusResponder(LOOPBACK, 0, () -> STATUS).start();
        int port = server.port();
        server.close();
        assertEquals(ServiceStatus.unreachable(), pinger.ping("127.0.0.1", port, TIMEOUT));
    }

    @Test
    void unresolvableNameIsProbeFailure() {
        ProbeFailedException e = assertThrows(ProbeFailedException.class,
                () -> pinger.ping("no-such-host.invalid", 25565, TIMEOUT));
        assertTrue(e.getMessage().contains("no-such-host.invalid"), e.getMessage());
        assertThrows(ProbeFailedException.class, () -> pinger.ping("-c", 25565, TIMEOUT));
    }

    @Test
    void rejectsNonsenseArguments() {
        assertThrows(IllegalArgumentException.class, () -> pinger.ping("127.0.0.1", 0, TIMEOUT));
        assertThrows(IllegalArgumentException.class, () -> pinger.ping("127.0.0.1", 25565, Duration.ZERO));
    }
}
