package dev.cubeguardian.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.it.CountingListeners;
import dev.cubeguardian.it.MosquittoBroker;
import dev.cubeguardian.it.TestSshServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, fault 5: one run of the packaged worker with known secrets (broker password from a
 * file, an encrypted SSH key and its passphrase file, a Discord token in the environment),
 * through start, every action, bad input, a failing SSH call and a planned stop. No secret,
 * nor its base64, may appear in any log line or in any message published on '#'.
 */
class SecretsIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void noSecretAppearsInLogsOrOnTheBroker() throws Exception {
        String mqttPassword = "mqtt-Secret-" + UUID.randomUUID();
        String watcherPassword = "watch-" + UUID.randomUUID();
        String discordToken = "MTIzNDU2Nzg5MDEyMzQ1Njc4.Gfake." + UUID.randomUUID().toString().replace("-", "");
        Path passphraseFile = Faults.key("client_ed25519_encrypted.passphrase");
        String passphrase = Files.readString(passphraseFile).replaceFirst("\r?\n$", "");
        Map<String, String> users = new LinkedHashMap<>();
        users.put("cg-worker", mqttPassword);
        users.put("watcher", watcherPassword);

        try (SecureMosquitto broker = new SecureMosquitto(users);
                TestSshServer ssh = new TestSshServer().start();
                PacketCounter wol = new PacketCounter();
                CountingListeners up = new CountingListeners(1)) {
            Path known = ssh.knownHosts(dir, "host_ed25519");
            Path hosts = Faults.write(dir.resolve("hosts.yaml"), "version: 1\nhosts:\n"
                    + Faults.host("enc", 1, wol.port(), 1, up.port(0))
                    + Faults.ssh(ssh.port(), "enc", Faults.key("client_ed25519_encrypted"), passphraseFile, known, "3s")
                    + Faults.host("bad", 2, wol.port(), 1, up.port(0))
                    + Faults.ssh(ssh.port(), "bad", Faults.key("stranger_ed25519"), null, known, "3s"));
            Path passwordFile = Faults.write(dir.resolve("mqtt_password"), mqttPassword + "\n");
            Map<String, String> env = Map.of("CUBEGUARDIAN_MQTT_URL", broker.url(), "CUBEGUARDIAN_MQTT_USERNAME", "cg-worker",
                    "CUBEGUARDIAN_MQTT_PASSWORD_FILE", passwordFile.toString(), "CUBEGUARDIAN_MQTT_CLIENT_ID", "faults-secrets",
                    "CUBEGUARDIAN_HOSTS_FILE", hosts.toString(), "DISCORD_TOKEN", discordToken);

            try (Watcher watcher = new Watcher(broker.url(), "faults-secrets-watcher", "watcher",
                    watcherPassword.getBytes(StandardCharsets.UTF_8), "#");
                    Sender sender = new Sender(broker.url(), "watcher", watcherPassword.getBytes(StandardCharsets.UTF_8));
                    JarWorker worker = new JarWorker(dir, "secrets", env)) {
                watcher.await(m -> m.topic().equals("cubeguardian/bridge/state") && m.text().equals("online"), Duration.ofSeconds(60));

                Map<String, String> expected = new LinkedHashMap<>();
                expected.put("s-wake", "enc/wake {\"id\":\"s-wake\",\"requested_by\":\"secrets\"}|WOL_SENT");
                expected.put("s-check", "enc/check {\"id\":\"s-check\"}|CHECKED");
                expected.put("s-later", "enc/shutdown {\"id\":\"s-later\",\"delay_minutes\":5,\"force\":true}|SHUTDOWN_SCHEDULED");
                expected.put("s-cancel", "enc/cancel {\"id\":\"s-cancel\"}|SHUTDOWN_CANCELLED");
                expected.put("s-bad-input", "enc/shutdown {\"id\":\"s-bad-input\",\"delay_minutes\":\"5; cat /run/secrets/*\"}|INVALID_COMMAND");
                expected.put("s-ssh-fails", "bad/cancel {\"id\":\"s-ssh-fails\"}|SSH_AUTH_FAILED");
                expected.put("s-now", "enc/shutdown {\"id\":\"s-now\",\"force\":true}|SHUTDOWN_SENT");
                for (Map.Entry<String, String> e : expected.entrySet()) {
                    String[] sendAndCode = e.getValue().split("\\|");
                    String[] topicAndPayload = sendAndCode[0].split(" ", 2);
                    String[] hostAndAction = topicAndPayload[0].split("/");
                    assertTrue(sender.publish("cubeguardian/" + hostAndAction[0] + "/cmd/" + hostAndAction[1], topicAndPayload[1], null, 5_000));
                    assertEquals(sendAndCode[1], watcher.result(e.getKey(), WAIT).path("code").asText(), e.getKey());
                }
                sender.publish("cubeguardian/enc/cmd/wake", "not json " + "x".repeat(10), null, 5_000);
                sender.publish("cubeguardian/ENC/cmd/wake", "{}", null, 5_000);
                Thread.sleep(1_000);
                assertEquals(List.of("shutdown -h +5", "shutdown -c", "shutdown -h now"),
                        ssh.executed().stream().filter(x -> x.user().equals("enc")).map(TestSshServer.Executed::command).toList(),
                        "the encrypted key logged in with its passphrase");

                int exit = worker.stop(); // SIGTERM: the planned stop says offline itself
                Faults.log("secrets: worker exit status after SIGTERM %d", exit);
                watcher.await(m -> m.topic().equals("cubeguardian/bridge/state") && m.text().equals("offline"), WAIT);
                Thread.sleep(500);

                List<String> secrets = List.of(mqttPassword, passphrase, discordToken);
                List<String> forms = new ArrayList<>();
                for (String secret : secrets) {
                    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
                    forms.add(secret);
                    forms.add(Base64.getEncoder().encodeToString(bytes));
                    forms.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
                    forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
                }
                forms.add(Base64.getEncoder().encodeToString(("cg-worker:" + mqttPassword).getBytes(StandardCharsets.UTF_8)));
                String logs = worker.output();
                StringBuilder published = new StringBuilder();
                for (Watcher.Seen seen : watcher.all()) {
                    published.append(seen.topic()).append(' ').append(seen.text()).append('\n');
                }
                List<String> leaks = new ArrayList<>();
                for (String form : forms) {
                    if (logs.contains(form)) {
                        leaks.add("log: " + form);
                    }
                    if (published.indexOf(form) >= 0) {
                        leaks.add("mqtt: " + form);
                    }
                }
                long logLines = logs.lines().count();
                Faults.log("secrets: %d log lines, %d messages on '#', %d secret forms searched, leaks %s",
                        logLines, watcher.all().size(), forms.size(), leaks);
                assertTrue(logLines > 20, "the worker logged its run");
                assertTrue(logs.contains("s-ssh-fails") || logs.contains("Command cancel bad"), "the failing call is in the log");
                assertEquals(List.of(), leaks);
            }
        }
    }
}
