package dev.cubeguardian.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.demo.MinecraftStatusResponder;
import dev.cubeguardian.demo.RecordingRconServer;
import dev.cubeguardian.it.MosquittoBroker;
import dev.cubeguardian.it.TestSshServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The other side of CountdownAfterWorkerKillIT: {@code CUBEGUARDIAN_DATA_DIR=none}, so nothing
 * is kept on disk. A delayed shutdown of a host with {@code minecraft.rcon} has its in-game
 * countdown under way when the worker is killed (SIGKILL). The restarted worker knows nothing of
 * it: no warning, no game stop, no shutdown of its own at the countdown's time; the host's own
 * backstop ({@code shutdown -h +N}, sent when the shutdown was asked) is the only shutdown the SSH
 * server ever ran. And a cancel after the restart still cancels a second host's backstop.
 */
@Timeout(value = 170, unit = TimeUnit.SECONDS)
class BackstopWithoutMemoryIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration START = Duration.ofSeconds(60);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void withNothingKeptOnDiskTheHostsOwnBackstopShutsItDownOnceAndACancelStillWorks() throws Exception {
        String password = "rcon-" + UUID.randomUUID();
        try (MosquittoBroker broker = new MosquittoBroker().start();
                TestSshServer ssh = new TestSshServer().start();
                MinecraftStatusResponder gameA = game();
                MinecraftStatusResponder gameB = game();
                RecordingRconServer rconA = rcon(password);
                RecordingRconServer rconB = rcon(password);
                Watcher watcher = new Watcher(broker.url(), "faults-backstop-watcher", null, null, "cubeguardian/#");
                Sender sender = new Sender(broker.url())) {
            Path passwordFile = Faults.write(dir.resolve("rcon_password"), password + "\n");
            Path hosts = Faults.write(dir.resolve("hosts.yaml"), "version: 1\nhosts:\n"
                    + host("mca", 1, ssh, gameA, rconA, passwordFile) + host("mcb", 2, ssh, gameB, rconB, passwordFile));
            Map<String, String> env = Map.of("CUBEGUARDIAN_MQTT_URL", broker.url(), "CUBEGUARDIAN_MQTT_CLIENT_ID", "faults-backstop",
                    "CUBEGUARDIAN_HOSTS_FILE", hosts.toString(), "CUBEGUARDIAN_LOCALE", "en", "CUBEGUARDIAN_DATA_DIR", "none",
                    "CUBEGUARDIAN_MONITOR_FAST_INTERVAL", "500ms", "CUBEGUARDIAN_MONITOR_STEADY_INTERVAL", "2s");

            try (JarWorker first = start(watcher, dir, "backstop-1", env)) {
                long asked = System.nanoTime();
                assertTrue(sender.publish("cubeguardian/mca/cmd/shutdown", "{\"id\":\"a-kill\",\"delay_minutes\":1}", null, 5_000));
                assertTrue(sender.publish("cubeguardian/mcb/cmd/shutdown", "{\"id\":\"b-kill\",\"delay_minutes\":1}", null, 5_000));
                assertEquals("SHUTDOWN_SCHEDULED", watcher.result("a-kill", WAIT).path("code").asText());
                assertEquals("SHUTDOWN_SCHEDULED", watcher.result("b-kill", WAIT).path("code").asText());
                assertEquals(List.of("shutdown -h +2"), commandsOf(ssh, "mca"), "the backstop: 1 minute and the stop-timeout");
                assertEquals(List.of("shutdown -h +2"), commandsOf(ssh, "mcb"));
                watcher.await(m -> isProgress(m, "mca", "warning_sent"), WAIT);
                watcher.await(m -> isProgress(m, "mcb", "warning_sent"), WAIT);
                List<String> saidBeforeKill = said(rconA);

                first.kill();   // SIGKILL: with nothing on disk, the countdown is gone with the process
                long killed = System.nanoTime();

                try (JarWorker second = start(watcher, dir, "backstop-2", env)) {
                    // b: called off after the restart; the SSH cancel reaches the host's backstop
                    assertTrue(sender.publish("cubeguardian/mcb/cmd/cancel", "{\"id\":\"b-cancel\"}", null, 5_000));
                    assertEquals("SHUTDOWN_CANCELLED", watcher.result("b-cancel", WAIT).path("code").asText());
                    assertEquals(List.of("shutdown -h +2", "shutdown -c"), commandsOf(ssh, "mcb"), "b: the backstop, then its cancel");

                    // a: past the countdown's time and its stop-timeout, the worker did nothing of its own
                    long due = asked + Duration.ofMinutes(1).plus(STOP_TIMEOUT).plusSeconds(5).toNanos();
                    Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
                    assertEquals(List.of("shutdown -h +2"), commandsOf(ssh, "mca"),
                            "the host's own backstop is the only shutdown: the worker scheduled none of its own");
                    assertEquals(saidBeforeKill, said(rconA), "nothing said or done in the game after the kill");
                    assertTrue(said(rconA).stream().noneMatch(c -> c.equals("save-all flush") || c.equals("stop")), said(rconA).toString());
                    assertTrue(said(rconB).stream().noneMatch(c -> c.equals("save-all flush") || c.equals("stop")), said(rconB).toString());
                    assertEquals(List.of(), watcher.all(m -> m.atNanos() > killed && m.topic().endsWith("/event")
                            && m.json() != null && m.json().path("id").asText().equals("a-kill")).stream().map(Watcher.Seen::text).toList(),
                            "no progress of a-kill after the restart: the countdown was not resumed");
                    assertEquals(0, watcher.all(m -> m.atNanos() > killed && m.topic().endsWith("/cmd/shutdown")).size(),
                            "no shutdown requested by the worker");
                    Thread.sleep(1_000);
                    assertEquals(List.of("shutdown -h +2", "shutdown -c"), commandsOf(ssh, "mcb"), "b: nothing more");
                    String logs = first.output() + second.output();
                    assertTrue(logs.contains("CUBEGUARDIAN_DATA_DIR=none: nothing is kept"), logs);
                    assertFalse(second.output().contains("resuming"), second.output());
                    assertFalse(Files.exists(dir.resolve("data")), "nothing written beside the inventory");
                    assertFalse(logs.contains(password), "the RCON password is in no log line");
                    Faults.log("backstop without memory: said in the game of a %s, of b %s (before the kill only)", said(rconA), said(rconB));
                    second.stop();
                }
            }
        }
    }

    private static MinecraftStatusResponder game() throws Exception {
        return new MinecraftStatusResponder(LOOPBACK, 0, () -> new MinecraftStatusResponder.Status(
                "1.21.4", 769, 0, 20, List.of(), "BackstopWithoutMemoryIT")).start();
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
                + ", timeout: 2s, warnings: [55s, 50s], stop-timeout: " + STOP_TIMEOUT.toSeconds() + "s}\n";
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
