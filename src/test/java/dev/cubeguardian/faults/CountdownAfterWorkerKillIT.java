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
 * Issue 12 and 13, a worker SIGKILL in the middle of an in-game countdown: the packaged worker is
 * killed after the first warning and started again. The countdown was kept on disk with the
 * command memory, so the new worker takes it up: at the shutdown time it saves and stops the
 * game and shuts the host down, once, under the original command id; the host's own backstop
 * stays as it was. A second host's countdown, cancelled after the restart, ends there: the
 * players hear it, the cancel reaches the host, nothing more happens to it.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CountdownAfterWorkerKillIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration START = Duration.ofSeconds(60);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    @Test
    void aCountdownCutByAKillGoesOnAfterTheRestartAndACancelAfterTheRestartStillEndsOne() throws Exception {
        String password = "rcon-" + UUID.randomUUID();
        try (MosquittoBroker broker = new MosquittoBroker().start();
                TestSshServer ssh = new TestSshServer().start();
                MinecraftStatusResponder gameA = game();
                MinecraftStatusResponder gameB = game();
                RecordingRconServer rconA = rcon(password);
                RecordingRconServer rconB = rcon(password);
                Watcher watcher = new Watcher(broker.url(), "faults-countdown-watcher", null, null, "cubeguardian/#");
                Sender sender = new Sender(broker.url())) {
            Path passwordFile = Faults.write(dir.resolve("rcon_password"), password + "\n");
            Path hosts = Faults.write(dir.resolve("hosts.yaml"), "version: 1\nhosts:\n"
                    + host("mca", 1, ssh, gameA, rconA, passwordFile) + host("mcb", 2, ssh, gameB, rconB, passwordFile));
            Map<String, String> env = Map.of("CUBEGUARDIAN_MQTT_URL", broker.url(), "CUBEGUARDIAN_MQTT_CLIENT_ID", "faults-countdown",
                    "CUBEGUARDIAN_HOSTS_FILE", hosts.toString(), "CUBEGUARDIAN_LOCALE", "en",
                    "CUBEGUARDIAN_MONITOR_FAST_INTERVAL", "500ms", "CUBEGUARDIAN_MONITOR_STEADY_INTERVAL", "2s");

            try (JarWorker first = start(watcher, dir, "countdown-1", env)) {
                assertTrue(sender.publish("cubeguardian/mca/cmd/shutdown", "{\"id\":\"a-kill\",\"delay_minutes\":1}", null, 5_000));
                assertTrue(sender.publish("cubeguardian/mcb/cmd/shutdown", "{\"id\":\"b-kill\",\"delay_minutes\":1}", null, 5_000));
                assertEquals("SHUTDOWN_SCHEDULED", watcher.result("a-kill", WAIT).path("code").asText());
                assertEquals("SHUTDOWN_SCHEDULED", watcher.result("b-kill", WAIT).path("code").asText());
                assertEquals(List.of("shutdown -h +2"), commandsOf(ssh, "mca"), "the backstop: 1 minute and the stop-timeout");
                watcher.await(m -> isProgress(m, "mca", "warning_sent"), WAIT);
                watcher.await(m -> isProgress(m, "mcb", "warning_sent"), WAIT);

                first.kill();   // SIGKILL: no goodbye, the countdown's memory is on disk

                try (JarWorker second = start(watcher, dir, "countdown-2", env)) {
                    // b: called off after the restart
                    assertTrue(sender.publish("cubeguardian/mcb/cmd/cancel", "{\"id\":\"b-cancel\"}", null, 5_000));
                    assertEquals("SHUTDOWN_CANCELLED", watcher.result("b-cancel", WAIT).path("code").asText());
                    assertTrue(Faults.await(() -> said(rconB).contains("say Shutdown cancelled"), WAIT), said(rconB).toString());

                    // a: at its time, the game is saved and stopped and the host shut down, under the original id
                    Watcher.Seen sent = watcher.await(m -> isProgress(m, "mca", "command_sent"), Duration.ofSeconds(90));
                    assertEquals("a-kill", sent.json().path("id").asText());
                    assertEquals(List.of("shutdown -h +2", "shutdown -h now"), commandsOf(ssh, "mca"), "one shutdown now, after the game stop");
                    assertEquals(1, said(rconA).stream().filter(c -> c.equals("save-all flush")).count(), said(rconA).toString());
                    assertEquals(1, said(rconA).stream().filter(c -> c.equals("stop")).count(), said(rconA).toString());
                    assertEquals(1, said(rconA).stream().filter(c -> c.equals("say Server shutting down in 55 seconds")).count(),
                            "a warning already said is not said again: " + said(rconA));

                    Thread.sleep(2_000);
                    assertEquals(List.of("shutdown -h +2", "shutdown -c"), commandsOf(ssh, "mcb"), "b: the backstop and its cancel only");
                    assertTrue(said(rconB).stream().noneMatch(c -> c.equals("save-all flush") || c.equals("stop")), said(rconB).toString());
                    String logs = first.output() + second.output();
                    assertTrue(!logs.contains(password), "the RCON password is in no log line");
                    second.stop();
                }
            }
        }
    }

    private static MinecraftStatusResponder game() throws Exception {
        return new MinecraftStatusResponder(LOOPBACK, 0, () -> new MinecraftStatusResponder.Status(
                "1.21.4", 769, 0, 20, List.of(), "CountdownAfterWorkerKillIT")).start();
    }

    private static RecordingRconServer rcon(String password) throws Exception {
        return new RecordingRconServer(LOOPBACK, 0, password, command ->
                command.equals("list") ? "There are 0 of a max of 20 players online: " : "", false);
    }

    private String host(String id, int mac, TestSshServer ssh, MinecraftStatusResponder game, RecordingRconServer rcon,
            Path passwordFile) throws Exception {
        return Faults.host(id, mac, 9, 1, ssh.port())
                + Faults.ssh(ssh.port(), id, Faults.key("client_ed25519"), null, ssh.knownHosts(dir, "host_ed25519"), "5s")
                + "    minecraft:\n      port: " + game.port() + "\n      timeout: 1s\n"
                + "      rcon: {port: " + rcon.port() + ", password-file: " + passwordFile
                + ", timeout: 2s, warnings: [55s, 50s], stop-timeout: 5s}\n";
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

    private static boolean isProgress(Watcher.Seen seen, String host, String phase) {
        if (!seen.topic().equals("cubeguardian/" + host + "/event")) {
            return false;
        }
        JsonNode event = seen.json();
        return event != null && event.path("type").asText().equals("progress") && event.path("phase").asText().equals(phase);
    }

    private static List<String> commandsOf(TestSshServer ssh, String host) {
        return ssh.executed().stream().filter(e -> e.user().equals(host)).map(TestSshServer.Executed::command).toList();
    }

    private static List<String> said(RecordingRconServer rcon) {
        return rcon.commands().stream().filter(command -> !command.equals("list")).toList();
    }
}
