package dev.cubeguardian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The command-line client against a real Mosquitto and the real worker in demo mode: exact
 * output lines and exit statuses, as a user or a script sees them.
 */
class CliIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<AutoCloseable> open = new ArrayList<>();

    /** What one run printed and returned. */
    record Run(int exit, List<String> out, List<String> err, Duration took) {
        /** Output with the seconds that vary from run to run replaced by N. */
        List<String> outWithoutSeconds() {
            return out.stream().map(l -> l.replaceAll("\\(\\d+ s\\)", "(N s)").replaceAll("(after|après) \\d+ s", "$1 N s"))
                    .toList();
        }
    }

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

    private MosquittoBroker broker() throws Exception {
        return keep(new MosquittoBroker().start());
    }

    /** The demo worker on the broker, once it has published the demo host off. */
    private MqttProbeClient demoWorker(MosquittoBroker broker) throws Exception {
        return demoWorker(broker, "");
    }

    private MqttProbeClient demoWorker(MosquittoBroker broker, String players) throws Exception {
        return demoWorker(broker, players, "en");
    }

    private MqttProbeClient demoWorker(MosquittoBroker broker, String players, String locale) throws Exception {
        MqttProbeClient watcher = keep(new MqttProbeClient(broker.url(), "cubeguardian/#"));
        Map<String, String> settings = new HashMap<>();
        settings.put("cubeguardian.mqtt.url", broker.url());
        settings.put("cubeguardian.mqtt.client-id", "cli-" + UUID.randomUUID().toString().substring(0, 8));
        settings.put("cubeguardian.demo.boot-seconds", "2");
        settings.put("cubeguardian.demo.seconds-per-minute", "1");
        settings.put("cubeguardian.monitor.fast-interval", "200ms");
        settings.put("cubeguardian.monitor.steady-interval", "2s");
        settings.put("cubeguardian.monitor.down-confirmations", "2");
        settings.put("cubeguardian.demo.players", players);
        settings.put("cubeguardian.locale", locale);
        keep(new WorkerUnderTest(settings).start());
        retainedState(watcher, "off");
        return watcher;
    }

    private static JsonNode retainedState(MqttProbeClient watcher, String state) throws InterruptedException {
        return watcher.await(m -> m.topic().equals("cubeguardian/demo/state") && state.equals(m.json().path("state").asText()),
                WAIT).json();
    }

    private static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long start = System.nanoTime();
        int exit = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, lines(out), lines(err), Duration.ofNanos(System.nanoTime() - start));
    }

    private static List<String> lines(ByteArrayOutputStream bytes) {
        return lines(bytes.toString(StandardCharsets.UTF_8));
    }

    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("\n", -1)).subList(0, text.split("\n", -1).length - 1);
    }

    private static String local(String timestamp) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(Instant.parse(timestamp).atZone(ZoneId.systemDefault()));
    }

    @Test
    void wakeAndWaitThenStatusThenShutdownAndWait() throws Exception {
        MosquittoBroker broker = broker();
        MqttProbeClient watcher = demoWorker(broker);

        Run wake = cli("wake", "demo", "--wait", "--broker", broker.url(), "--timeout", "20");
        assertEquals(List.of(
                "Magic packet sent to 02:C0:FF:EE:00:01",
                "demo: magic packet sent (N s)",
                "demo: host is up (N s)",
                "demo: game server is up (N s)",
                "demo: online after N s"), wake.outWithoutSeconds(), wake.toString());
        assertEquals(List.of(), wake.err());
        assertEquals(0, wake.exit());
        assertEquals("demo: magic packet sent (0 s)", wake.out().get(1));
        // the command went out as documented: a fresh id and who asked
        JsonNode command = watcher.await(m -> m.topic().equals("cubeguardian/demo/cmd/wake"), WAIT).json();
        assertTrue(command.get("id").asText().matches("cli-[0-9a-f-]{36}"), command.toString());
        assertEquals("cli:" + System.getProperty("user.name"), command.get("requested_by").asText());

        JsonNode online = retainedState(watcher, "online");
        Run status = cli("status", "--broker", broker.url());
        assertEquals(List.of(
                "HOST  NAME         STATE   SINCE                PLAYERS  VERSION",
                "demo  Demo server  online  " + local(online.get("since").asText()) + "  0/20     1.21.4"), status.out(), status.toString());
        assertEquals(List.of(), status.err());
        assertEquals(0, status.exit());

        Run details = cli("status", "demo", "--broker", broker.url());
        assertEquals(0, details.exit(), details.toString());
        assertEquals("State:      online since " + local(online.get("since").asText()), details.out().get(2));
        assertEquals(List.of("Service:    minecraft, reachable", "Version:    1.21.4", "Players:    0/20",
                "MOTD:       CubeGuardian demo", "Actions:    wake, check, shutdown, cancel, reboot"),
                details.out().subList(5, details.out().size()));

        Run shutdown = cli("shutdown", "demo", "--wait", "--broker", broker.url(), "--timeout", "20");
        assertEquals(List.of(
                "Shutdown of Demo server started",
                // the demo game has RCON: it is saved and stopped before the host's shutdown
                "demo: world saved (N s)",
                "demo: game stopped (N s)",
                "demo: shutdown command sent (N s)",
                "demo: host is down (N s)",
                "demo: off after N s"), shutdown.outWithoutSeconds(), shutdown.toString());
        assertEquals(0, shutdown.exit());
        retainedState(watcher, "off");
        Run off = cli("status", "--broker", broker.url());
        assertTrue(off.out().get(1).matches("demo  Demo server  off    \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  -        -"),
                off.toString());
    }

    /**
     * End to end, with the worker's own reboot (not a stand-in): the demo host goes dark and
     * comes back, and the client follows it until it is online again, exit 0.
     */
    @Test
    void rebootWaitAgainstTheRealWorkerFollowsTheDemoHostDownAndUpAgain() throws Exception {
        MosquittoBroker broker = keep(new MosquittoBroker().start());
        MqttProbeClient watcher = demoWorker(broker);
        assertEquals(0, cli("wake", "demo", "--wait", "--broker", broker.url(), "--timeout", "20").exit());
        retainedState(watcher, "online");

        Run reboot = cli("reboot", "demo", "--force", "--wait", "--broker", broker.url(), "--timeout", "40");
        assertEquals(0, reboot.exit(), reboot.toString());
        // the demo game has RCON: saved and stopped first; then the host goes dark and boots again
        assertEquals(List.of(
                "Restart of Demo server started",
                "demo: world saved (N s)",
                "demo: game stopped (N s)",
                "demo: reboot command sent (N s)",
                "demo: host went down (N s)",
                "demo: host is up (N s)",
                "demo: game server is up (N s)",
                "demo: online after N s"), reboot.outWithoutSeconds(), reboot.toString());
        JsonNode completed = watcher.await(m -> m.topic().equals("cubeguardian/demo/event")
                && "completed".equals(m.json().path("type").asText()) && "reboot".equals(m.json().path("action").asText()), WAIT).json();
        assertEquals("ONLINE", completed.path("code").asText(), completed.toString());
    }

    /** The packaged client as a user starts it: the launcher script, in a process of its own, with this environment added. */
    private Run launcher(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of("cubeguardian").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        // Java 17 writes stdout in the locale's charset: a C locale would print every accent as '?'
        builder.environment().put("LANG", "C.UTF-8");
        builder.environment().putAll(env);
        long start = System.nanoTime();
        Process process = builder.start();
        keep(process::destroyForcibly);
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return process.getErrorStream().readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the launcher did not finish");
        return new Run(process.exitValue(), lines(new String(out, StandardCharsets.UTF_8)),
                lines(new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8)), Duration.ofNanos(System.nanoTime() - start));
    }

    @Test
    void withCubeguardianLocaleFrTheWorkerAndTheClientSpeakFrenchFromWakeWaitToStatus() throws Exception {
        MosquittoBroker broker = broker();
        MqttProbeClient watcher = demoWorker(broker, "", "fr");
        Map<String, String> french = Map.of("CUBEGUARDIAN_LOCALE", "fr");

        Run wake = launcher(french, "wake", "demo", "--wait", "--broker", broker.url(), "--timeout", "20");
        assertEquals(List.of(
                "Paquet magique envoyé à 02:C0:FF:EE:00:01",
                "demo : paquet magique envoyé (N s)",
                "demo : l'hôte est allumé (N s)",
                "demo : le serveur de jeu est démarré (N s)",
                "demo : en ligne après N s"), wake.outWithoutSeconds(), wake.toString());
        assertEquals(List.of(), wake.err());
        assertEquals(0, wake.exit());

        JsonNode online = retainedState(watcher, "online");
        Run status = launcher(french, "status", "--broker", broker.url());
        assertEquals(List.of(
                "HÔTE  NOM          ÉTAT      DEPUIS               JOUEURS  VERSION",
                "demo  Demo server  en ligne  " + local(online.get("since").asText()) + "  0/20     1.21.4"), status.out(),
                status.toString());
        assertEquals(0, status.exit());

        Run unknown = launcher(french, "status", "nas", "--broker", broker.url());
        assertEquals(List.of("cubeguardian: hôte inconnu 'nas' (connus : demo)"), unknown.err());
        assertEquals(1, unknown.exit());
    }

    @Test
    void aScheduledShutdownIsCancelledAndAWaitingClientIsToldSo() throws Exception {
        MosquittoBroker broker = broker();
        MqttProbeClient watcher = demoWorker(broker);
        Run wake = cli("wake", "demo", "--broker", broker.url());
        assertEquals(List.of("Magic packet sent to 02:C0:FF:EE:00:01"), wake.out());
        assertEquals(0, wake.exit());
        retainedState(watcher, "online");

        Run scheduled = cli("shutdown", "demo", "--delay", "5", "--broker", broker.url());
        assertEquals(List.of("Shutdown of Demo server scheduled in 5 min"), scheduled.out(), scheduled.toString());
        assertEquals(0, scheduled.exit());
        Run cancel = cli("cancel", "demo", "--broker", broker.url());
        assertEquals(List.of("Scheduled shutdown of Demo server cancelled"), cancel.out(), cancel.toString());
        assertEquals(0, cancel.exit());

        // a client following a scheduled shutdown (a demo minute is a second) learns of the cancel and fails
        CompletableFuture<Run> following = CompletableFuture.supplyAsync(
                () -> cli("shutdown", "demo", "--delay", "5", "--wait", "--broker", broker.url(), "--timeout", "20"));
        String followedId = watcher.await(m -> m.topic().equals("cubeguardian/demo/cmd/shutdown")
                && watcher.all(x -> x.topic().equals("cubeguardian/demo/cmd/shutdown")).indexOf(m) == 1, WAIT).json()
                .get("id").asText();
        JsonNode progress = watcher.await(m -> m.topic().equals("cubeguardian/demo/event")
                && "scheduled".equals(m.json().path("phase").asText()) && followedId.equals(m.json().path("id").asText()), WAIT)
                .json();
        // the demo game has RCON: the 5-minute warning is said in the game right after the result
        watcher.await(m -> m.topic().equals("cubeguardian/demo/event")
                && "warning_sent".equals(m.json().path("phase").asText()) && followedId.equals(m.json().path("id").asText()), WAIT);
        Run cancelAgain = cli("cancel", "demo", "--broker", broker.url());
        assertEquals(0, cancelAgain.exit(), cancelAgain.toString());
        String cancelId = watcher.await(m -> m.topic().equals("cubeguardian/demo/cmd/cancel")
                && watcher.all(x -> x.topic().equals("cubeguardian/demo/cmd/cancel")).indexOf(m) == 1, WAIT).json()
                .get("id").asText();
        Run followed = following.get(25, TimeUnit.SECONDS);
        assertEquals(List.of(
                "Shutdown of Demo server scheduled in 5 min",
                "demo: shutdown scheduled for " + DateTimeFormatter.ofPattern("HH:mm:ss").format(
                        Instant.parse(progress.get("scheduled_for").asText()).atZone(ZoneId.systemDefault())) + " (0 s)",
                "demo: players warned in the game: 300 s left (0 s)",
                "demo: shutdown cancelled by " + cancelId + " (CANCELLED)"), followed.out(), followed.toString());
        assertEquals(1, followed.exit());
    }

    @Test
    void anUnknownHostIsTheWorkersUnknownHostAnswerWithExitOne() throws Exception {
        MosquittoBroker broker = broker();
        demoWorker(broker);

        Run wake = cli("wake", "nas", "--broker", broker.url());
        assertEquals(List.of(), wake.out());
        assertEquals(List.of("cubeguardian: Unknown host 'nas' (UNKNOWN_HOST)"), wake.err());
        assertEquals(1, wake.exit());

        Run status = cli("status", "nas", "--broker", broker.url());
        assertEquals(List.of("cubeguardian: unknown host 'nas' (known: demo)"), status.err());
        assertEquals(1, status.exit());
    }

    @Test
    void aFailedCommandExitsOne() throws Exception {
        MosquittoBroker broker = broker();
        demoWorker(broker);
        // the demo host is off: there is no SSH to shut it down with (--force: without it, the
        // game that does not answer makes it PLAYERS_UNKNOWN before SSH is tried)
        Run shutdown = cli("shutdown", "demo", "--force", "--broker", broker.url());
        assertEquals(List.of(), shutdown.out());
        assertEquals(1, shutdown.err().size(), shutdown.toString());
        assertTrue(shutdown.err().get(0).matches("cubeguardian: .+ \\(SSH_UNREACHABLE\\)"), shutdown.toString());
        assertEquals(1, shutdown.exit());
    }

    @Test
    void aShutdownOfAHostWhoseGameDoesNotAnswerIsRefusedWithTheHintToForce() throws Exception {
        MosquittoBroker broker = broker();
        demoWorker(broker);
        Run refused = cli("shutdown", "demo", "--broker", broker.url());
        assertEquals(1, refused.exit(), refused.toString());
        assertTrue(refused.err().get(0).endsWith("(PLAYERS_UNKNOWN)"), refused.toString());
        assertEquals("cubeguardian: add --force to shut it down anyway", refused.err().get(1), refused.toString());
    }

    @Test
    void playersOnlineRefuseAShutdownUntilForced() throws Exception {
        MosquittoBroker broker = broker();
        MqttProbeClient watcher = demoWorker(broker, "alice,bob");
        assertEquals(0, cli("wake", "demo", "--wait", "--broker", broker.url(), "--timeout", "20").exit());
        JsonNode online = retainedState(watcher, "online");

        Run status = cli("status", "--broker", broker.url());
        assertEquals("demo  Demo server  online  " + local(online.get("since").asText()) + "  2/20     1.21.4",
                status.out().get(1), status.toString());
        Run details = cli("status", "demo", "--broker", broker.url());
        assertTrue(details.out().contains("Players:    2/20 (alice, bob)"), details.toString());

        Run refused = cli("shutdown", "demo", "--broker", broker.url());
        assertEquals(List.of("cubeguardian: Demo server has 2 player(s) online: send \"force\": true to shut it down anyway "
                + "(PLAYERS_ONLINE)", "cubeguardian: add --force to shut it down anyway"), refused.err());
        assertEquals(List.of(), refused.out());
        assertEquals(1, refused.exit());

        Run forced = cli("shutdown", "demo", "--force", "--wait", "--broker", broker.url(), "--timeout", "20");
        assertEquals("demo: off after N s", forced.outWithoutSeconds().get(forced.out().size() - 1), forced.toString());
        assertEquals(0, forced.exit());
        assertEquals(true, watcher.await(m -> m.topic().equals("cubeguardian/demo/cmd/shutdown")
                && m.json().path("force").asBoolean(), WAIT).json().get("force").asBoolean());
    }

    @Test
    void anUnreachableBrokerExitsThreeAtOnce() throws Exception {
        int port = MosquittoBroker.freePort();
        Run status = cli("status", "--broker", "tcp://127.0.0.1:" + port);
        assertEquals(3, status.exit());
        assertEquals(List.of(), status.out());
        assertEquals(1, status.err().size());
        assertTrue(status.err().get(0).startsWith("cubeguardian: cannot connect to the MQTT broker at tcp://127.0.0.1:" + port + ": "),
                status.toString());
        assertTrue(status.took().compareTo(Duration.ofSeconds(5)) < 0, status.toString());

        Run wake = cli("wake", "demo", "--wait", "--broker", "tcp://127.0.0.1:" + port);
        assertEquals(3, wake.exit());
        assertEquals(status.err(), wake.err());
    }

    @Test
    void aBrokerThatNeverAnswersIsGivenUpOnWithinTheTimeout() throws Exception {
        try (SilentTcpServer silent = new SilentTcpServer()) {
            Run status = cli("status", "--broker", "tcp://127.0.0.1:" + silent.port(), "--timeout", "2");
            assertEquals(3, status.exit());
            assertTrue(status.err().get(0).startsWith("cubeguardian: cannot connect to the MQTT broker at tcp://127.0.0.1:"
                    + silent.port() + ": "), status.toString());
            assertTrue(status.took().compareTo(Duration.ofSeconds(5)) < 0, status.toString());
        }
    }

    @Test
    void withoutAWorkerACommandTimesOutAndSaysWhy() throws Exception {
        MosquittoBroker broker = broker();
        Run wake = cli("wake", "demo", "--broker", broker.url(), "--timeout", "1");
        assertEquals(List.of("cubeguardian: no answer to wake demo within 1 s: no worker has announced itself on "
                + "cubeguardian/bridge/state"), wake.err());
        assertEquals(3, wake.exit());
        Run status = cli("status", "--broker", broker.url(), "--timeout", "1");
        assertEquals(List.of("cubeguardian: no CubeGuardian worker has announced itself under 'cubeguardian' "
                + "(no retained cubeguardian/bridge/info within 1 s)"), status.err());
        assertEquals(3, status.exit());
    }

    @Test
    void theLauncherScriptRunsTheJar() throws Exception {
        Path launcher = Path.of("cubeguardian").toAbsolutePath();
        assertTrue(Files.isExecutable(launcher), launcher + " is not executable");
        assertTrue(Files.isRegularFile(Path.of("target", "cubeguardian.jar")), "run with mvn verify: the jar is built first");
        MosquittoBroker broker = broker();
        demoWorker(broker);

        Process status = new ProcessBuilder(launcher.toString(), "status", "--broker", broker.url()).start();
        keep(status::destroyForcibly);
        assertTrue(status.waitFor(30, TimeUnit.SECONDS), "the launcher did not finish");
        String out = new String(status.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(status.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, status.exitValue(), out + err);
        assertEquals("", err);
        assertTrue(out.matches("HOST  NAME         STATE  SINCE                PLAYERS  VERSION\n"
                + "demo  Demo server  off    \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  -        -\n"), out);

        Process unknown = new ProcessBuilder(launcher.toString(), "wake", "nas", "--broker", broker.url()).start();
        keep(unknown::destroyForcibly);
        assertTrue(unknown.waitFor(30, TimeUnit.SECONDS), "the launcher did not finish");
        assertEquals("cubeguardian: Unknown host 'nas' (UNKNOWN_HOST)\n",
                new String(unknown.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(1, unknown.exitValue());

        Process help = new ProcessBuilder(launcher.toString(), "--help").start();
        keep(help::destroyForcibly);
        assertTrue(help.waitFor(30, TimeUnit.SECONDS), "the launcher did not finish");
        assertTrue(new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .startsWith("Usage: cubeguardian <command> [options]\n"));
        assertEquals(0, help.exitValue());
    }
}
