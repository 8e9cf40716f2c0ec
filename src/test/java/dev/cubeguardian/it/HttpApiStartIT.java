package dev.cubeguardian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API at start: off unless enabled, and never without its token file; its token never in the logs. */
class HttpApiStartIT {

    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path dir;

    @Test
    void theApiIsOffByDefaultAndTheHealthAndMetricsEndpointsAreUnaffected() throws Exception {
        int management = MosquittoBroker.freePort();
        MosquittoBroker broker = new MosquittoBroker().start();
        try (WorkerUnderTest worker = new WorkerUnderTest(Map.of(
                "cubeguardian.mqtt.url", broker.url(),
                "cubeguardian.mqtt.client-id", "http-off-" + UUID.randomUUID().toString().substring(0, 8),
                "camel.management.enabled", "true", "cubeguardian.demo.gateway-port", "0",
                "camel.management.port", Integer.toString(management))).start()) {
            String base = "http://127.0.0.1:" + management;
            HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/hosts"))
                    .header("Authorization", "Bearer anything-at-all-here").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, api.statusCode());
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/hosts/demo/wake"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, post.statusCode());
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/observe/health/live")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        } finally {
            broker.close();
        }
    }

    @Test
    void enabledWithAMissingTokenFileTheWorkerDoesNotStartAndSaysWhy() throws Exception {
        MosquittoBroker broker = new MosquittoBroker().start();
        Path missing = dir.resolve("no-such-token");
        try {
            WorkerUnderTest worker = new WorkerUnderTest(Map.of(
                    "cubeguardian.mqtt.url", broker.url(),
                    "cubeguardian.mqtt.client-id", "http-notoken-" + UUID.randomUUID().toString().substring(0, 8),
                    "camel.management.enabled", "true", "cubeguardian.demo.gateway-port", "0",
                    "camel.management.port", Integer.toString(MosquittoBroker.freePort()),
                    "cubeguardian.http-api.enabled", "true",
                    "cubeguardian.http-api.token-file", missing.toString()));
            Exception refused = assertThrows(Exception.class, worker::start);
            worker.close();
            String messages = messages(refused);
            assertTrue(messages.contains("CUBEGUARDIAN_HTTP_API_TOKEN_FILE") && messages.contains(missing.toString()), messages);

            WorkerUnderTest unset = new WorkerUnderTest(Map.of(
                    "cubeguardian.mqtt.url", broker.url(),
                    "cubeguardian.mqtt.client-id", "http-unset-" + UUID.randomUUID().toString().substring(0, 8),
                    "camel.management.enabled", "true", "cubeguardian.demo.gateway-port", "0",
                    "camel.management.port", Integer.toString(MosquittoBroker.freePort()),
                    "cubeguardian.http-api.enabled", "true"));
            String unsetMessages = messages(assertThrows(Exception.class, unset::start));
            unset.close();
            assertTrue(unsetMessages.contains("needs CUBEGUARDIAN_HTTP_API_TOKEN_FILE"), unsetMessages);
        } finally {
            broker.close();
        }
    }

    @Test
    void theTokenIsInNoLogLineAndNoMetric() throws Exception {
        String token = "never-log-me-" + UUID.randomUUID();
        Path file = Files.writeString(dir.resolve("token"), token + "\n");
        int management = MosquittoBroker.freePort();
        MosquittoBroker broker = new MosquittoBroker().start();
        try (LogLines log = new LogLines();
                WorkerUnderTest worker = new WorkerUnderTest(Map.of(
                        "cubeguardian.mqtt.url", broker.url(),
                        "cubeguardian.mqtt.client-id", "http-log-" + UUID.randomUUID().toString().substring(0, 8),
                        "camel.management.enabled", "true", "cubeguardian.demo.gateway-port", "0",
                        "camel.management.port", Integer.toString(management),
                        "cubeguardian.http-api.enabled", "true",
                        "cubeguardian.http-api.token-file", file.toString())).start()) {
            String base = "http://127.0.0.1:" + management;
            for (String authorization : new String[] {"Bearer " + token, "Bearer " + token + "x"}) {
                http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/hosts")).header("Authorization", authorization).build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertFalse(metrics.contains(token));
            assertTrue(metrics.contains("cubeguardian_http_api_responses_total{status=\"200\"} 1.0"), metrics);
            assertTrue(metrics.contains("cubeguardian_http_api_responses_total{status=\"401\"} 1.0"), metrics);
            assertTrue(metrics.contains("cubeguardian_http_api_pending 0.0"), metrics);
            assertTrue(log.all().stream().anyMatch(line -> line.contains("HTTP API on http://127.0.0.1:" + management)),
                    log.all().toString());
            assertTrue(log.all().stream().noneMatch(line -> line.contains(token)), "the token was logged");
        } finally {
            broker.close();
        }
    }

    @Test
    void underTheShippedBrokerAclTheApisCommandsAndRepliesGetThrough() throws Exception {
        // Given: Mosquitto with the compose stack's ACL (docker/mosquitto/acl), and the worker's user only
        try (AclBroker broker = new AclBroker(Files.readString(Path.of("docker/mosquitto/acl")));
                WorkerUnderTest worker = broker.worker()) {
            // When
            HttpResponse<String> response = broker.untilConnected("demo");
            // Then: the command got through the ACL, and its reply on replies/cubeguardian/... came back
            assertEquals(200, response.statusCode(), response.body() + broker.log());
            assertTrue(response.body().contains("\"code\":\"CHECKED\""), response.body());
        }
    }

    @Test
    void aCommandTheBrokerRefusesIsAnswered503AtOnceNotAfterTheWait() throws Exception {
        // Given: an ACL that lets the worker command the demo host only
        String acl = String.join("\n", "user cubeguardian", "topic read cubeguardian/+/cmd/#", "topic write cubeguardian/demo/#",
                "topic write cubeguardian/bridge/#", "topic write cubeguardian/nosuch/result/#", "topic write homeassistant/#",
                "topic write replies/#", "pattern read replies/%u/#", "");
        try (AclBroker broker = new AclBroker(acl); WorkerUnderTest worker = broker.worker()) {
            assertEquals(200, broker.untilConnected("demo").statusCode());
            // When
            long start = System.nanoTime();
            HttpResponse<String> refused = broker.check("nosuch");
            // Then
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("the broker refused the command"), refused.body());
            assertTrue(java.time.Duration.ofNanos(System.nanoTime() - start).toSeconds() < 5, "answered at once");
        }
    }

    /** Mosquitto with a password for the worker's user and the given ACL; the worker with the API against it. */
    private final class AclBroker implements AutoCloseable {
        private final Path home;
        private final Process process;
        private final int port;
        private final String password = "worker-" + UUID.randomUUID();
        private final String token = "acl-token-" + UUID.randomUUID();
        private final int management;

        AclBroker(String acl) throws Exception {
            home = Files.createDirectories(dir.resolve("broker-" + UUID.randomUUID()));
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            Path passwords = home.resolve("passwd");
            Process make = new ProcessBuilder("mosquitto_passwd", "-b", "-c", passwords.toString(), "cubeguardian", password)
                    .redirectErrorStream(true).start();
            assertEquals(0, make.waitFor());
            Path aclFile = Files.writeString(home.resolve("acl"), acl);
            for (Path file : new Path[] {passwords, aclFile}) {
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
            port = MosquittoBroker.freePort();
            management = MosquittoBroker.freePort();
            Path config = Files.writeString(home.resolve("mosquitto.conf"), String.join("\n",
                    "listener " + port + " 127.0.0.1", "allow_anonymous false", "set_tcp_nodelay true",
                    "password_file " + passwords, "acl_file " + aclFile, "log_dest stderr", ""));
            process = new ProcessBuilder("mosquitto", "-c", config.toString()).redirectErrorStream(true)
                    .redirectOutput(home.resolve("log").toFile()).start();
        }

        WorkerUnderTest worker() throws Exception {
            Path passwordFile = Files.writeString(home.resolve("mqtt-password"), password + "\n");
            Path tokenFile = Files.writeString(home.resolve("token"), token);
            return new WorkerUnderTest(Map.of(
                    "cubeguardian.mqtt.url", "tcp://127.0.0.1:" + port,
                    "cubeguardian.mqtt.username", "cubeguardian",
                    "cubeguardian.mqtt.password-file", passwordFile.toString(),
                    "cubeguardian.mqtt.client-id", "http-acl-" + UUID.randomUUID().toString().substring(0, 8),
                    "camel.management.enabled", "true", "cubeguardian.demo.gateway-port", "0",
                    "camel.management.port", Integer.toString(management),
                    "cubeguardian.http-api.enabled", "true",
                    "cubeguardian.http-api.token-file", tokenFile.toString())).start();
        }

        HttpResponse<String> check(String host) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/api/v1/hosts/" + host + "/check"))
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        /** The first answer that is not 503 (the API's connection still being made), or the last 503. */
        HttpResponse<String> untilConnected(String host) throws Exception {
            HttpResponse<String> response = check(host);
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
            while (response.statusCode() == 503 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                response = check(host);
            }
            return response;
        }

        String log() throws Exception {
            return Files.readString(home.resolve("log"));
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            process.waitFor();
        }
    }

    private static String messages(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            text.append(cause.getMessage()).append(" | ");
        }
        return text.toString();
    }
}
