package dev.cubeguardian.rcon;

import static dev.cubeguardian.rcon.RconHostFixture.HOST;
import static dev.cubeguardian.rcon.RconHostFixture.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.demo.RecordingRconServer;
import dev.cubeguardian.probe.ServiceStatus;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One kept RCON connection per host: made once, made again after the server restarts, and what it adds to a probe. */
@Timeout(30)
class RconConsoleTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final String LIST = "There are 3 of a max of 20 players online: alice, bob, carol";

    @TempDir
    Path dir;

    @Test
    void oneConnectionServesEveryCommandAndAServerRestartIsCrossedUnseen() throws Exception {
        RecordingRconServer first = new RecordingRconServer(LOOPBACK, 0, PASSWORD, command -> "one:" + command, false);
        int port = first.port();
        try (RconConsole console = new RconConsole(RconHostFixture.inventory(dir, 25565, port, PASSWORD, ""))) {
            for (int i = 0; i < 5; i++) {
                assertEquals("one:list", console.run(HOST, "list"));
            }
            assertEquals(1, first.connectionsAccepted(), "a vanilla server logs every new RCON connection: one is kept");
            first.close();
            try (RecordingRconServer second = new RecordingRconServer(LOOPBACK, port, PASSWORD, command -> "two:" + command, false)) {
                assertEquals("two:say hi", console.run(HOST, "say hi"), "the dead connection is replaced on the spot");
                assertEquals(List.of("say hi"), second.commands());
            }
        }
    }

    @Test
    void aRefusedPasswordIsAuthFailedAndNamesTheFileNotThePassword() throws Exception {
        try (RecordingRconServer server = new RecordingRconServer(LOOPBACK, 0, "other-" + PASSWORD, command -> "", false);
                RconConsole console = new RconConsole(RconHostFixture.inventory(dir, 25565, server.port(), PASSWORD, ""))) {
            RconFailure failure = assertThrows(RconFailure.class, () -> console.run(HOST, "list"));
            assertEquals(RconHealth.AUTH_FAILED, failure.health());
            assertTrue(failure.getMessage().contains("rcon_password"), failure.getMessage());
            assertFalse(failure.getMessage().contains(PASSWORD), failure.getMessage());
            assertEquals(new RconConsole.Reading(RconHealth.AUTH_FAILED, null), console.read(HOST));
        }
    }

    @Test
    void aPasswordFileGoneAfterTheStartIsUnreachableNamingTheFile() throws Exception {
        try (RecordingRconServer server = new RecordingRconServer(LOOPBACK, 0, PASSWORD, command -> "", false);
                RconConsole console = new RconConsole(RconHostFixture.inventory(dir, 25565, server.port(), PASSWORD, ""))) {
            java.nio.file.Files.delete(dir.resolve("rcon_password"));
            RconFailure failure = assertThrows(RconFailure.class, () -> console.run(HOST, "list"));
            assertEquals(RconHealth.UNREACHABLE, failure.health());
            assertTrue(failure.getMessage().contains(dir.resolve("rcon_password").toString()), failure.getMessage());
            assertEquals(0, server.connectionsAccepted(), "no login is tried without the password");
        }
    }

    @Test
    void aProbeGetsTheRconHealthAndEveryPlayer() throws Exception {
        try (RecordingRconServer server = new RecordingRconServer(LOOPBACK, 0, PASSWORD,
                command -> command.equals("list") ? LIST : "", false);
                RconConsole console = new RconConsole(RconHostFixture.inventory(dir, 25565, server.port(), PASSWORD, ""))) {
            ServiceStatus pinged = new ServiceStatus(true, "1.21.4", 3, 20, List.of("alice"), "hi", 3L, ServiceStatus.SLP);
            ServiceStatus withRcon = console.addTo(HOST, pinged);
            assertEquals("ok", withRcon.rcon());
            assertEquals(List.of("alice", "bob", "carol"), withRcon.players());
            assertEquals(3, withRcon.playersOnline());

            ServiceStatus down = console.addTo(HOST, ServiceStatus.unreachable());
            assertEquals("unreachable", down.rcon());
            assertEquals(List.of("list"), server.commands(), "a game that does not answer its ping is not asked over RCON");
            assertNull(console.addTo("elsewhere", null));
            assertNull(console.addTo(HOST, null));
        }
    }
}
