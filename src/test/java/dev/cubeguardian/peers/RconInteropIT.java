package dev.cubeguardian.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.demo.RecordingRconServer;
import dev.cubeguardian.rcon.RconClient;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The recording RCON server (tests and demo) against an independent client, minecraft-server-util's
 * RCON (src/test/node/rcon.js): logins taken and refused as vanilla does, every command recorded,
 * long answers in packets of 4096 chars, and the same answers as our own client reads, so our
 * server and our client are not only right about each other.
 */
@Timeout(120)
class RconInteropIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final String PASSWORD = "interop-Rcon-2b77";
    private static final String LIST = "There are 2 of a max of 20 players online: alice, bob";
    private static final String LONG = longList(800);
    private static final String ACCENTED = "é€ü".repeat(3000);
    private static final Map<String, String> ANSWERS = Map.of("list", LIST, "list uuids", LONG, "accents", ACCENTED,
            "say hello", "");

    private static String longList(int players) {
        StringBuilder answer = new StringBuilder("There are " + players + " of a max of 1000 players online: ");
        for (int i = 0; i < players; i++) {
            answer.append(i == 0 ? "" : ", ").append("player_").append(i);
        }
        return answer.toString();
    }

    private static RecordingRconServer server() throws Exception {
        return new RecordingRconServer(LOOPBACK, 0, PASSWORD, command -> ANSWERS.getOrDefault(command, "Unknown command"), false);
    }

    private static JsonNode independent(RecordingRconServer server, String password, String command) throws Exception {
        try (NodePeer peer = NodePeer.start("rcon.js", "--port", Integer.toString(server.port()), "--password", password,
                "--command", command)) {
            JsonNode last = peer.await(line -> line.path("event").asText().matches("response|error|timeout"), WAIT);
            int exit = peer.awaitExit(WAIT);
            assertEquals(last.path("event").asText().equals("response") ? 0 : 1, exit, peer.describe());
            return last;
        }
    }

    private static List<Integer> fragments(JsonNode response) {
        List<Integer> sizes = new ArrayList<>();
        response.path("fragments").forEach(size -> sizes.add(size.asInt()));
        return sizes;
    }

    @Test
    void anIndependentClientLogsInAndItsCommandIsAnsweredAndRecorded() throws Exception {
        try (RecordingRconServer server = server()) {
            JsonNode response = independent(server, PASSWORD, "list");
            assertEquals("response", response.path("event").asText(), response.toString());
            assertEquals(LIST, response.path("response").asText());
            assertEquals(List.of(LIST.length()), fragments(response));

            assertEquals("", independent(server, PASSWORD, "say hello").path("response").asText(), "an empty answer is one empty packet");
            assertEquals(List.of("list", "say hello"), server.commands());
        }
    }

    @Test
    void anIndependentClientWithTheWrongPasswordIsRefusedAndRunsNothing() throws Exception {
        try (RecordingRconServer server = server()) {
            JsonNode refused = independent(server, "not-" + PASSWORD, "stop");
            assertEquals("error", refused.path("event").asText(), refused.toString());
            assertEquals("Invalid RCON password", refused.path("message").asText());
            assertEquals(List.of(), server.commands());
        }
    }

    @Test
    void aLongAnswerReachesAnIndependentClientInPacketsOf4096Chars() throws Exception {
        try (RecordingRconServer server = server()) {
            JsonNode ascii = independent(server, PASSWORD, "list uuids");
            assertEquals(LONG, ascii.path("response").asText());
            assertEquals(List.of(4096, 4096, LONG.length() - 8192), fragments(ascii));

            // cut every 4096 chars, as vanilla does, never inside a character: each packet decodes alone
            JsonNode accented = independent(server, PASSWORD, "accents");
            assertEquals(ACCENTED, accented.path("response").asText());
            List<Integer> sizes = fragments(accented);
            assertEquals(3, sizes.size(), sizes.toString());
            assertEquals(ACCENTED.getBytes(StandardCharsets.UTF_8).length, sizes.stream().mapToInt(Integer::intValue).sum());
            assertEquals(ACCENTED.substring(0, 4096).getBytes(StandardCharsets.UTF_8).length, sizes.get(0));
            assertTrue(sizes.get(0) > 4096, "a packet of 4096 chars holds " + sizes.get(0) + " bytes");
        }
    }

    @Test
    void ourClientReadsWhatTheIndependentClientReads() throws Exception {
        try (RecordingRconServer server = server();
                RconClient ours = RconClient.connect(LOOPBACK.getHostAddress(), server.port(), PASSWORD, Duration.ofSeconds(5))) {
            for (String command : List.of("list", "list uuids", "accents", "say hello")) {
                assertEquals(independent(server, PASSWORD, command).path("response").asText(), ours.command(command), command);
            }
            assertEquals(List.of("list", "list", "list uuids", "list uuids", "accents", "accents", "say hello", "say hello"),
                    server.commands());
        }
    }
}
