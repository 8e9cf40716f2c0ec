package dev.cubeguardian.rcon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.demo.MinecraftStatusResponder;
import dev.cubeguardian.demo.RecordingRconServer;
import dev.cubeguardian.it.LogLines;
import dev.cubeguardian.it.MosquittoBroker;
import dev.cubeguardian.it.MqttProbeClient;
import dev.cubeguardian.it.TestSshServer;
import dev.cubeguardian.it.WorkerUnderTest;
import dev.cubeguardian.probe.MinecraftPinger;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 end to end: the in-process worker, a real Mosquitto, the SSH server that records what
 * it runs, and per host a game (a status responder: its port is open while the game runs) with
 * its RCON console (the recording RCON server; {@code stop} closes the game port a second later,
 * as vanilla does). One timeline holds, in order, what each game was told over RCON, when its
 * port closed and what its host ran over SSH. Every test ends by looking for the RCON passwords
 * in every message on '#' and every log line.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class GracefulStopIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final String BASE = "cubeguardian";
    private static final String DELAYED = "timeout: 2s, warnings: [55s, 50s], stop-timeout: 5s";

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    /** "host rcon command", "host port closed", "host ssh command", in the order they happened. */
    private final List<String> timeline = new CopyOnWriteArrayList<>();
    private final List<String> passwords = new CopyOnWriteArrayList<>();
    private final StringBuilder inventory = new StringBuilder("hosts:\n");
    private int hostCount;
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "graceful-it-game");
        thread.setDaemon(true);
        return thread;
    });
    private LogLines logs;
    private MosquittoBroker broker;
    private TestSshServer ssh;
    private MqttProbeClient client;
    private Path knownHosts;

    @BeforeEach
    void homelab() throws Exception {
        logs = keep(new LogLines());
        broker = keep(new MosquittoBroker().start());
        ssh = keep(new TestSshServer().start());
        ssh.onExecute(run -> timeline.add(run.user() + " ssh " + run.command()));
        knownHosts = ssh.knownHosts(dir, "host_ed25519");
        client = keep(new MqttProbeClient(broker.url(), "#"));
    }

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

    // --- 1. a delayed shutdown, a cancel in its middle, a cancel during its game stop (one minute for all three) ---

    @Test
    void aDelayedShutdownWarnsAtEachTimeThenSavesStopsAndPowersOffWhileCancelledOnesStayUp() throws Exception {
        Game countdown = game("countdown", Console.ANSWERS, true);
        Game calledOff = game("called-off", Console.ANSWERS, true);
        Game lateCancel = game("late-cancel", Console.ANSWERS, false);   // its port never closes after stop
        host(countdown, DELAYED, "");
        host(calledOff, DELAYED, "");
        host(lateCancel, "timeout: 2s, warnings: [55s, 50s], stop-timeout: 15s", "");
        worker("delayed");

        for (Game game : List.of(countdown, calledOff, lateCancel)) {
            client.publish(BASE + "/" + game.host + "/cmd/shutdown", "{\"id\":\"later-" + game.host + "\",\"delay_minutes\":1}");
        }
        JsonNode scheduled = result(countdown, "shutdown", "later-countdown");
        assertEquals("SHUTDOWN_SCHEDULED", scheduled.path("code").asText(), scheduled.toString());
        assertEquals("SHUTDOWN_SCHEDULED", result(calledOff, "shutdown", "later-called-off").path("code").asText());
        assertEquals("SHUTDOWN_SCHEDULED", result(lateCancel, "shutdown", "later-late-cancel").path("code").asText());
        Instant t0 = time(scheduled);

        // each warning is said in the game at its time before the shutdown
        JsonNode at55 = warning(countdown, "later-countdown", 55);
        assertAround(t0, 5, at55);
        warning(calledOff, "later-called-off", 55);

        // a cancel in the middle of the countdown: the backstop cancelled over SSH, and the players hear so
        client.publish(BASE + "/called-off/cmd/cancel", "{\"id\":\"call-off\"}");
        assertEquals("SHUTDOWN_CANCELLED", result(calledOff, "cancel", "call-off").path("code").asText());

        JsonNode at50 = warning(countdown, "later-countdown", 50);
        assertAround(t0, 10, at50);

        // at the time: the world saved, the game stopped, its port closed, and only then the host's shutdown
        JsonNode saved = progress(countdown, "later-countdown", "game_saved", e -> true, Duration.ofSeconds(75));
        assertAround(t0, 60, saved);
        JsonNode stopped = progress(countdown, "later-countdown", "game_stopped", e -> true, WAIT);
        JsonNode sent = progress(countdown, "later-countdown", "command_sent", e -> true, WAIT);
        assertTrue(!time(sent).isBefore(time(stopped)) && Duration.between(time(saved), time(stopped)).toMillis() >= 900,
                "the port closes a second after stop: " + saved + " " + stopped);

        // a cancel while the game is stopping (its port does not close): the host stays up
        progress(lateCancel, "later-late-cancel", "game_saved", e -> true, WAIT);
        assertTrue(await(() -> lateCancel.commands().contains("stop"), WAIT), lateCancel.commands().toString());
        client.publish(BASE + "/late-cancel/cmd/cancel", "{\"id\":\"late-call-off\"}");
        assertEquals("SHUTDOWN_CANCELLED", result(lateCancel, "cancel", "late-call-off").path("code").asText());
        JsonNode timedOut = progress(lateCancel, "later-late-cancel", "game_stop_failed", e -> true, Duration.ofSeconds(25));
        assertEquals("stop_timeout", timedOut.path("reason").asText());
        Thread.sleep(3_000);   // time enough for a shutdown-now it must not get

        assertEquals(List.of(
                "countdown ssh shutdown -h +2",   // the backstop: the delay and the stop-timeout (rounded up to a minute)
                "countdown rcon say Server shutting down in 55 seconds",
                "countdown rcon say Server shutting down in 50 seconds",
                "countdown rcon save-all flush",
                "countdown rcon stop",
                "countdown port closed",
                "countdown ssh shutdown -h now"), timeline(countdown));
        assertEquals(List.of(
                "called-off ssh shutdown -h +2",
                "called-off rcon say Server shutting down in 55 seconds",
                "called-off ssh shutdown -c",
                "called-off rcon say Shutdown cancelled"), timeline(calledOff), "no later warning, no save, no stop, no shutdown");
        assertEquals(List.of(
                "late-cancel ssh shutdown -h +2",
                "late-cancel rcon say Server shutting down in 55 seconds",
                "late-cancel rcon say Server shutting down in 50 seconds",
                "late-cancel rcon save-all flush",
                "late-cancel rcon stop",
                "late-cancel ssh shutdown -c",
                "late-cancel rcon say Shutdown cancelled"), timeline(lateCancel), "the cancel holds though it came during the stop");
        assertEquals(0, events(calledOff, "later-called-off", "game_saved").size() + events(lateCancel, "later-late-cancel", "command_sent").size());
        assertEquals(List.of(55L, 50L), events(countdown, "later-countdown", "warning_sent").stream()
                .map(e -> e.path("remaining_s").asLong()).toList());
        assertNoRconPasswordAnywhere();
    }

    // --- 2. a shutdown now ---

    @Test
    void aShutdownNowSavesAndStopsTheGameThenPowersOffAndOnlyThenAnswers() throws Exception {
        Game game = game("now", Console.ANSWERS, true);
        host(game, "timeout: 2s, stop-timeout: 10s", "");
        worker("now");

        client.publish(BASE + "/now/cmd/shutdown", "{\"id\":\"now-1\"}");
        JsonNode result = result(game, "shutdown", "now-1");
        // the result is sent after the SSH command: by then the timeline is complete
        List<String> atTheAnswer = timeline(game);

        assertEquals("SHUTDOWN_SENT", result.path("code").asText(), result.toString());
        assertEquals(List.of("now rcon save-all flush", "now rcon stop", "now port closed", "now ssh shutdown -h now"), atTheAnswer);
        JsonNode saved = progress(game, "now-1", "game_saved", e -> true, WAIT);
        JsonNode stopped = progress(game, "now-1", "game_stopped", e -> true, WAIT);
        assertTrue(Duration.between(time(saved), time(result)).toMillis() >= 900, "the answer waited for the port to close");
        assertTrue(indexOf(m -> isProgress(m, BASE + "/now/event", "now-1", "game_stopped"))
                < indexOf(m -> m.topic().equals(BASE + "/now/result/shutdown")), "game_stopped comes before the result");
        Thread.sleep(1_000);
        assertEquals(atTheAnswer, timeline(game), "no warnings for a shutdown now, and one shutdown");
        assertNoRconPasswordAnywhere();
    }

    // --- 3. every failure of RCON is reported, and the host is shut down anyway, once ---

    @Test
    void everyRconFailureIsReportedAndTheHostIsStillShutDownExactlyOnce() throws Exception {
        Game refused = game("refused", Console.WRONG_PASSWORD, true);
        Game noConsole = game("no-console", Console.CLOSED_PORT, true);
        Game silent = game("silent", Console.SILENT, true);
        Game neverCloses = game("never-closes", Console.ANSWERS, false);
        for (Game game : List.of(refused, noConsole, silent, neverCloses)) {
            host(game, "timeout: 2s, stop-timeout: 3s", "");
        }
        worker("faults");

        long sent = System.nanoTime();
        for (Game game : List.of(refused, noConsole, silent, neverCloses)) {
            client.publish(BASE + "/" + game.host + "/cmd/shutdown", "{\"id\":\"f-" + game.host + "\"}");
        }
        assertEquals("rcon_auth_failed", failure(refused).path("reason").asText());
        assertEquals("rcon_unreachable", failure(noConsole).path("reason").asText());
        JsonNode unanswered = failure(silent);
        long silentMs = (System.nanoTime() - sent) / 1_000_000;
        assertEquals("rcon_unreachable", unanswered.path("reason").asText());
        // its own login times out (2 s), after at most one probe's `list` that held the console as long
        long elapsed = unanswered.path("elapsed_s").asLong();
        assertTrue(elapsed >= 2 && elapsed <= 4 && silentMs < 6_500, "gave up after " + elapsed + " s (" + silentMs + " ms)");
        JsonNode stuck = failure(neverCloses);
        assertEquals("stop_timeout", stuck.path("reason").asText());
        assertTrue(stuck.path("elapsed_s").asLong() >= 3 && stuck.path("elapsed_s").asLong() <= 5, stuck.toString());
        assertEquals(1, events(neverCloses, "f-never-closes", "game_saved").size());

        for (Game game : List.of(refused, noConsole, silent, neverCloses)) {
            assertEquals("SHUTDOWN_SENT", result(game, "shutdown", "f-" + game.host).path("code").asText(), game.host);
        }
        Thread.sleep(2_000);
        for (Game game : List.of(refused, noConsole, silent, neverCloses)) {
            assertEquals(List.of(game.host + " ssh shutdown -h now"),
                    timeline(game).stream().filter(line -> line.startsWith(game.host + " ssh")).toList(), game.host);
            assertEquals(0, events(game, "f-" + game.host, "game_stopped").size(), game.host);
        }
        assertEquals(List.of(), refused.commands(), "nothing runs without the password");
        assertEquals(List.of("save-all flush", "stop"), neverCloses.commands());
        assertNoRconPasswordAnywhere();
    }

    // --- 4. check and state ---

    @Test
    void checkAndStateShowTheConsoleHealthAndEveryPlayerNotOnlyThePingsTwelve() throws Exception {
        Game fifteen = game("fifteen", Console.ANSWERS, true);
        fifteen.players = IntStream.rangeClosed(1, 15).mapToObj(i -> "player" + i).toList();
        Game refused = game("refused", Console.WRONG_PASSWORD, true);
        Game noConsole = game("no-console", Console.CLOSED_PORT, true);
        for (Game game : List.of(fifteen, refused, noConsole)) {
            host(game, "timeout: 2s", "");
        }
        assertEquals(12, new MinecraftPinger().ping("127.0.0.1", fifteen.port.port(), Duration.ofSeconds(2)).players().size(),
                "the status ping's sample holds 12 of them");
        worker("check");

        Map<Game, String> health = Map.of(fifteen, "ok", refused, "auth_failed", noConsole, "unreachable");
        for (Map.Entry<Game, String> expected : health.entrySet()) {
            Game game = expected.getKey();
            client.publish(BASE + "/" + game.host + "/cmd/check", "{\"id\":\"c-" + game.host + "\"}");
            JsonNode checked = result(game, "check", "c-" + game.host);
            assertEquals("CHECKED", checked.path("code").asText(), checked.toString());
            assertEquals(expected.getValue(), checked.at("/details/service/rcon").asText(), checked.toString());
            JsonNode state = client.await(m -> m.topic().equals(BASE + "/" + game.host + "/state")
                    && m.json().at("/service/rcon").isTextual(), WAIT).json();
            assertEquals(expected.getValue(), state.at("/service/rcon").asText(), state.toString());
        }
        JsonNode checked = result(fifteen, "check", "c-fifteen");
        assertEquals(fifteen.players, names(checked.at("/details/service/players")));
        assertEquals(15, checked.at("/details/service/players_online").asInt());
        JsonNode state = client.await(m -> m.topic().equals(BASE + "/fifteen/state")
                && m.json().at("/service/players").size() == 15, WAIT).json();
        assertEquals(fifteen.players, names(state.at("/service/players")));
        assertEquals(15, state.at("/service/players_online").asInt());
        assertNoRconPasswordAnywhere();
    }

    // --- 5. idle shutdown ---

    @Test
    void anIdleServerIsSavedAndStoppedBeforeItsHostIsShutDown() throws Exception {
        Game idle = game("idle", Console.ANSWERS, true);
        host(idle, "timeout: 2s, stop-timeout: 10s", "    idle: {enabled: true, after: 1s, minimum-uptime: 0s, grace: 3s}\n");
        worker("idle");

        JsonNode result = client.await(m -> m.topic().equals(BASE + "/idle/result/shutdown"), Duration.ofSeconds(30)).json();
        String id = result.path("id").asText();
        assertTrue(id.startsWith("idle-"), id);
        assertEquals("SHUTDOWN_SENT", result.path("code").asText(), result.toString());
        progress(idle, id, "game_saved", e -> true, WAIT);
        progress(idle, id, "game_stopped", e -> true, WAIT);
        Thread.sleep(2_000);
        assertEquals(List.of("idle rcon save-all flush", "idle rcon stop", "idle port closed", "idle ssh shutdown -h now"),
                timeline(idle));
        assertNoRconPasswordAnywhere();
    }

    // --- the homelab ---

    private enum Console { ANSWERS, WRONG_PASSWORD, SILENT, CLOSED_PORT }

    /** A game on loopback: its port, open while it runs, and its RCON console (or a closed port). */
    private final class Game implements AutoCloseable {
        final String host;
        final String password = "rcon-" + UUID.randomUUID();
        final MinecraftStatusResponder port;
        final RecordingRconServer rcon;
        final int rconPort;
        final boolean closesOnStop;
        volatile List<String> players = List.of();

        Game(String host, Console console, boolean closesOnStop) throws IOException {
            this.host = host;
            this.closesOnStop = closesOnStop;
            passwords.add(password);
            port = new MinecraftStatusResponder(LOOPBACK, 0, () -> new MinecraftStatusResponder.Status("1.21.4", 769,
                    players.size(), 20, players.subList(0, Math.min(12, players.size())), "GracefulStopIT " + host)).start();
            String serverPassword = password;
            if (console == Console.WRONG_PASSWORD) {
                serverPassword = "other-" + UUID.randomUUID();
                passwords.add(serverPassword);
            }
            rcon = console == Console.CLOSED_PORT ? null
                    : new RecordingRconServer(LOOPBACK, 0, serverPassword, this::answer, console == Console.SILENT);
            rconPort = rcon == null ? closedPort() : rcon.port();
        }

        /** What a vanilla server answers to what CubeGuardian sends. */
        private String answer(String command) {
            if (command.equals("list")) {
                return "There are " + players.size() + " of a max of 20 players online: " + String.join(", ", players);
            }
            timeline.add(host + " rcon " + command);
            if (command.equals("save-all flush")) {
                return "Saving the game (this may take a moment!)Saved the game";
            }
            if (command.equals("stop")) {
                if (closesOnStop) {
                    later.schedule(this::gameEnds, 1, TimeUnit.SECONDS);
                }
                return "Stopping the server";
            }
            return "";
        }

        private void gameEnds() {
            port.close();
            timeline.add(host + " port closed");
            rcon.close();
        }

        List<String> commands() {
            return rcon == null ? List.of() : rcon.commands().stream().filter(c -> !c.equals("list")).toList();
        }

        @Override
        public void close() {
            port.close();
            if (rcon != null) {
                rcon.close();
            }
        }
    }

    private Game game(String host, Console console, boolean closesOnStop) throws IOException {
        return keep(new Game(host, console, closesOnStop));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            return probe.getLocalPort();
        }
    }

    private void host(Game game, String rconKeys, String more) throws IOException {
        Path passwordFile = Files.writeString(dir.resolve(game.host + ".rcon_password"), game.password + "\n", StandardCharsets.UTF_8);
        int index = ++hostCount;
        inventory.append("  ").append(game.host).append(":\n")
                .append("    mac: \"02:c0:ff:ee:12:").append(String.format("%02x", index)).append("\"\n")
                .append("    address: 127.0.0.1\n")
                .append("    wol: {broadcast: 127.0.0.1, port: 9}\n")
                .append("    probe: {method: tcp, port: ").append(ssh.port()).append(", timeout: 1s}\n")
                .append("    ssh:\n      port: ").append(ssh.port()).append("\n      user: ").append(game.host)
                .append("\n      key-file: ").append(TestSshServer.KEYS.resolve("client_ed25519").toAbsolutePath())
                .append("\n      known-hosts-file: ").append(knownHosts).append('\n')
                .append("    minecraft:\n      port: ").append(game.port.port()).append("\n      timeout: 1s\n")
                .append("      rcon: {port: ").append(game.rconPort).append(", password-file: ").append(passwordFile)
                .append(", ").append(rconKeys).append("}\n")
                .append(more);
    }

    private void worker(String name) throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts.yaml"), inventory.toString());
        keep(new WorkerUnderTest(Map.of(
                "cubeguardian.mqtt.url", broker.url(),
                "cubeguardian.mqtt.client-id", "graceful-" + name,
                "cubeguardian.hosts-file", hosts.toString(),
                "cubeguardian.locale", "en",
                "cubeguardian.monitor.fast-interval", "200ms",
                "cubeguardian.monitor.steady-interval", "1s")).start());
        client.await(m -> m.topic().equals(BASE + "/bridge/state") && m.text().equals("online"), WAIT);
    }

    // --- what was seen ---

    private List<String> timeline(Game game) {
        return timeline.stream().filter(line -> line.startsWith(game.host + " ")).toList();
    }

    private JsonNode result(Game game, String action, String id) throws InterruptedException {
        return client.result(BASE + "/" + game.host + "/result/" + action, id, WAIT);
    }

    private static boolean isProgress(MqttProbeClient.Received m, String topic, String id, String phase) {
        if (!m.topic().equals(topic)) {
            return false;
        }
        JsonNode event = m.json();
        return event.path("type").asText().equals("progress") && event.path("action").asText().equals("shutdown")
                && event.path("id").asText().equals(id) && event.path("phase").asText().equals(phase);
    }

    private JsonNode progress(Game game, String id, String phase, Predicate<JsonNode> also, Duration limit)
            throws InterruptedException {
        String topic = BASE + "/" + game.host + "/event";
        return client.await(m -> isProgress(m, topic, id, phase) && also.test(m.json()), limit).json();
    }

    private List<JsonNode> events(Game game, String id, String phase) {
        String topic = BASE + "/" + game.host + "/event";
        return client.all(m -> isProgress(m, topic, id, phase)).stream().map(MqttProbeClient.Received::json).toList();
    }

    private JsonNode warning(Game game, String id, long remainingSeconds) throws InterruptedException {
        return progress(game, id, "warning_sent", e -> e.path("remaining_s").asLong() == remainingSeconds, WAIT);
    }

    private JsonNode failure(Game game) throws InterruptedException {
        return progress(game, "f-" + game.host, "game_stop_failed", e -> true, WAIT);
    }

    /** Where the first message that matches is among all received so far, in their order of arrival. */
    private int indexOf(Predicate<MqttProbeClient.Received> match) {
        List<MqttProbeClient.Received> all = client.all(m -> true);
        for (int i = 0; i < all.size(); i++) {
            if (match.test(all.get(i))) {
                return i;
            }
        }
        throw new AssertionError("not received");
    }

    private static Instant time(JsonNode message) {
        return Instant.parse(message.path("timestamp").asText());
    }

    /** The message was sent {@code seconds} after {@code t0}, give or take 2 s. */
    private static void assertAround(Instant t0, long seconds, JsonNode message) {
        long ms = Duration.between(t0, time(message)).toMillis();
        assertTrue(Math.abs(ms - seconds * 1000) <= 2_000, "expected ~" + seconds + " s after the result, was " + ms + " ms: " + message);
    }

    private static List<String> names(JsonNode players) {
        List<String> names = new ArrayList<>();
        players.forEach(name -> names.add(name.asText()));
        return names;
    }

    private static boolean await(java.util.function.BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** No RCON password (nor its base64) in any message on '#' or any log line of this JVM. */
    private void assertNoRconPasswordAnywhere() {
        List<String> forms = new ArrayList<>();
        for (String password : passwords) {
            byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
            forms.add(password);
            forms.add(Base64.getEncoder().encodeToString(bytes));
            forms.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
        }
        List<MqttProbeClient.Received> messages = client.all(m -> true);
        List<String> lines = logs.all();
        List<String> leaks = new ArrayList<>();
        for (String form : forms) {
            messages.stream().filter(m -> m.text().contains(form)).forEach(m -> leaks.add("mqtt " + m.topic() + ": " + form));
            lines.stream().filter(line -> line.contains(form)).forEach(line -> leaks.add("log: " + line));
        }
        assertTrue(messages.size() > 10 && lines.size() > 10, messages.size() + " messages, " + lines.size() + " log lines");
        assertEquals(List.of(), leaks);
    }
}
