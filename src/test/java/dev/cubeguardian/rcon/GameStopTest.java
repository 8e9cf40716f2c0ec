package dev.cubeguardian.rcon;

import static dev.cubeguardian.rcon.RconHostFixture.HOST;
import static dev.cubeguardian.rcon.RconHostFixture.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.demo.RecordingRconServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The game stop before a host goes down, against the recording RCON server and a plain listening
 * socket as the game port (open while the game runs): what it sends, what it reports, how long
 * it waits.
 */
@Timeout(30)
class GameStopTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
    private ServerSocket game;

    @AfterEach
    void closeAll() throws Exception {
        later.shutdownNow();
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private ServerSocket gameRunning() throws IOException {
        game = keep(new ServerSocket(0, 50, LOOPBACK));
        return game;
    }

    private void gameStopsIn(long ms) {
        later.schedule(() -> {
            try {
                game.close();
            } catch (IOException ignored) {
                // closed
            }
        }, ms, TimeUnit.MILLISECONDS);
    }

    private RecordingRconServer rcon(UnaryOperator<String> answers) throws IOException {
        return keep(new RecordingRconServer(LOOPBACK, 0, PASSWORD, answers, false));
    }

    private record Run(boolean stopped, long ms) {
    }

    private Run stop(int rconPort, String password, String rconKeys) throws IOException {
        Inventory inventory = RconHostFixture.inventory(dir, game.getLocalPort(), rconPort, password, rconKeys);
        RconConsole console = keep(new RconConsole(inventory));
        long started = System.nanoTime();
        boolean stopped = new GameStop(console).stop(HOST, inventory.host(HOST).orElseThrow().minecraft().orElseThrow(), events::add);
        return new Run(stopped, (System.nanoTime() - started) / 1_000_000);
    }

    private List<String> phases() {
        return events.stream().map(e -> e.get("phase") + (e.containsKey("reason") ? ":" + e.get("reason") : "")).toList();
    }

    @Test
    void theWorldIsSavedTheGameStoppedAndItsPortClosedBeforeItCountsAsStopped() throws Exception {
        gameRunning();
        RecordingRconServer rcon = rcon(command -> {
            if (command.equals("stop")) {
                gameStopsIn(1_200);   // vanilla: the port closes a moment after "Stopping the server"
                return "Stopping the server";
            }
            return command.startsWith("save-all") ? "Saving the game (this may take a moment!)Saved the game" : "";
        });

        Run run = stop(rcon.port(), PASSWORD, "stop-timeout: 10s");

        assertTrue(run.stopped());
        assertEquals(List.of("save-all flush", "stop"), rcon.commands());
        assertEquals(List.of("game_saved", "game_stopped"), phases());
        assertTrue(run.ms() >= 1_200 && run.ms() < 4_000, "stopped after " + run.ms() + " ms: it waited for the port");
    }

    @Test
    void aGameWhosePortNeverClosesFailsAfterTheStopTimeout() throws Exception {
        gameRunning();
        RecordingRconServer rcon = rcon(command -> command.equals("stop") ? "Stopping the server" : "");

        Run run = stop(rcon.port(), PASSWORD, "stop-timeout: 3s");

        assertFalse(run.stopped());
        assertEquals(List.of("save-all flush", "stop"), rcon.commands());
        assertEquals(List.of("game_saved", "game_stop_failed:stop_timeout"), phases());
        assertTrue(run.ms() >= 3_000 && run.ms() < 5_000, "gave up after " + run.ms() + " ms");
    }

    @Test
    void aWrongPasswordSendsNothingAndSaysRconAuthFailed() throws Exception {
        gameRunning();
        RecordingRconServer rcon = rcon(command -> "");

        Run run = stop(rcon.port(), "not-the-" + PASSWORD, "stop-timeout: 10s");

        assertFalse(run.stopped());
        assertEquals(List.of(), rcon.commands());
        assertEquals(List.of("game_stop_failed:rcon_auth_failed"), phases());
        assertTrue(run.ms() < 2_000, run.ms() + " ms");
    }

    @Test
    void aClosedRconPortWhileTheGameRunsSaysRconUnreachableAtOnce() throws Exception {
        gameRunning();
        int closed;
        try (ServerSocket gone = new ServerSocket(0, 1, LOOPBACK)) {
            closed = gone.getLocalPort();
        }

        Run run = stop(closed, PASSWORD, "stop-timeout: 10s");

        assertFalse(run.stopped());
        assertEquals(List.of("game_stop_failed:rcon_unreachable"), phases());
        assertTrue(run.ms() < 2_000, run.ms() + " ms");
    }

    @Test
    void aSilentRconSaysRconUnreachableAfterItsTimeout() throws Exception {
        gameRunning();
        RecordingRconServer silent = keep(new RecordingRconServer(LOOPBACK, 0, PASSWORD, command -> "", true));

        Run run = stop(silent.port(), PASSWORD, "timeout: 1s, stop-timeout: 10s");

        assertFalse(run.stopped());
        assertEquals(List.of("game_stop_failed:rcon_unreachable"), phases());
        assertTrue(run.ms() >= 1_000 && run.ms() < 2_500, "gave up after " + run.ms() + " ms");
    }

    @Test
    void aServerThatGoesDownOnStopBeforeAnsweringHasStopped() throws Exception {
        gameRunning();
        RecordingRconServer[] rcon = new RecordingRconServer[1];
        rcon[0] = rcon(command -> {
            if (command.equals("stop")) {
                gameStopsIn(0);
                rcon[0].close();   // console and game gone at once, the answer never sent
            }
            return "";
        });

        Run run = stop(rcon[0].port(), PASSWORD, "stop-timeout: 10s");

        assertTrue(run.stopped(), phases().toString());
        assertEquals(List.of("save-all flush", "stop"), rcon[0].commands());
        assertEquals(List.of("game_saved", "game_stopped"), phases());
    }

    /** Vanilla drops the console on stop at once and closes the game port only once the worlds are saved. */
    @Test
    void aConsoleThatDropsOnStopWhileTheGameSavesStillEndsStoppedWhenThePortCloses() throws Exception {
        gameRunning();
        RecordingRconServer[] rcon = new RecordingRconServer[1];
        rcon[0] = rcon(command -> {
            if (command.equals("stop")) {
                gameStopsIn(1_500);
                rcon[0].close();
            }
            return "";
        });

        Run run = stop(rcon[0].port(), PASSWORD, "stop-timeout: 10s");

        assertTrue(run.stopped(), phases().toString());
        assertEquals(List.of("game_saved", "game_stopped"), phases());
        assertTrue(run.ms() >= 1_400, "waited for the port: " + run.ms() + " ms");
    }

    @Test
    void aConsoleThatDropsOnStopWithTheGameStillUpAtTheStopTimeoutSaysRconUnreachable() throws Exception {
        gameRunning();
        RecordingRconServer[] rcon = new RecordingRconServer[1];
        rcon[0] = rcon(command -> {
            if (command.equals("stop")) {
                rcon[0].close();   // the console gone, the game never stops
            }
            return "";
        });

        Run run = stop(rcon[0].port(), PASSWORD, "stop-timeout: 2s");

        assertFalse(run.stopped());
        assertEquals(List.of("game_saved", "game_stop_failed:rcon_unreachable"), phases());
    }
}
