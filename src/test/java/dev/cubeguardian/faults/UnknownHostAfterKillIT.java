package dev.cubeguardian.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, "exactly one answer to a command for a host nobody owns", when the worker that
 * answers it is killed -9: packaged workers on a real Mosquitto. "wa" ranks before "wb" (worker
 * ids in order), so wa answers unknown hosts and wb holds each such command until it sees the
 * answer, or wa's Last Will.
 */
class UnknownHostAfterKillIT {

    private static final String B = ScaleOutLab.BASE;
    private static final Duration WAIT = Duration.ofSeconds(20);
    // "the other carries on within 5 s"
    private static final Duration TAKEOVER = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private ScaleOutLab lab;

    @AfterEach
    void closeAll() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void theAnsweringWorkerKilledWhileAnUnknownHostCommandWaitsItsGraceLeavesExactlyOneAnswerToTheOther() throws Exception {
        lab = new ScaleOutLab(dir, "unknown-kill");
        JarWorker a = lab.start("unknown-kill-a", "wa", null, lab.inventory("hosts-a.yaml", List.of("a1")));
        lab.start("unknown-kill-b", "wb", null, lab.inventory("hosts-b.yaml", List.of("b1")));

        // both alive: answered once, and a kill after the answer does not bring a second one
        lab.send("nohost", "check", "{\"id\":\"u-before\"}");
        lab.watcher.result("u-before", WAIT);

        // killed within the 1 s grace: the commands wa held die with it
        lab.send("nohost", "check", "{\"id\":\"u-kill\"}");
        lab.send("ghost", "wake", "");   // no id: the worker makes one, so it is counted by its topic
        long sent = System.nanoTime();
        a.kill();
        long killedMs = (System.nanoTime() - sent) / 1_000_000;
        assertTrue(killedMs < 1_000, "killed " + killedMs + " ms after sending, within its grace");
        lab.watcher.result("u-kill", TAKEOVER);
        long answeredMs = (System.nanoTime() - sent) / 1_000_000;
        assertTrue(Faults.await(() -> results(B + "/ghost/result/wake").size() == 1, TAKEOVER), "the id-less wake answered");

        Thread.sleep(3_000);   // a second answer would be here by now
        assertEquals(List.of(B + "/nohost/result/check UNKNOWN_HOST"), answers("u-before"), "answered once before the kill");
        assertEquals(List.of(B + "/nohost/result/check UNKNOWN_HOST"), answers("u-kill"), "answered once by the survivor");
        assertEquals(List.of("UNKNOWN_HOST"), results(B + "/ghost/result/wake"), "the id-less command answered once");
        Faults.log("unknown host after kill -9: answered by the survivor %d ms after sending (killed at %d ms)", answeredMs,
                killedMs);
    }

    private List<String> answers(String id) {
        return lab.watcher.all(m -> (m.topic().contains("/result/") || m.topic().equals(B + "/bridge/error"))
                && m.json() != null && id.equals(m.json().path("id").asText(null)))
                .stream().map(m -> m.topic() + " " + m.json().path("code").asText()).toList();
    }

    private List<String> results(String topic) {
        return lab.watcher.all(m -> m.topic().equals(topic) && m.json() != null)
                .stream().map(m -> m.json().path("code").asText()).toList();
    }
}
