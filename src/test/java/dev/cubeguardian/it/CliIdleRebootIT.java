package dev.cubeguardian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cubeguardian idle against the real worker, and reboot against a scripted stand-in that answers
 * cmd/reboot as mqtt-api.md says the worker does (its worker side is on another branch; an
 * end-to-end test follows the merge).
 */
class CliIdleRebootIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void idleOffForFourHoursIsAnsweredIdleUpdatedWithExitZero() throws Exception {
        Path hosts = dir.resolve("hosts.yaml");
        Files.writeString(hosts, "hosts:\n  pve:\n    name: Proxmox\n    mac: \"aabbccddee41\"\n    address: 127.0.0.1\n"
                + "    wol: {broadcast: 127.0.0.1, port: 9}\n    probe: {method: tcp, port: 9, timeout: 1s}\n"
                + "    idle: {enabled: true, after: 24h}\n");
        try (MosquittoBroker broker = new MosquittoBroker().start();
                MqttProbeClient watcher = new MqttProbeClient(broker.url(), "cubeguardian/#");
                WorkerUnderTest worker = new WorkerUnderTest(Map.of("cubeguardian.mqtt.url", broker.url(),
                        "cubeguardian.mqtt.client-id", "cli-idle-it", "cubeguardian.hosts-file", hosts.toString())).start()) {
            watcher.await(m -> m.topic().equals("cubeguardian/pve/state"), WAIT);

            Run off = cli("idle", "pve", "off", "--for", "4h", "--broker", broker.url());

            assertEquals(0, off.exit(), off.err());
            assertTrue(off.out().startsWith("Idle shutdown of Proxmox is off until 20"), off.out());
            assertEquals(240, watcher.await(m -> m.topic().equals("cubeguardian/pve/cmd/idle"), WAIT).json().get("for_minutes").asInt());
            Run on = cli("idle", "pve", "on", "--broker", broker.url());
            assertEquals(0, on.exit(), on.err());
        }
    }

    @Test
    void rebootWaitFollowsUntilOnlineAgainAndATimeoutExitsOne() throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker().start();
                MqttProbeClient standIn = new MqttProbeClient(broker.url(), "cubeguardian/+/cmd/reboot")) {
            standIn.publishRetained("cubeguardian/bridge/state", "online");
            for (String code : List.of("ONLINE", "STARTUP_TIMEOUT")) {
                standIn.clear();
                CompletableFuture<Run> run = CompletableFuture.supplyAsync(
                        () -> cli("reboot", "demo", "--wait", "--broker", broker.url(), "--timeout", "20"));
                String id = standIn.await(m -> m.topic().equals("cubeguardian/demo/cmd/reboot"), WAIT).json().get("id").asText();
                standIn.publish("cubeguardian/demo/result/reboot", "{\"v\":1,\"id\":\"" + id + "\",\"host\":\"demo\",\"action\":\"reboot\","
                        + "\"success\":true,\"code\":\"REBOOT_SENT\",\"message\":\"Restart of Demo server started\"}");
                for (String phase : List.of("command_sent", "went_down", "host_up")) {
                    standIn.publish("cubeguardian/demo/event", "{\"host\":\"demo\",\"type\":\"progress\",\"action\":\"reboot\",\"id\":\""
                            + id + "\",\"phase\":\"" + phase + "\",\"elapsed_s\":1}");
                }
                standIn.publish("cubeguardian/demo/event", "{\"host\":\"demo\",\"type\":\"completed\",\"action\":\"reboot\",\"id\":\""
                        + id + "\",\"success\":" + code.equals("ONLINE") + ",\"code\":\"" + code + "\",\"elapsed_s\":7}");
                Run done = run.get(30, TimeUnit.SECONDS);
                String last = code.equals("ONLINE") ? "demo: online after 7 s" : "demo: not online after 7 s (STARTUP_TIMEOUT)";
                assertEquals("Restart of Demo server started\ndemo: reboot command sent (1 s)\ndemo: host went down (1 s)\n"
                        + "demo: host is up (1 s)\n" + last + "\n", done.out());
                assertEquals(code.equals("ONLINE") ? 0 : 1, done.exit(), done.err());
            }
        }
    }
}
