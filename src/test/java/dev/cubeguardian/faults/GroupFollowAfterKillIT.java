package dev.cubeguardian.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.it.MosquittoBroker;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: a client that asked the share group to wake one host and shut another down waits
 * for their {@code completed} events. The active member answers both and is killed (kill -9)
 * before either host got there. The member that takes over follows both to the end, under the
 * original ids: one {@code completed} each, {@code ONLINE} and {@code OFFLINE}, and no command run
 * again (packets and SSH commands counted at the receivers).
 */
@Tag("alone")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class GroupFollowAfterKillIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    @Test
    void aWakeAndAShutdownAnsweredByAMemberKilledBeforeTheyEndedCompleteOnceUnderTheirIdsAtTheOtherMember() throws Exception {
        int slowPort = MosquittoBroker.freePort();
        try (ScaleOutLab lab = new ScaleOutLab(dir, "group-follow");
                ServerSocket stillUp = new ServerSocket(0, 50, LOOPBACK)) {
            Path hosts = Faults.write(dir.resolve("hosts.yaml"), "version: 1\nhosts:\n"
                    + Faults.host("slow", 1, lab.wol.port(), 1, slowPort)
                    + Faults.host("going", 2, lab.wol.port(), 1, stillUp.getLocalPort())
                    + Faults.ssh(lab.ssh.port(), "going", Faults.key("client_ed25519"), null, lab.ssh.knownHosts(dir, "host_ed25519"), "5s"));
            Map<String, String> env = Map.of("CUBEGUARDIAN_MONITOR_FAST_INTERVAL", "500ms", "CUBEGUARDIAN_MONITOR_STEADY_INTERVAL", "2s");
            Thread accepting = acceptAll(stillUp);

            long begin = System.nanoTime();
            JarWorker one = lab.start("group-follow-one", "one", "lab", hosts, env);
            lab.awaitRole("one", "active", begin, WAIT);
            long second = System.nanoTime();
            lab.start("group-follow-two", "two", "lab", hosts, env);
            lab.awaitRole("two", "standby", second, WAIT);
            assertTrue(Faults.await(() -> "online".equals(stateOf(lab, "going")), WAIT), "going is up first");

            lab.send("slow", "wake", "{\"id\":\"wake-slow\"}");
            lab.send("going", "shutdown", "{\"id\":\"stop-going\",\"force\":true}");
            assertEquals("WOL_SENT", lab.watcher.result("wake-slow", WAIT).path("code").asText());
            assertEquals("SHUTDOWN_SENT", lab.watcher.result("stop-going", WAIT).path("code").asText());
            Thread.sleep(1_500);   // the results' and states' way to the standby

            long killed = System.nanoTime();
            one.kill();
            lab.awaitRole("two", "active", killed, WAIT);

            // the hosts get there after the takeover: one comes up, the other goes down
            try (ServerSocket up = new ServerSocket()) {
                up.bind(new InetSocketAddress(LOOPBACK, slowPort));
                Thread accepted = acceptAll(up);
                stillUp.close();
                JsonNode online = completed(lab, "slow", "wake-slow");
                assertEquals("ONLINE", online.path("code").asText(), online.toString());
                JsonNode off = completed(lab, "going", "stop-going");
                assertEquals("OFFLINE", off.path("code").asText(), off.toString());
                Thread.sleep(3_000);
                assertEquals(1, completions(lab, "slow", "wake-slow").size(), "one completed for the wake");
                assertEquals(1, completions(lab, "going", "stop-going").size(), "one completed for the shutdown");
                assertEquals(1, lab.wol.count(Faults.mac(1)), "the wake's packet, not sent again by the member that took over");
                assertEquals(1, lab.sshRuns("going"), "the shutdown ran once");
                accepted.interrupt();
            }
            accepting.interrupt();
        }
    }

    private static String stateOf(ScaleOutLab lab, String host) {
        List<Watcher.Seen> states = lab.watcher.all(m -> m.topic().equals("cubeguardian/" + host + "/state"));
        return states.isEmpty() ? null : states.get(states.size() - 1).json().path("state").asText();
    }

    private static JsonNode completed(ScaleOutLab lab, String host, String id) throws InterruptedException {
        assertTrue(Faults.await(() -> !completions(lab, host, id).isEmpty(), WAIT), "no completed for " + id + "; events: "
                + lab.watcher.all(m -> m.topic().equals("cubeguardian/" + host + "/event")).stream().map(Watcher.Seen::text).toList());
        return completions(lab, host, id).get(0);
    }

    private static List<JsonNode> completions(ScaleOutLab lab, String host, String id) {
        return lab.watcher.all(m -> m.topic().equals("cubeguardian/" + host + "/event")).stream().map(Watcher.Seen::json)
                .filter(e -> e != null && e.path("type").asText().equals("completed") && e.path("id").asText().equals(id)).toList();
    }

    /** Accepts and closes every connection, as a host that is up does for the probe. */
    private static Thread acceptAll(ServerSocket socket) {
        Thread thread = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    socket.accept().close();
                } catch (java.io.IOException closed) {
                    return;
                }
            }
        }, "accept-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
