package dev.cubeguardian.rcon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.demo.RecordingRconServer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our RCON client against the recording RCON server, which reads and answers as vanilla does
 * (one packet per read, answers cut every 4096 chars), and against two hand-made servers for
 * the edges vanilla does not show (a hang-up right after the answer, an ignored end marker).
 */
@Timeout(30)
class RconClientTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final String PASSWORD = "rcon-Pass-7f3a";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final String EMPTY_LIST = "There are 0 of a max of 20 players online: ";

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private RecordingRconServer server(UnaryOperator<String> answers) throws IOException {
        return keep(new RecordingRconServer(LOOPBACK, 0, PASSWORD, answers, false));
    }

    private RconClient connect(RecordingRconServer server, String password, Duration timeout) throws IOException {
        return keep(RconClient.connect(LOOPBACK.getHostAddress(), server.port(), password, timeout));
    }

    @Test
    void theRightPasswordLogsInAndACommandGetsItsAnswer() throws Exception {
        RecordingRconServer server = server(command -> command.equals("list") ? EMPTY_LIST : "?");
        RconClient client = connect(server, PASSWORD, TIMEOUT);

        assertEquals(EMPTY_LIST, client.command("list"));
        assertEquals(List.of("list"), server.commands());
    }

    @Test
    void aWrongPasswordIsRefusedAsAuthFailedAndRunsNothing() throws Exception {
        RecordingRconServer server = server(command -> "ran");

        RconClient.AuthFailedException refused = assertThrows(RconClient.AuthFailedException.class,
                () -> connect(server, "not-" + PASSWORD, TIMEOUT));
        assertFalse(refused.getMessage().contains(PASSWORD), refused.getMessage());
        // vanilla never takes an empty password, whatever rcon.password says
        assertThrows(RconClient.AuthFailedException.class, () -> connect(keep(new RecordingRconServer(LOOPBACK, 0, "",
                command -> "ran", false)), "", TIMEOUT));
        assertEquals(List.of(), server.commands());
    }

    @Test
    void everyCommandOnAKeptConnectionRunsOnAServerThatReadsOnePacketAtATime() throws Exception {
        // vanilla hangs up, without running the command, when one read holds the command and the
        // end marker: written back to back they often do (this failed ~85% of the time on loopback)
        RecordingRconServer server = server(command -> "echo " + command);
        RconClient client = connect(server, PASSWORD, TIMEOUT);
        for (int i = 0; i < 300; i++) {
            assertEquals("echo say " + i, client.command("say " + i), "command " + i);
        }
        assertEquals(300, server.commands().size());
        assertEquals(1, server.connectionsAccepted(), "one kept connection, never dropped");
    }

    @Test
    void anAnswerOver4096BytesComesWholeThoughSentInSeveralPackets() throws Exception {
        StringBuilder players = new StringBuilder("There are 900 of a max of 1000 players online: ");
        for (int i = 0; i < 900; i++) {
            players.append(i == 0 ? "" : ", ").append("player_").append(i);
        }
        // vanilla cuts every 4096 chars: with accents and signs a packet holds far more than 4096 bytes
        String accented = "é€ü".repeat(3000);
        String exact = "x".repeat(8192);
        RecordingRconServer server = server(command -> switch (command) {
            case "list" -> players.toString();
            case "accents" -> accented;
            case "exact" -> exact;
            default -> "short";
        });
        RconClient client = connect(server, PASSWORD, TIMEOUT);

        assertTrue(players.length() > 2 * 4096, "several packets: " + players.length());
        assertEquals(players.toString(), client.command("list"));
        assertEquals(accented, client.command("accents"));
        assertEquals(exact, client.command("exact"), "two full packets and nothing after them");
        assertEquals("short", client.command("next"), "nothing of the long answers is left over for the next command");
        assertEquals(1, server.connectionsAccepted());
    }

    @Test
    void aServerThatNeverAnswersTimesOutWithinTheTimeout() throws Exception {
        RecordingRconServer silent = keep(new RecordingRconServer(LOOPBACK, 0, PASSWORD, command -> "", true));
        Duration timeout = Duration.ofMillis(700);

        long started = System.nanoTime();
        assertThrows(SocketTimeoutException.class, () -> connect(silent, PASSWORD, timeout));
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertTrue(ms >= 650 && ms < 1_700, "login gave up after " + ms + " ms");
    }

    @Test
    void aCommandTheServerNeverAnswersTimesOutWithinTheTimeout() throws Exception {
        RecordingRconServer stuck = server(command -> {
            if (command.equals("save-all flush")) {
                sleep(4_000);   // a huge world, or a hung server thread
            }
            return "";
        });
        RconClient client = connect(stuck, PASSWORD, Duration.ofMillis(800));

        long started = System.nanoTime();
        assertThrows(SocketTimeoutException.class, () -> client.command("save-all flush"));
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertTrue(ms >= 750 && ms < 1_800, "the command gave up after " + ms + " ms");
    }

    @Test
    void aClosedPortFailsAtOnce() throws Exception {
        int port;
        try (ServerSocket gone = new ServerSocket(0, 1, LOOPBACK)) {
            port = gone.getLocalPort();
        }
        long started = System.nanoTime();
        IOException refused = assertThrows(IOException.class,
                () -> RconClient.connect(LOOPBACK.getHostAddress(), port, PASSWORD, Duration.ofSeconds(5)));
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertFalse(refused instanceof RconClient.AuthFailedException);
        assertTrue(ms < 1_000, "refused after " + ms + " ms");
    }

    @Test
    void aCommandOver1446BytesIsRefusedBeforeItIsSent() throws Exception {
        RecordingRconServer server = server(command -> "ok");
        RconClient client = connect(server, PASSWORD, TIMEOUT);
        String longest = "say " + "x".repeat(RconClient.MAX_COMMAND_BYTES - 4);

        assertEquals("ok", client.command(longest), "1446 bytes is the most vanilla reads");
        assertThrows(IllegalArgumentException.class, () -> client.command(longest + "x"));
        // bytes, not chars: 724 accented letters are 1448 bytes
        assertThrows(IllegalArgumentException.class, () -> client.command("é".repeat(724)));
        assertEquals(List.of(longest), server.commands());
        assertEquals("ok", client.command("list"), "the refused commands did not spoil the connection");
    }

    @Test
    void anAnswerOverTheBoundIsRefusedInsteadOfHeldInMemory() throws Exception {
        String huge = "y".repeat(RconClient.MAX_RESPONSE_BYTES + 1);
        RecordingRconServer server = server(command -> command.equals("huge") ? huge : "ok");
        RconClient client = connect(server, PASSWORD, Duration.ofSeconds(5));

        IOException tooLong = assertThrows(IOException.class, () -> client.command("huge"));
        assertTrue(tooLong.getMessage().contains("over " + RconClient.MAX_RESPONSE_BYTES), tooLong.getMessage());
    }

    @Test
    void aServerThatHangsUpRightAfterAnsweringStillGivesItsAnswer() throws Exception {
        // as a server may after "stop": the answer, then the connection closes with the server
        try (HandMadeServer server = new HandMadeServer("Stopping the server", true)) {
            RconClient client = keep(RconClient.connect(LOOPBACK.getHostAddress(), server.port(), PASSWORD, TIMEOUT));
            assertEquals("Stopping the server", client.command("stop"));
        }
    }

    @Test
    void aServerThatIgnoresTheEndMarkerStillGivesAShortAnswerSoon() throws Exception {
        try (HandMadeServer server = new HandMadeServer("There are 1 of a max of 20 players online: alice", false)) {
            RconClient client = keep(RconClient.connect(LOOPBACK.getHostAddress(), server.port(), PASSWORD, Duration.ofSeconds(5)));
            long started = System.nanoTime();
            assertEquals("There are 1 of a max of 20 players online: alice", client.command("list"));
            long ms = (System.nanoTime() - started) / 1_000_000;
            assertTrue(ms < 1_500, "answered after " + ms + " ms, not after the 5 s timeout");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Logs anyone in, answers the first command with {@code answer}, then hangs up or falls silent. */
    private static final class HandMadeServer implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 1, LOOPBACK);
        private final Thread thread;

        HandMadeServer(String answer, boolean hangUp) throws IOException {
            thread = new Thread(() -> {
                try (Socket socket = listener.accept()) {
                    DataInputStream in = new DataInputStream(socket.getInputStream());
                    OutputStream out = socket.getOutputStream();
                    int[] login = readPacket(in);
                    writePacket(out, login[0], 2, "");
                    int[] command = readPacket(in);
                    writePacket(out, command[0], 0, answer);
                    if (!hangUp) {
                        while (true) {
                            readPacket(in);   // the end marker, and anything else: never answered
                        }
                    }
                } catch (IOException done) {
                    // the client hung up or the test ended
                }
            }, "hand-made-rcon");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        private static int[] readPacket(DataInputStream in) throws IOException {
            int length = Integer.reverseBytes(in.readInt());
            byte[] rest = new byte[length];
            in.readFully(rest);
            ByteBuffer fields = ByteBuffer.wrap(rest).order(ByteOrder.LITTLE_ENDIAN);
            return new int[] {fields.getInt(), fields.getInt()};
        }

        private static void writePacket(OutputStream out, int id, int type, String body) throws IOException {
            byte[] text = body.getBytes(StandardCharsets.UTF_8);
            ByteBuffer packet = ByteBuffer.allocate(14 + text.length).order(ByteOrder.LITTLE_ENDIAN);
            packet.putInt(10 + text.length).putInt(id).putInt(type).put(text).put((byte) 0).put((byte) 0);
            out.write(packet.array());
            out.flush();
        }

        @Override
        public void close() throws Exception {
            listener.close();
            thread.interrupt();
        }
    }
}
