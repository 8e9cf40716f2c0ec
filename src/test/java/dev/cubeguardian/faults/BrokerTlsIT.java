package dev.cubeguardian.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.it.MosquittoBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS to a real Mosquitto, with a CA made by the test: the packaged worker and the CLI connect
 * when the URL names the broker as its certificate does, and refuse a name that is not in the
 * certificate and a certificate from a CA they do not trust. A refusal is one line that says what
 * is wrong (not Paho's "Untranslated MqttException", no stack trace), and the CLI exits 3.
 */
class BrokerTlsIT {

    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    static TestCa ca;
    static TestCa stranger;
    static TlsMosquitto broker;
    /** One port: 127.0.0.1 and 127.0.0.2 both listen on it, with the same certificate (localhost, 127.0.0.1). */
    static int port;
    /** A listener on 127.0.0.1 whose certificate is for another name only. */
    static int otherNamePort;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCa.create("homelab");
        stranger = TestCa.create("stranger");
        TestCa.Issued localhost = ca.issue("broker", "localhost", "DNS:localhost", "IP:127.0.0.1");
        TestCa.Issued otherName = ca.issue("other-broker", "broker.test", "DNS:broker.test");
        port = MosquittoBroker.freePort();
        otherNamePort = MosquittoBroker.freePort();
        broker = new TlsMosquitto(ca.certificate(), List.of(new TlsMosquitto.Listener("127.0.0.1", port, localhost),
                new TlsMosquitto.Listener("127.0.0.2", port, localhost),
                new TlsMosquitto.Listener("127.0.0.1", otherNamePort, otherName)));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {broker, ca, stranger}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void theWorkerAndTheCliConnectByANameInTheCertificate() throws Exception {
        String url = "ssl://localhost:" + port;
        try (Watcher watcher = new Watcher(broker.plainUrl(), "tls-ok-watcher", null, null, "tls-ok/#");
                JarWorker worker = worker("tls-ok", url, ca.certificate())) {
            watcher.await(m -> m.topic().equals("tls-ok/bridge/state") && m.text().equals("online"), START);
            assertTrue(worker.output().contains("Connected to MQTT broker " + url), worker.output());
            assertFalse(worker.output().contains("Cannot connect"), worker.output());

            for (String byName : List.of(url, "ssl://127.0.0.1:" + port)) {
                Run status = cli("status", "--broker", byName, "--ca-file", ca.certificate().toString(),
                        "--base-topic", "tls-ok", "--timeout", "10");
                assertEquals(0, status.exit(), status.toString());
                assertEquals(List.of(), status.err(), status.toString());
                assertTrue(status.out().stream().anyMatch(line -> line.startsWith("demo ")), status.toString());
            }
        }
    }

    @Test
    void aNameNotInTheCertificateIsRefusedAndSaidSo() throws Exception {
        String url = "ssl://127.0.0.2:" + port;
        String problem = "host name mismatch: 127.0.0.2, the name in the URL, is not in the broker's certificate";
        try (Watcher watcher = new Watcher(broker.plainUrl(), "tls-name-watcher", null, null, "tls-name/#");
                JarWorker worker = worker("tls-name", url, ca.certificate())) {
            assertRefusedAtStart(worker, url, problem);
            assertEquals(List.of(), watcher.all(), "the worker published nothing");
        }
        assertCliRefused(problem, "status", "--broker", url, "--ca-file", ca.certificate().toString());
        assertCliRefused("host name mismatch: localhost, the name in the URL, is not in the broker's certificate",
                "wake", "demo", "--broker", "ssl://localhost:" + otherNamePort, "--ca-file", ca.certificate().toString());
    }

    @Test
    void aCertificateFromACaNotTrustedIsRefusedAndSaidSo() throws Exception {
        String url = "ssl://localhost:" + port;
        String problem = "certificate not trusted (unknown CA): the broker's certificate is not signed by a trusted CA";
        try (Watcher watcher = new Watcher(broker.plainUrl(), "tls-ca-watcher", null, null, "tls-ca/#");
                JarWorker worker = worker("tls-ca", url, stranger.certificate())) {
            assertRefusedAtStart(worker, url, problem);
            assertEquals(List.of(), watcher.all(), "the worker published nothing");
        }
        assertCliRefused(problem, "status", "--broker", url, "--ca-file", stranger.certificate().toString());
        // without --ca-file the JVM's trust store decides: it does not know the test CA either
        assertCliRefused(problem, "status", "--broker", url);
    }

    private static JarWorker worker(String name, String url, Path caFile) throws IOException {
        return new JarWorker(dir, name, Map.of("CUBEGUARDIAN_MQTT_URL", url, "CUBEGUARDIAN_MQTT_CA_FILE", caFile.toString(),
                "CUBEGUARDIAN_MQTT_CLIENT_ID", name, "CUBEGUARDIAN_BASE_TOPIC", name));
    }

    /** The worker goes on (retrying), and its log says what is wrong: once, in one line, no stack trace. */
    private static void assertRefusedAtStart(JarWorker worker, String url, String problem) throws Exception {
        String expected = "BrokerRetryLog - Cannot connect to the MQTT broker at " + url + ": " + problem + "; retrying every 2 s";
        assertTrue(Faults.await(() -> output(worker).contains("BrokerRetryLog"), START), output(worker));
        // a few retries later: still one line for the four MQTT routes
        assertTrue(Faults.await(() -> output(worker).contains("Routes startup"), START), output(worker));
        Thread.sleep(4_500);
        String log = worker.output();
        List<String> lines = log.lines().filter(line -> line.contains("BrokerRetryLog")).toList();
        assertEquals(1, lines.size(), log);
        assertTrue(lines.get(0).endsWith(expected), lines.get(0));
        assertTrue(lines.get(0).contains(" WARN "), lines.get(0));
        assertTrue(worker.alive(), "a worker waits for its broker instead of exiting");
        for (String noise : List.of("Untranslated", "MqttException", "SSLHandshakeException", "PKIX", "\tat ", "Caused by")) {
            assertFalse(log.contains(noise), "'" + noise + "' in the log:\n" + log);
        }
        assertFalse(log.contains("Connected to MQTT broker"), log);
    }

    private static void assertCliRefused(String problem, String... args) throws Exception {
        Run run = cli(args);
        String url = args[List.of(args).indexOf("--broker") + 1];
        assertEquals(List.of("cubeguardian: cannot connect to the MQTT broker at " + url + ": " + problem), run.err(),
                run.toString());
        assertEquals(List.of(), run.out(), run.toString());
        assertEquals(3, run.exit(), run.toString());
    }

    private static String output(JarWorker worker) {
        try {
            return worker.output();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What one run of the packaged CLI printed and returned. */
    record Run(int exit, List<String> out, List<String> err) {
    }

    private static Run cli(String... args) throws Exception {
        Path jar = Path.of("target", "cubeguardian.jar").toAbsolutePath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "cli-", ".out");
        Path err = Files.createTempFile(dir, "cli-", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("CUBEGUARDIAN_"));
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the CLI did not exit: " + command);
        return new Run(process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
                Files.readAllLines(err, StandardCharsets.UTF_8));
    }
}
