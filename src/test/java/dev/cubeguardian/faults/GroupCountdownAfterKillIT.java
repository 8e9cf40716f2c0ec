package dev.cubeguardian.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.demo.MinecraftStatusResponder;
import dev.cubeguardian.demo.RecordingRconServer;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 with issue 12: the share group's active member is killed (kill -9) during an in-game
 * countdown, the user cancels the shutdown through the member that took over, and the killed
 * member comes back, as a standby, with the countdown still on its disk. It must not take the
 * countdown up: no more warnings, no game stop, no shutdown of the host the user kept up. The
 * host's backstop and its cancel are the only commands the host gets. Meanwhile the killed
 * member's Last Will says it is gone, and its schedule is run by the member that took over,
 * each time once.
 */
@Tag("alone")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class GroupCountdownAfterKillIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    @Test
    void aMemberBackAsStandbyDoesNotResumeTheCountdownTheUserCancelledThroughTheActiveOne() throws Exception {
        String password = "rcon-" + UUID.randomUUID();
        try (ScaleOutLab lab = new ScaleOutLab(dir, "group-countdown");
                MinecraftStatusResponder game = new MinecraftStatusResponder(LOOPBACK, 0, () -> new MinecraftStatusResponder.Status(
                        "1.21.4", 769, 0, 20, List.of(), "GroupCountdownAfterKillIT")).start();
                RecordingRconServer rcon = new RecordingRconServer(LOOPBACK, 0, password,
                        command -> command.equals("list") ? "There are 0 of a max of 20 players online: " : "", false)) {
            Path passwordFile = Faults.write(dir.resolve("rcon_password"), password + "\n");
            Path hosts = Faults.write(dir.resolve("hosts.yaml"), "version: 1\nhosts:\n"
                    + Faults.host("mc", 1, lab.wol.port(), 1, lab.ssh.port())
                    + Faults.ssh(lab.ssh.port(), "mc", Faults.key("client_ed25519"), null, lab.ssh.knownHosts(dir, "host_ed25519"), "5s")
                    + "    minecraft:\n      port: " + game.port() + "\n      timeout: 1s\n"
                    + "      rcon: {port: " + rcon.port() + ", password-file: " + passwordFile
                    + ", timeout: 2s, warnings: [55s, 45s, 35s, 25s], stop-timeout: 5s}\n"
                    // the duties move with the role: a schedule time after the kill is asked for once, by the new active member
                    + "    schedule:\n      - {cron: \"* * * * *\", action: check}\n");
            Map<String, String> env = Map.of("CUBEGUARDIAN_LOCALE", "en", "CUBEGUARDIAN_MONITOR_FAST_INTERVAL", "500ms",
                    "CUBEGUARDIAN_MONITOR_STEADY_INTERVAL", "2s");

            long begin = System.nanoTime();
            JarWorker one = lab.start("group-countdown-one", "one", "lab", hosts, env);
            lab.awaitRole("one", "active", begin, WAIT);
            long second = System.nanoTime();
            lab.start("group-countdown-two", "two", "lab", hosts, env);
            lab.awaitRole("two", "standby", second, WAIT);

            assertTrue(lab.sender.publish("cubeguardian/mc/cmd/shutdown", "{\"id\":\"stop-tonight\",\"delay_minutes\":1}", null, 5_000));
            JsonNode scheduled = lab.watcher.result("stop-tonight", WAIT);
            assertEquals("SHUTDOWN_SCHEDULED", scheduled.path("code").asText(), scheduled.toString());
            long due = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            assertTrue(Faults.await(() -> said(rcon).contains("say Server shutting down in 55 seconds"), WAIT), said(rcon).toString());

            long killed = System.nanoTime();
            one.kill();   // SIGKILL: the countdown stays on one's disk
            lab.awaitRole("two", "active", killed, WAIT);
            assertEquals("offline", lab.lastState("one", killed), "the killed member's Last Will");
            assertEquals("offline", lab.retained("cubeguardian/bridge/workers/one/state").get(0).text());
            assertTrue(lab.sender.publish("cubeguardian/mc/cmd/cancel", "{\"id\":\"keep-it-up\"}", null, 5_000));
            assertEquals("SHUTDOWN_CANCELLED", lab.watcher.result("keep-it-up", WAIT).path("code").asText());
            List<String> saidAtTheCancel = said(rcon);

            long back = System.nanoTime();
            JarWorker oneAgain = lab.start("group-countdown-one-again", "one", "lab", hosts, env);
            lab.awaitRole("one", "standby", back, WAIT);

            // past the countdown's time and its stop-timeout: whatever a resumed countdown would do is done by now
            long left = due + Duration.ofSeconds(10).toNanos() - System.nanoTime();
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(left)));
            Thread.sleep(2_000);   // a schedule time just passed is answered by now
            assertEquals(List.of("shutdown -h +2", "shutdown -c"), commandsOf(lab), "the backstop and its cancel, nothing after");
            assertEquals(saidAtTheCancel, said(rcon).subList(0, Math.min(said(rcon).size(), saidAtTheCancel.size())));
            List<String> after = said(rcon).subList(saidAtTheCancel.size(), said(rcon).size());
            assertTrue(after.stream().noneMatch(c -> c.startsWith("say Server shutting down") || c.equals("save-all flush")
                    || c.equals("stop")), "the game heard more of a cancelled countdown: " + after);
            assertTrue(oneAgain.output().contains("left to the share group's active worker"), oneAgain.output());

            // every schedule time after the kill: asked for once, answered once (a minute has passed since)
            List<String> asked = lab.watcher.all(m -> m.topic().equals("cubeguardian/mc/cmd/check") && m.atNanos() > killed)
                    .stream().map(m -> m.json().path("id").asText()).toList();
            assertTrue(!asked.isEmpty(), "a schedule time passed after the kill and nobody asked for it");
            for (String id : asked) {
                assertTrue(id.startsWith("sched-mc-check-"), id);
                assertEquals(1, asked.stream().filter(id::equals).count(), "asked for twice: " + asked);
                lab.watcher.result(id, WAIT);
                assertEquals(1, lab.watcher.results(id).stream().filter(r -> !r.path("duplicate").asBoolean()).count(),
                        id + " answered once: " + lab.watcher.results(id));
            }
        }
    }

    private static List<String> commandsOf(ScaleOutLab lab) {
        return lab.ssh.executed().stream().filter(e -> e.user().equals("mc")).map(e -> e.command()).toList();
    }

    private static List<String> said(RecordingRconServer rcon) {
        return rcon.commands().stream().filter(command -> !command.equals("list")).toList();
    }
}
