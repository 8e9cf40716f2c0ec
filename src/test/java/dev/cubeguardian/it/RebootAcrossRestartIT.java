package dev.cubeguardian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reboot being followed when the worker stops is followed again by the next run, from the
 * store on disk: it still ends with its {@code completed} event and the original command id,
 * and the host is not rebooted a second time.
 */
class RebootAcrossRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aRebootUnderWayWhenTheWorkerStopsCompletesOnlineWithItsIdAfterTheRestart() throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker().start();
                SwitchablePort probePort = new SwitchablePort();
                TestSshServer ssh = new TestSshServer().start()) {
            ssh.onExecute(run -> {
                try {
                    probePort.down();   // the host goes dark, and stays so until the test brings it back
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Path keys = TestSshServer.KEYS.toAbsolutePath();
            Path hosts = dir.resolve("hosts.yaml");
            Files.writeString(hosts, "hosts:\n  pve:\n    mac: \"aabbccddee41\"\n    address: 127.0.0.1\n"
                    + "    wol: {broadcast: 127.0.0.1, port: 9}\n"
                    + "    probe: {method: tcp, port: " + probePort.port() + ", timeout: 500ms}\n"
                    + "    ssh:\n      port: " + ssh.port() + "\n      user: pve\n      key-file: " + keys.resolve("client_ed25519")
                    + "\n      known-hosts-file: " + ssh.knownHosts(dir, "host_ed25519") + "\n"
                    + "    timeouts: {startup: 2m}\n");
            Map<String, String> settings = Map.of("cubeguardian.mqtt.url", broker.url(),
                    "cubeguardian.mqtt.client-id", "reboot-restart-it", "cubeguardian.hosts-file", hosts.toString(),
                    "cubeguardian.monitor.fast-interval", "200ms", "cubeguardian.monitor.steady-interval", "1s",
                    "cubeguardian.monitor.down-confirmations", "2");
            try (MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/#")) {
                // Given a reboot that has gone down when the worker stops
                try (WorkerUnderTest first = new WorkerUnderTest(settings).start()) {
                    client.await(m -> m.topic().equals("cubeguardian/pve/state") && "online".equals(m.json().path("state").asText()),
                            WAIT);
                    client.publish("cubeguardian/pve/cmd/reboot", "{\"id\":\"across-1\"}");
                    assertEquals("REBOOT_SENT", client.result("cubeguardian/pve/result/reboot", "across-1", WAIT).get("code").asText());
                    client.await(m -> m.topic().equals("cubeguardian/pve/event") && "went_down".equals(m.json().path("phase").asText()),
                            WAIT);
                }
                assertEquals(0, client.all(m -> m.topic().equals("cubeguardian/pve/event")
                        && "completed".equals(m.json().path("type").asText())).size());

                // When the host is back by the time the next run starts
                probePort.up();
                try (WorkerUnderTest second = new WorkerUnderTest(settings).start()) {
                    // Then that run completes the reboot, with its id, and runs nothing again
                    JsonNode completed = client.await(m -> m.topic().equals("cubeguardian/pve/event")
                            && "completed".equals(m.json().path("type").asText()), WAIT).json();
                    assertEquals("across-1", completed.get("id").asText());
                    assertEquals("reboot", completed.get("action").asText());
                    assertEquals("ONLINE", completed.get("code").asText(), completed.toString());
                    assertTrue(completed.get("success").asBoolean());
                    assertEquals(List.of(new TestSshServer.Executed("pve", "reboot")), ssh.executed());
                }
            }
        }
    }
}
