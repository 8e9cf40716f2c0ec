package dev.cubeguardian.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.demo.MinecraftStatusResponder;
import dev.cubeguardian.demo.RecordingRconServer;
import dev.cubeguardian.it.MosquittoBroker;
import dev.cubeguardian.it.TestSshServer;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, a worker SIGKILL in the middle of an in-game countdown: the packaged worker is killed
 * after the first warning and started again. The host's own shutdown, scheduled as a backstop
 * when the countdown began, is then the only shutdown: the new worker neither stops the game nor
 * shuts the host down a second time when the countdown's time has passed. A cancel sent after
 * the restart still reaches the host (its SSH cancel-command), so the backstop is called off too.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BackstopAfterWorkerKillIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration START = Duration.ofSeconds(60);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    @Test
    void afterAKillMidCountdownTheBackstopIsTheOnlyShutdownAndACancelStillReachesTheHost() throws Exception {
        String password = "rcon-" + UUID.randomUUID();
        try (MosquittoBroker broker = new MosquittoBroker().start();
                TestSshServer ssh = new TestSshServer().start();
                MinecraftStatusResponder game = new MinecraftStatusResponder(LOOPBACK, 0, () -> new MinecraftStatusResponder.Status(
                        "1.21.4", 769, 0, 20, List.of(), "BackstopAfterWorkerKillIT")).start();
                RecordingRconServer rcon = new RecordingRconServer(LOOPBACK, 0, password, command ->
                        command.equals("list") ? "There are 0 of a max of 20 players online: " : "", false);
                Watcher watcher = new Watcher(broker.url(), "faults-countdown-watcher", null, null, "cubeguardian/#");
                Sender sender = new Sender(broker.url())) {
            Path passwordFile = Faults.write(dir.resolve("rcon_password"), password + "\n");
            Path hosts = Faults.write(dir.resolve("hosts.yaml"), "version: 1\nhosts:\n"
                    + Faults.host("mc", 1, 9, 1, ssh.port())
                    + Faults.ssh(ssh.port(), "mc", Faults.key("client_ed25519"), null, ssh.knownHosts(dir, "host_ed25519"), "5s")
                    + "    minecraft:\n      port: " + game.port() + "\n      timeout: 1s\n"
                    + "      rcon: {port: " + rcon.port() + ", password-file: " + passwordFile
                    + ", timeout: 2s, warnings: [55s, 50s], stop-timeout: 5s}\n");
            Map<String, String> env = Map.of("CUBEGUARDIAN_MQTT_URL", broker.url(), "CUBEGUARDIAN_MQTT_CLIENT_ID", "faults-countdown",
                    "CUBEGUARDIAN_HOSTS_FILE", hosts.toString(), "CUBEGUARDIAN_LOCALE", "en",
                    "CUBEGUARDIAN_MONITOR_FAST_INTERVAL", "500ms", "CUBEGUARDIAN_MONITOR_STEADY_INTERVAL", "2s");

            try (JarWorker first = start(watcher, dir, "countdown-1", env)) {
                assertTrue(sender.publish("cubeguardian/mc/cmd/shutdown", "{\"id\":\"before-kill\",\"delay_minutes\":1}", null, 5_000));
                JsonNode scheduled = watcher.result("before-kill", WAIT);
                assertEquals("SHUTDOWN_SCHEDULED", scheduled.path("code").asText(), scheduled.toString());
                Instant due = Instant.parse(scheduled.path("timestamp").asText()).plusSeconds(60);
                assertEquals(List.of("shutdown -h +2"), commandsOf(ssh), "the backstop: 1 minute and the stop-timeout");
                watcher.await(m -> isProgress(m, "warning_sent"), WAIT);
                assertEquals(List.of("say Server shutting down in 55 seconds"), said(rcon));

                first.kill();   // SIGKILL: the countdown dies with it
                Faults.log("countdown: worker killed %d s before the shutdown time",
                        Duration.between(Instant.now(), due).toSeconds());

                try (JarWorker second = start(watcher, dir, "countdown-2", env)) {
                    // past the countdown's time and its stop-timeout: nothing more may happen to the host
                    long waitMs = Duration.between(Instant.now(), due.plusSeconds(5 + 5)).toMillis();
                    Thread.sleep(Math.max(0, waitMs));
                    assertEquals(List.of("shutdown -h +2"), commandsOf(ssh), "no second shutdown after the restart");
                    assertEquals(List.of("say Server shutting down in 55 seconds"), said(rcon), "no warning, save or stop after the kill");
                    assertEquals(0, watcher.all(m -> isProgress(m, "game_saved") || isProgress(m, "command_sent")).size());

                    // the backstop is still pending on the host: a cancel after the restart reaches it
                    assertTrue(sender.publish("cubeguardian/mc/cmd/cancel", "{\"id\":\"after-restart\"}", null, 5_000));
                    JsonNode cancelled = watcher.result("after-restart", WAIT);
                    assertEquals("SHUTDOWN_CANCELLED", cancelled.path("code").asText(), cancelled.toString());
                    assertEquals(List.of("shutdown -h +2", "shutdown -c"), commandsOf(ssh));
                    Faults.log("countdown: %d messages seen, host ran %s, game heard %s", watcher.all().size(), commandsOf(ssh),
                            said(rcon));
                    String logs = first.output() + second.output();
                    assertTrue(!logs.contains(password), "the RCON password is in no log line");
                    second.stop();
                }
            }
        }
    }

    private static JarWorker start(Watcher watcher, Path dir, String name, Map<String, String> env) throws Exception {
        int before = online(watcher);
        JarWorker worker = new JarWorker(dir, name, env);
        assertTrue(Faults.await(() -> online(watcher) > before || !worker.alive(), START), "worker " + name + " did not say online");
        assertTrue(worker.alive(), worker.output());
        return worker;
    }

    private static int online(Watcher watcher) {
        return watcher.all(m -> m.topic().equals("cubeguardian/bridge/state") && m.text().equals("online")).size();
    }

    private static boolean isProgress(Watcher.Seen seen, String phase) {
        if (!seen.topic().equals("cubeguardian/mc/event")) {
            return false;
        }
        JsonNode event = seen.json();
        return event != null && event.path("type").asText().equals("progress") && event.path("phase").asText().equals(phase);
    }

    private static List<String> commandsOf(TestSshServer ssh) {
        return ssh.executed().stream().filter(e -> e.user().equals("mc")).map(TestSshServer.Executed::command).toList();
    }

    private static List<String> said(RecordingRconServer rcon) {
        return rcon.commands().stream().filter(command -> !command.equals("list")).toList();
    }
}
