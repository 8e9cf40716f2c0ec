package dev.cubeguardian.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cubeguardian.config.GatewaySettings.WakeOn;
import dev.cubeguardian.probe.ServiceStatus;
import dev.cubeguardian.state.HostState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One gateway on real sockets, the rest of the worker replaced by a recording link: the
 * conversations a player has with it in every state, including the ones a whole worker rarely
 * shows (not probed yet, stopping, online on paper with the server gone).
 */
class GatewayConversationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ServiceStatus SEEN = new ServiceStatus(true, "Paper 1.21.4", 1, 30, List.of("alice"), "hi", 2L,
            ServiceStatus.SLP);

    private GatewayFixture gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return probe.getLocalPort();
        }
    }

    private GatewayFixture start(WakeOn wakeOn, List<String> allow, int serverPort) {
        gateway = new GatewayFixture(wakeOn, allow, serverPort, false);
        return gateway;
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    @Test
    void aServerListPingWhileAsleepIsAnsweredAndPonged() throws Exception {
        start(WakeOn.LOGIN, List.of(), closedPort()).show(HostState.OFF, SEEN);

        JsonNode status = json(MinecraftClient.status(gateway.port(), 765));

        assertEquals("Sleeping - join to wake it up", status.at("/description/text").asText());
        assertEquals(765, status.at("/version/protocol").asInt());
        assertEquals("Paper 1.21.4", status.at("/version/name").asText());
        assertEquals(30, status.at("/players/max").asInt());
        assertEquals(List.of(), gateway.link.commands, "wake-on login: a server list wakes nothing");
    }

    /**
     * Right after the worker starts the state is unknown: the gateway tries the real server
     * first. When nobody takes the connection it answers itself, and the client's ping, which
     * only comes after the status, must still be read and ponged.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "UNKNOWN  | Sleeping - join to wake it up",
        "ONLINE   | Sleeping - join to wake it up",
        "STOPPING | Shutting down"})
    void aServerListPingIsStillPongedWhenTheServerItWasSentToIsNotThere(HostState state, String motd) throws Exception {
        start(WakeOn.LOGIN, List.of(), closedPort()).show(state, SEEN);

        JsonNode status = json(MinecraftClient.status(gateway.port(), 769));

        assertEquals(motd, status.at("/description/text").asText());
    }

    @Test
    void aLoginWhileAsleepSendsOneWakeForItsHostAndTellsThePlayerWhenToComeBack() throws Exception {
        start(WakeOn.LOGIN, List.of(), closedPort()).show(HostState.OFF);

        String reason = MinecraftClient.login(gateway.port(), 769, "alice");

        assertEquals("{\"text\":\"Lobby is starting up. Join again in about 2 minutes.\"}", reason);
        await().atMost(WAIT).until(() -> gateway.link.commands.size() == 1 && gateway.link.events.size() == 1);
        GatewayFixture.Command wake = gateway.link.commands.get(0);
        assertEquals("lobby", wake.host());
        assertEquals("wake", wake.action());
        assertEquals(2, wake.payload().size(), wake.payload().toString());
        assertTrue(wake.payload().get("id").toString().matches("gw-[a-z0-9_-]+-[0-9]{12}"), wake.payload().toString());
        assertEquals("gateway:alice", wake.payload().get("requested_by"));
        assertEquals(Map.of("type", "gateway_login", "player", "alice", "outcome", "wake_requested"), gateway.link.events.get(0));
    }

    @Test
    void aLoginWithA254ByteHandshakeIsALoginNotALegacyPing() throws Exception {
        start(WakeOn.LOGIN, List.of(), closedPort()).show(HostState.OFF);
        byte[] handshake = Wire.handshake(769, "a".repeat(246), 25565, Wire.LOGIN);
        assertEquals(0xFE, handshake[0] & 0xFF);

        try (MinecraftClient client = MinecraftClient.connect(gateway.port())) {
            client.send(handshake, Wire.loginStart("alice", UUID.randomUUID()));
            MinecraftClient.Packet disconnect = client.readPacket(1 << 16);
            assertEquals(0x00, disconnect.id());
            assertTrue(disconnect.string().contains("is starting up"), disconnect.string());
        }
        await().atMost(WAIT).until(() -> gateway.link.commands.size() == 1);
    }

    @Test
    void aLongHandshakeWhoseFirstByteArrivesAloneIsStillALogin() throws Exception {
        // 0xFE alone could be a 1.3 client's ping: the gateway waits a moment, and what follows decides
        start(WakeOn.LOGIN, List.of(), closedPort()).show(HostState.OFF);
        byte[] login = Wire.concat(Wire.handshake(769, "b".repeat(246), 25565, Wire.LOGIN), Wire.loginStart("bob"));

        try (MinecraftClient client = MinecraftClient.connect(gateway.port())) {
            client.send(java.util.Arrays.copyOf(login, 1));
            Thread.sleep(50);
            client.send(java.util.Arrays.copyOfRange(login, 1, login.length));
            MinecraftClient.Packet disconnect = client.readPacket(1 << 16);
            assertTrue(disconnect.string().contains("is starting up"), disconnect.string());
        }
    }

    @Test
    void theLegacyPingsOfOldClientsAreAnsweredInTheirFormat() throws Exception {
        start(WakeOn.LOGIN, List.of(), closedPort()).show(HostState.OFF, SEEN);

        try (MinecraftClient client = MinecraftClient.connect(gateway.port())) {
            assertEquals("Sleeping - join to wake it up§0§30", client.legacyAnswer(Wire.bytes(0xFE)), "1.3 and older");
        }
        try (MinecraftClient client = MinecraftClient.connect(gateway.port())) {
            assertEquals("§1\u0000127\u0000Paper 1.21.4\u0000Sleeping - join to wake it up\u00000\u000030",
                    client.legacyAnswer(Wire.bytes(0xFE, 0x01)), "1.4 and 1.5");
        }
        try (MinecraftClient client = MinecraftClient.connect(gateway.port())) {
            assertEquals("§1\u0000127\u0000Paper 1.21.4\u0000Sleeping - join to wake it up\u00000\u000030",
                    client.legacyAnswer(Wire.legacyPing16("mc.example.org", 25565)), "1.6");
        }
    }

    @Test
    void wakeOnStatusWakesFromTheServerListOnceForAHostAnyoneMayWake() throws Exception {
        start(WakeOn.STATUS, List.of(), closedPort()).show(HostState.OFF);

        MinecraftClient.status(gateway.port(), 769);
        MinecraftClient.status(gateway.port(), 769);

        await().atMost(WAIT).until(() -> gateway.link.commands.size() == 1);
        assertEquals("gateway:server-list", gateway.link.commands.get(0).payload().get("requested_by"));
        Thread.sleep(300); // the second ping's wake, if one were sent, would be on the publishing thread by now
        assertEquals(1, gateway.link.commands.size(), "the second ping is within the cooldown");
    }

    @Test
    void wakeOnStatusDoesNotWakeFromTheServerListWhenOnlySomePlayersMay() throws Exception {
        // a server list does not say who looks at it
        start(WakeOn.STATUS, List.of("alice"), closedPort()).show(HostState.OFF);

        MinecraftClient.status(gateway.port(), 769);
        MinecraftClient.login(gateway.port(), 769, "alice");

        await().atMost(WAIT).until(() -> gateway.link.commands.size() == 1);
        assertEquals("gateway:alice", gateway.link.commands.get(0).payload().get("requested_by"));
    }

    @Test
    void aProxiedLoginCountsAsAPlayerUntilItsConnectionCloses() throws Exception {
        try (EchoServer server = new EchoServer()) {
            start(WakeOn.LOGIN, List.of(), server.port()).show(HostState.ONLINE);
            byte[] login = Wire.concat(Wire.handshake(769, "mc.example.org", 25565, Wire.LOGIN), Wire.loginStart("alice"));

            try (MinecraftClient client = MinecraftClient.connect(gateway.port())) {
                client.send(login);
                assertEquals(new String(login, java.nio.charset.StandardCharsets.ISO_8859_1),
                        new String(client.input().readNBytes(login.length), java.nio.charset.StandardCharsets.ISO_8859_1),
                        "the bytes the gateway read are replayed to the server first");
                await().atMost(WAIT).until(() -> gateway.link.playerCounts.equals(List.of(1)));
            }

            await().atMost(WAIT).until(() -> gateway.link.playerCounts.equals(List.of(1, 0)));
            assertEquals(Map.of("type", "gateway_login", "player", "alice", "outcome", "proxied"), gateway.link.events.get(0));
            assertEquals(List.of(), gateway.link.commands);
        }
    }

    @Test
    void aProxiedServerListPingIsNoPlayer() throws Exception {
        try (EchoServer server = new EchoServer()) {
            start(WakeOn.LOGIN, List.of(), server.port()).show(HostState.ONLINE);
            byte[] status = Wire.concat(Wire.handshake(769, "mc.example.org", 25565, Wire.STATUS), Wire.statusRequest());

            try (MinecraftClient client = MinecraftClient.connect(gateway.port())) {
                client.send(status);
                client.input().readNBytes(status.length);
            }
            server.await(EchoServer.startsWith(status), WAIT);

            Thread.sleep(200);
            assertEquals(List.of(), gateway.link.playerCounts);
            assertEquals(List.of(), gateway.link.events);
        }
    }

    @Test
    void anIpv6PlayerIsNamedInATcp6ProxyHeader() throws Exception {
        try (EchoServer server = new EchoServer()) {
            gateway = new GatewayFixture("::1", WakeOn.LOGIN, List.of(), server.port(), true);
            gateway.show(HostState.ONLINE);
            byte[] status = Wire.concat(Wire.handshake(769, "mc.example.org", 25565, Wire.STATUS), Wire.statusRequest());
            InetAddress v6 = InetAddress.getByName("::1");

            try (java.net.Socket player = new java.net.Socket()) {
                player.bind(new InetSocketAddress(v6, 0));
                player.connect(new InetSocketAddress(v6, gateway.port()), 5_000);
                player.getOutputStream().write(status);
                EchoServer.Connection seen = server.await(bytes -> bytes.length >= 52 + status.length, WAIT);
                byte[] got = seen.received();

                assertEquals(0x21, got[12] & 0xFF, "version 2, PROXY");
                assertEquals(0x21, got[13] & 0xFF, "TCP over IPv6");
                assertEquals(36, (got[14] & 0xFF) << 8 | got[15] & 0xFF);
                assertEquals(v6, InetAddress.getByAddress(java.util.Arrays.copyOfRange(got, 16, 32)));
                assertEquals(v6, InetAddress.getByAddress(java.util.Arrays.copyOfRange(got, 32, 48)));
                assertEquals(player.getLocalPort(), (got[48] & 0xFF) << 8 | got[49] & 0xFF);
                assertEquals(gateway.port(), (got[50] & 0xFF) << 8 | got[51] & 0xFF);
                assertTrue(java.util.Arrays.equals(status, java.util.Arrays.copyOfRange(got, 52, got.length)));
            }
        }
    }
}
