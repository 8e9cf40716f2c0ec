package dev.cubeguardian.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.demo.MinecraftStatusResponder;
import dev.cubeguardian.demo.MinecraftStatusResponder.Status;
import dev.cubeguardian.probe.LegacyPingCodec;
import dev.cubeguardian.probe.LegacyResponse;
import dev.cubeguardian.probe.MinecraftPinger;
import dev.cubeguardian.probe.ServiceStatus;
import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our Server List Ping against an independent implementation, both ways: CubeGuardian's probe
 * pings a real minecraft-protocol server (src/test/node/server.js) with a mineflayer bot on it,
 * and minecraft-protocol's and minecraft-server-util's clients ping our demo responder. One run
 * per Minecraft version, from 1.8 to the newest version the installed minecraft-protocol knows.
 */
@ExtendWith(NamedFailures.class)
class ServerListPingInteropIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    private static final String LOOPBACK = "127.0.0.1";

    @TempDir
    static Path files;

    private final MinecraftPinger pinger = new MinecraftPinger();

    static Stream<String> versions() throws Exception {
        return Stream.of("1.8.8", "1.12.2", "1.16.5", "1.20.4", PeerVersions.get().newest());
    }

    @Test
    void theNewestVersionTestedIsTheNewestMinecraftProtocolKnowsAndAtLeast121() throws Exception {
        PeerVersions known = PeerVersions.get();
        List<String> supported = known.supported();
        assertEquals(supported.get(supported.size() - 1), known.newest());
        assertTrue(PeerVersions.compare(known.newest(), "1.21") >= 0,
                "minecraft-protocol " + known.packageVersion() + " knows Minecraft up to " + known.newest());
    }

    @ParameterizedTest(name = "Minecraft {0}")
    @MethodSource("versions")
    void ourProbeReadsARealServersVersionMotdPlayersAndLatency(String version) throws Exception {
        Path favicon = favicon();
        try (NodePeer server = NodePeer.start("server.js", "--port", "0", "--version", version,
                "--motd", "Real server \u00a7aopen", "--max-players", "7", "--favicon-file", favicon.toString())) {
            int port = server.awaitEvent("listening", WAIT).get("port").asInt();

            ServiceStatus empty = pinger.ping(LOOPBACK, port, PROBE_TIMEOUT);
            assertEquals(ServiceStatus.SLP, empty.protocol(), server.describe());
            assertEquals(version, empty.version());
            assertEquals("Real server open", empty.motd(), "formatting codes are stripped");
            assertEquals(0, empty.playersOnline());
            assertEquals(7, empty.playersMax());
            assertEquals(List.of(), empty.players(), "minecraft-protocol sends an empty sample");
            assertLatency(empty);
            try (NodePeer ping = NodePeer.start("ping.js", "--port", Integer.toString(port), "--version", version)) {
                JsonNode answer = ping.awaitEvent("status", WAIT);
                assertTrue(answer.get("favicon_present").asBoolean(), "server.js sends the icon it was given: " + answer);
            }

            try (NodePeer bot = NodePeer.start("bot.js", "--port", Integer.toString(port), "--version", version,
                    "--username", "bob", "--stay-ms", "30000")) {
                bot.awaitEvent("spawn", WAIT);
                ServiceStatus playing = pinger.ping(LOOPBACK, port, PROBE_TIMEOUT);
                assertEquals(1, playing.playersOnline(), "the spawned bot is online" + server.describe());
                assertEquals(7, playing.playersMax());
                assertLatency(playing);
            }
            server.await(line -> "leave".equals(line.path("event").asText()) && "bob".equals(line.path("username").asText()), WAIT);
            assertEquals(0, pinger.ping(LOOPBACK, port, PROBE_TIMEOUT).playersOnline(), "the bot has left");
        }
    }

    @ParameterizedTest(name = "Minecraft {0}")
    @MethodSource("versions")
    void ourLegacyPingReadsARealServer(String version) throws Exception {
        try (NodePeer server = NodePeer.start("server.js", "--port", "0", "--version", version,
                "--motd", "Real server", "--max-players", "7")) {
            int port = server.awaitEvent("listening", WAIT).get("port").asInt();
            // the request and parsing MinecraftPinger falls back to when the modern ping fails
            LegacyResponse response;
            try (Socket socket = new Socket(LOOPBACK, port)) {
                socket.setSoTimeout((int) PROBE_TIMEOUT.toMillis());
                OutputStream out = socket.getOutputStream();
                out.write(LegacyPingCodec.request(LOOPBACK, port));
                out.flush();
                response = LegacyResponse.parse(LegacyPingCodec.readKick(socket.getInputStream()));
            }
            assertEquals(version, response.version(), server.describe());
            assertEquals(PeerVersions.get().protocol(version), response.protocolNumber());
            assertEquals("Real server", response.motd());
            assertEquals(0, response.online());
            assertEquals(7, response.max());
        }
    }

    @ParameterizedTest(name = "Minecraft {0}")
    @MethodSource("versions")
    void aRealClientReadsOurRespondersStatus(String version) throws Exception {
        int protocol = PeerVersions.get().protocol(version);
        Status status = new Status(version, protocol, 3, 50, List.of("alice", "bob", "carol"), "CubeGuardian demo");
        try (MinecraftStatusResponder responder =
                     new MinecraftStatusResponder(InetAddress.getByName(LOOPBACK), 0, () -> status).start();
             NodePeer ping = NodePeer.start("ping.js", "--port", Integer.toString(responder.port()), "--version", version)) {
            JsonNode answer = ping.awaitEvent("status", WAIT);
            assertEquals(0, ping.awaitExit(WAIT), ping.describe());
            assertEquals(protocol, answer.get("protocol_sent").asInt(), "the client asked as " + version);
            JsonNode response = answer.get("response");
            assertEquals(version, response.at("/version/name").asText(), answer.toString());
            assertEquals(protocol, response.at("/version/protocol").asInt());
            assertEquals(3, response.at("/players/online").asInt());
            assertEquals(50, response.at("/players/max").asInt());
            List<String> sample = new ArrayList<>();
            response.at("/players/sample").forEach(player -> {
                sample.add(player.get("name").asText());
                assertTrue(player.get("id").asText().matches("[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"),
                        "a sample id is a dashed UUID: " + player);
            });
            assertEquals(List.of("alice", "bob", "carol"), sample);
            assertEquals("CubeGuardian demo", response.at("/description/text").asText());
            assertTrue(answer.get("latency_ms").isIntegralNumber(), "our responder answered the ping with its pong: " + answer);
        }
    }

    /** minecraft-server-util's legacy pings: fe01 as 1.4 to 1.6 clients send it, fe as beta 1.8 to 1.3 did. */
    @ParameterizedTest(name = "0x{0}")
    @ValueSource(strings = {"fe01", "fe"})
    void aRealLegacyClientReadsOurResponder(String kind) throws Exception {
        Status status = new Status("1.20.4", 765, 3, 50, List.of("alice"), "CubeGuardian demo");
        try (MinecraftStatusResponder responder =
                     new MinecraftStatusResponder(InetAddress.getByName(LOOPBACK), 0, () -> status).start();
             NodePeer ping = NodePeer.start("ping.js", "--port", Integer.toString(responder.port()), "--legacy", kind)) {
            JsonNode response = ping.awaitEvent("legacy_status", WAIT).get("response");
            assertEquals(0, ping.awaitExit(WAIT), ping.describe());
            assertEquals(3, response.at("/players/online").asInt(), response.toString());
            assertEquals(50, response.at("/players/max").asInt());
            if (kind.equals("fe01")) {
                assertEquals("1.20.4", response.at("/version/name").asText());
                assertEquals(765, response.at("/version/protocol").asInt());
                assertEquals("CubeGuardian demo", response.at("/motd/clean").asText());
            } else {
                // the pre-1.4 answer carries neither version nor protocol
                assertEquals("CubeGuardian demo", response.get("motd").asText());
            }
        }
    }

    private static void assertLatency(ServiceStatus status) {
        assertNotNull(status.latencyMs(), "latency");
        assertTrue(status.latencyMs() >= 0 && status.latencyMs() < PROBE_TIMEOUT.toMillis(), "latency " + status.latencyMs());
    }

    /** A 64x64 PNG as vanilla wants server-icon.png, of noise so it stays big: 14 KB, 19 KB of base64 in the status JSON. */
    private static Path favicon() throws Exception {
        Path file = files.resolve("server-icon.png");
        if (!Files.exists(file)) {
            BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
            Random noise = new Random(64);
            for (int x = 0; x < 64; x++) {
                for (int y = 0; y < 64; y++) {
                    image.setRGB(x, y, 0xFF000000 | noise.nextInt(0x1000000));
                }
            }
            ImageIO.write(image, "png", file.toFile());
        }
        return file;
    }
}
