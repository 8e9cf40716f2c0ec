package dev.cubeguardian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP API from the outside: a real Mosquitto, the real worker, its management server,
 * java.net.http as the client. Each test is named for what a user (or an attacker) does and
 * asserts what they see, on HTTP and on the broker.
 */
class HttpApiIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TOKEN = "s3cret-token-" + UUID.randomUUID();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static MosquittoBroker broker;
    static TestSshServer ssh;
    static MagicPacketReceiver wol;
    static WorkerUnderTest worker;
    static MqttProbeClient client;
    static int management;
    static String api;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startWorkerWithTheApi() throws Exception {
        broker = new MosquittoBroker().start();
        ssh = new TestSshServer().start();
        wol = new MagicPacketReceiver();
        Path keys = TestSshServer.KEYS.toAbsolutePath();
        String known = ssh.knownHosts(dir, "host_ed25519").toString();
        String wolSection = "    wol: {broadcast: 127.0.0.1, port: " + wol.port() + ", packets: 1}\n";
        Path hosts = dir.resolve("hosts.yaml");
        Files.writeString(hosts, "version: 1\nhosts:\n"
                + "  pve:\n    mac: \"AA-BB-CC-DD-EE-FF\"\n    address: 127.0.0.1\n" + wolSection
                + "    probe: {method: tcp, port: " + ssh.port() + ", timeout: 1s}\n"
                // its SSH command never finishes within the API's wait: the 504 case
                + "  slow:\n    mac: \"AA-BB-CC-DD-EE-02\"\n    address: 127.0.0.1\n" + wolSection
                + "    ssh: {port: " + ssh.port() + ", user: hang, key-file: " + keys.resolve("client_ed25519")
                + ", known-hosts-file: " + known + ", timeout: 3s}\n");
        Path tokenFile = dir.resolve("api-token");
        Files.writeString(tokenFile, TOKEN + "\n");
        management = MosquittoBroker.freePort();
        worker = new WorkerUnderTest(Map.of(
                "cubeguardian.mqtt.url", broker.url(),
                "cubeguardian.mqtt.client-id", "http-it-" + UUID.randomUUID().toString().substring(0, 8),
                "cubeguardian.hosts-file", hosts.toString(),
                "cubeguardian.monitor.steady-interval", "1h",
                "camel.management.enabled", "true",
                "camel.management.port", Integer.toString(management),
                "cubeguardian.http-api.enabled", "true",
                "cubeguardian.http-api.token-file", tokenFile.toString(),
                "cubeguardian.http-api.max-pending", "4",
                "cubeguardian.http-api.wait", "1s")).start();
        api = "http://127.0.0.1:" + management + "/api/v1";
        client = new MqttProbeClient(broker.url(), "#");
        client.await(m -> m.topic().equals("cubeguardian/bridge/state") && m.text().equals("online"), WAIT);
        awaitApiReady();
    }

    private static void awaitApiReady() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (post("/hosts/pve/check", "").statusCode() == 503 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {client, worker, ssh, wol, broker}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @BeforeEach
    void clear() {
        client.clear();
        wol.clear();
    }

    // ---- commands ----------------------------------------------------------------------

    @Test
    void aWakeOverHttpAnswersTheResultAnMqttClientGetsAndTheMagicPacketArrives() throws Exception {
        // When
        HttpResponse<String> response = post("/hosts/pve/wake", "{\"id\":\"h-wake-1\",\"requested_by\":\"curl\"}");
        // Then
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode result = JSON.readTree(response.body());
        assertEquals("WOL_SENT", result.path("code").asText());
        assertEquals("h-wake-1", result.path("id").asText());
        assertTrue(result.path("success").asBoolean());
        JsonNode onTheBroker = client.result("cubeguardian/pve/result/wake", "h-wake-1", WAIT);
        assertEquals(onTheBroker, result, "the same JSON as on <base>/<host>/result/<action>");
        assertEquals(1, wol.awaitPackets(1, WAIT).size());
        // the command went where an MQTT client's would, with the body as it was sent
        MqttProbeClient.Received command = client.await(m -> m.topic().equals("cubeguardian/pve/cmd/wake"), WAIT);
        assertEquals("{\"id\":\"h-wake-1\",\"requested_by\":\"curl\"}", command.text());
    }

    @Test
    void aRepeatedIdIsAnsweredAsADuplicateAndNotRunAgain() throws Exception {
        JsonNode first = JSON.readTree(post("/hosts/pve/wake", "{\"id\":\"h-dup-1\"}").body());
        wol.awaitPackets(1, WAIT);
        // When
        HttpResponse<String> again = post("/hosts/pve/wake", "{\"id\":\"h-dup-1\"}");
        // Then
        assertEquals(200, again.statusCode());
        JsonNode repeat = JSON.readTree(again.body());
        assertTrue(repeat.path("duplicate").asBoolean(), again.body());
        assertEquals(first.path("timestamp"), repeat.path("timestamp"));
        Thread.sleep(300);
        assertEquals(1, wol.packets().size(), "the wake ran once");
    }

    @Test
    void aBodyWithoutAnIdGetsOneSoTheClientCanRetryWithIt() throws Exception {
        JsonNode empty = JSON.readTree(post("/hosts/pve/check", "").body());
        JsonNode noId = JSON.readTree(post("/hosts/pve/check", "{\"ttl_s\": 30}").body());
        assertEquals("CHECKED", empty.path("code").asText(), empty.toString());
        assertTrue(empty.path("id").asText().startsWith("http-"), empty.toString());
        assertEquals("CHECKED", noId.path("code").asText(), noId.toString());
        assertTrue(noId.path("id").asText().startsWith("http-"), noId.toString());
    }

    @Test
    void anUnknownHostOrActionGetsTheWorkersOwnAnswer() throws Exception {
        JsonNode host = JSON.readTree(post("/hosts/nosuchhost/wake", "{\"id\":\"h-unknown-1\"}").body());
        JsonNode action = JSON.readTree(post("/hosts/pve/explode", "{\"id\":\"h-unknown-2\"}").body());
        assertEquals("UNKNOWN_HOST", host.path("code").asText(), host.toString());
        assertEquals("UNKNOWN_ACTION", action.path("code").asText(), action.toString());
        assertEquals(client.result("cubeguardian/nosuchhost/result/wake", "h-unknown-1", WAIT), host);
    }

    @Test
    void aBodyThatIsNotJsonIsAnsweredInvalidCommandAsOnMqtt() throws Exception {
        HttpResponse<String> response = post("/hosts/pve/shutdown", "delay_minutes=5; reboot");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode result = JSON.readTree(response.body());
        assertEquals("INVALID_COMMAND", result.path("code").asText(), response.body());
        assertFalse(result.path("success").asBoolean());
        JsonNode wrongType = JSON.readTree(post("/hosts/pve/shutdown", "{\"delay_minutes\":\"5; reboot\"}").body());
        assertEquals("INVALID_COMMAND", wrongType.path("code").asText(), wrongType.toString());
        assertTrue(ssh.executed().isEmpty(), "nothing ran over SSH");
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413AndNothingIsSent() throws Exception {
        String big = "{\"id\":\"h-big\",\"pad\":\"" + "x".repeat(70_000) + "\"}";
        HttpResponse<String> response = post("/hosts/pve/wake", big);
        assertEquals(413, response.statusCode(), response.body());
        assertEquals("BODY_TOO_LARGE", JSON.readTree(response.body()).path("error").path("code").asText());
        assertNothingSentButAMarker();
    }

    @Test
    void aBodyThatIsNotDeclaredJsonIsRefusedWith415() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + "/hosts/pve/wake"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("id=h-form")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(415, response.statusCode(), response.body());
        assertNothingSentButAMarker();
    }

    @Test
    void aCommandWithoutAResultInTimeGets504WithItsIdAndARetryWithThatIdGetsTheResult() throws Exception {
        // When: the SSH command of host slow hangs until its 3 s time limit, the API waits 1 s
        HttpResponse<String> response = post("/hosts/slow/cancel", "{}");
        // Then
        assertEquals(504, response.statusCode(), response.body());
        JsonNode timeout = JSON.readTree(response.body());
        String id = timeout.path("id").asText();
        assertTrue(id.startsWith("http-"), response.body());
        assertEquals("RESULT_TIMEOUT", timeout.path("error").path("code").asText());
        client.result("cubeguardian/slow/result/cancel", id, WAIT);
        JsonNode retry = JSON.readTree(post("/hosts/slow/cancel", "{\"id\":\"" + id + "\"}").body());
        assertEquals(id, retry.path("id").asText(), retry.toString());
        assertEquals("SSH_TIMEOUT", retry.path("code").asText(), retry.toString());
        assertTrue(retry.path("duplicate").asBoolean(), retry.toString());
    }

    // ---- tokens ------------------------------------------------------------------------

    @Test
    void noTokenIsRefusedWith401AndAChallengeAndNothingIsSent() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + "/hosts/pve/wake"))
                .POST(HttpRequest.BodyPublishers.ofString("")).build(), HttpResponse.BodyHandlers.ofString());
        assertRefused(response, "missing Authorization");
        assertFalse(get("/hosts", null).statusCode() == 200, "states need the token too");
        assertNothingSentButAMarker();
    }

    @Test
    void aWrongTokenIsRefusedWith401AndNeverEchoed() throws Exception {
        String wrong = TOKEN.substring(0, TOKEN.length() - 1) + "X";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + "/hosts/pve/wake"))
                .header("Authorization", "Bearer " + wrong).POST(HttpRequest.BodyPublishers.ofString("")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertRefused(response, "wrong token");
        assertFalse(response.body().contains(wrong) || response.body().contains(TOKEN));
        assertEquals(401, get("/hosts", "Basic " + java.util.Base64.getEncoder().encodeToString(("x:" + TOKEN).getBytes()))
                .statusCode(), "only Bearer");
        assertNothingSentButAMarker();
    }

    @Test
    void aTokenInTheQueryStringIsRefusedEvenWhenRight() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(api + "/hosts/pve/wake?access_token=" + TOKEN)).POST(HttpRequest.BodyPublishers.ofString("")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertRefused(response, "never in the URL");
        assertNothingSentButAMarker();
    }

    @Test
    void guessingTokensFromOneAddressIsSlowedDownTo429WhileOtherAddressesAreServed() throws Exception {
        // When: an address (127.0.0.2) keeps trying tokens
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            statuses.add(rawStatus("127.0.0.2", "GET /api/v1/hosts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer guess-" + i
                    + "\r\nConnection: close\r\n\r\n"));
        }
        // Then: ten tries, then 429 even for the right token, and the other address is served
        assertEquals(10, statuses.stream().filter(s -> s == 401).count(), statuses.toString());
        assertEquals(5, statuses.stream().filter(s -> s == 429).count(), statuses.toString());
        assertEquals(429, rawStatus("127.0.0.2", "GET /api/v1/hosts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                + "\r\nConnection: close\r\n\r\n"));
        assertEquals(200, get("/hosts", "Bearer " + TOKEN).statusCode());
    }

    // ---- topic injection ---------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"pve%2Fcmd%2Fshutdown", "%2B", "%23", "pve%00", "..", "%2E%2E%2Fbridge", "PVE", "pve%20",
            "%24SYS", "h23456789012345678901234567890123456789012345678901234567890123456"})
    void aHostThatIsNotAHostIdIsRefusedBeforeAnythingReachesTheBroker(String host) throws Exception {
        HttpResponse<String> response = post("/hosts/" + host + "/shutdown", "{\"force\":true}");
        assertTrue(response.statusCode() == 400 || response.statusCode() == 404, response.statusCode() + " " + response.body());
        assertTrue(response.body().contains("\"error\""), response.body());
        assertNothingSentButAMarker();
    }

    @ParameterizedTest
    @ValueSource(strings = {"wake%2F..%2F..%2Fbridge%2Fstate", "%2B", "%23", "wake%00", "WAKE", "wake%2Fx", "%24share",
            "a23456789012345678901234567890123"})
    void anActionThatIsNotAPlainWordIsRefusedBeforeAnythingReachesTheBroker(String action) throws Exception {
        HttpResponse<String> response = post("/hosts/pve/" + action, "{}");
        assertTrue(response.statusCode() == 400 || response.statusCode() == 404, response.statusCode() + " " + response.body());
        assertNothingSentButAMarker();
    }

    @Test
    void extraPathLevelsAreNotAnApiPath() throws Exception {
        assertEquals(404, post("/hosts/pve/cmd/shutdown", "{}").statusCode());
        assertEquals(405, get("/hosts/pve/wake", "Bearer " + TOKEN).statusCode());
        assertNothingSentButAMarker();
    }

    // ---- states ------------------------------------------------------------------------

    @Test
    void theStatesOfEveryHostAreThoseOfTheRetainedStateMessages() throws Exception {
        post("/hosts/pve/check", "");
        MqttProbeClient.Received retained;
        try (MqttProbeClient fresh = new MqttProbeClient(broker.url(), "cubeguardian/pve/state")) {
            retained = fresh.await(m -> m.topic().equals("cubeguardian/pve/state") && m.retained(), WAIT);
        }
        HttpResponse<String> all = get("/hosts", "Bearer " + TOKEN);
        assertEquals(200, all.statusCode(), all.body());
        JsonNode hosts = JSON.readTree(all.body()).path("hosts");
        assertEquals(2, hosts.size(), all.body());
        assertEquals("pve", hosts.get(0).path("host").asText());
        assertEquals("slow", hosts.get(1).path("host").asText());
        JsonNode pve = JSON.readTree(get("/hosts/pve", "Bearer " + TOKEN).body());
        assertEquals(retained.json().path("state"), pve.path("state"));
        assertEquals(404, get("/hosts/nosuchhost", "Bearer " + TOKEN).statusCode());
    }

    // ---- floods ------------------------------------------------------------------------

    @Test
    void aFloodOfRequestsIsAnsweredQuicklyWithinItsBoundsAndMqttCommandsAreStillAnswered() throws Exception {
        // When: 200 requests at once over 200 HTTP/1.1 connections, with 4 allowed to wait
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            flood.add(http.sendAsync(request("/hosts/pve/check", "{\"id\":\"flood-" + i + "\"}"), HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> response : flood) {
            statuses.add(response.get().statusCode());
        }
        // Then: every request got 200 (a result) or 503 (refused at once), fast, and MQTT goes on
        assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 503), statuses.toString());
        assertTrue(statuses.contains(503), "more than 4 requests waited at once: " + statuses);
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(20)) < 0);
        client.publish("cubeguardian/pve/cmd/check", "{\"id\":\"after-flood\"}");
        assertEquals("CHECKED", client.result("cubeguardian/pve/result/check", "after-flood", WAIT).path("code").asText());
        assertEquals(200, post("/hosts/pve/check", "").statusCode());
    }

    @Test
    void aSlowlorisBodyIsCutOffWith408WhileOthersAreServed() throws Exception {
        try (Socket slow = new Socket("127.0.0.1", management)) {
            slow.setSoTimeout(20_000);
            OutputStream out = slow.getOutputStream();
            out.write(("POST /api/v1/hosts/pve/wake HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // meanwhile the API and MQTT are served
            assertEquals(200, get("/hosts", "Bearer " + TOKEN).statusCode());
            assertEquals("CHECKED", JSON.readTree(post("/hosts/pve/check", "").body()).path("code").asText());
            long start = System.nanoTime();
            String answer = new String(slow.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 408", answer);
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(15)) < 0);
        }
        assertTrue(client.all(m -> m.topic().equals("cubeguardian/pve/cmd/wake")).isEmpty(), "the cut-off wake was not sent");
    }

    // ---- helpers -----------------------------------------------------------------------

    private static void assertRefused(HttpResponse<String> response, String says) throws Exception {
        assertEquals(401, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), response.headers().toString());
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertEquals("UNAUTHORIZED", error.path("code").asText());
        assertTrue(error.path("message").asText().contains(says), response.body());
    }

    /** Sends a valid check as a marker: once its result is in, anything the refused request sent would be too. */
    private static void assertNothingSentButAMarker() throws Exception {
        String marker = "marker-" + UUID.randomUUID();
        assertEquals(200, post("/hosts/pve/check", "{\"id\":\"" + marker + "\"}").statusCode());
        client.result("cubeguardian/pve/result/check", marker, WAIT);
        List<String> commands = client.all(m -> m.topic().contains("/cmd/") || m.topic().contains("bridge/error")).stream()
                .map(m -> m.topic() + " " + m.text()).toList();
        assertEquals(List.of("cubeguardian/pve/cmd/check {\"id\":\"" + marker + "\"}"), commands);
    }

    private static HttpRequest request(String path, String body) {
        return HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(request(path, body), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return http.send(builder.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request from another loopback source address (java.net.http cannot choose one). */
    private static int rawStatus(String from, String request) throws Exception {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", management), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }
}
