package dev.cubeguardian.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cubeguardian.config.InvalidSettingException;
import dev.cubeguardian.demo.MinecraftStatusResponder;
import dev.cubeguardian.it.MagicPacketReceiver;
import dev.cubeguardian.it.MosquittoBroker;
import dev.cubeguardian.it.MqttProbeClient;
import dev.cubeguardian.it.WorkerUnderTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Minecraft gateway of a real worker (in-process, real Mosquitto) attacked from loopback the
 * way the internet would: junk, oversized and slow handshakes, floods, a login storm, hostile
 * player names. Each attack is checked for what its sender sees, for what the worker publishes,
 * and for an honest player being served right after.
 *
 * <p>One worker for the class, one host per scenario, so no test's wake or flood touches another's:
 * <ul>
 * <li>guarded: asleep, wake-on never (nothing an attack does can wake it), custom sleeping MOTD</li>
 * <li>storm: asleep, anyone may wake it</li>
 * <li>hostile: asleep, no cooldown, a 2 s start-up timeout: every login may wake it again</li>
 * <li>picky: asleep, only alice and Bob_2 may wake it</li>
 * <li>online: a status-only server up (MinecraftStatusResponder)</li>
 * <li>echo: "online" with a byte echo server as its game, for byte-exact proxy checks</li>
 * <li>proxied: like echo, with proxy-protocol: true</li>
 * </ul>
 */
// both cores for itself: see the failsafe executions in pom.xml
@Tag("alone")
class GatewayAbuseIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> HOSTS = List.of("guarded", "storm", "hostile", "picky", "online", "echo", "proxied");

    @TempDir
    static Path dir;

    private static MosquittoBroker broker;
    private static MagicPacketReceiver magic;
    private static MinecraftStatusResponder responder;
    private static EchoServer echo;
    private static EchoServer proxiedEcho;
    private static WorkerUnderTest worker;
    private static int management;
    private static final Map<String, Integer> GATEWAY = new HashMap<>();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startWorker() throws Exception {
        broker = new MosquittoBroker().start();
        magic = new MagicPacketReceiver();
        responder = new MinecraftStatusResponder(InetAddress.getLoopbackAddress(), 0, () -> new MinecraftStatusResponder.Status(
                "Paper 1.21.4", 769, 2, 40, List.of("alice", "bob"), "A real server")).start();
        echo = new EchoServer(32 * 1024);
        proxiedEcho = new EchoServer();
        for (String host : HOSTS) {
            GATEWAY.put(host, MosquittoBroker.freePort());
        }
        int closed = closedPort();
        StringBuilder yaml = new StringBuilder("hosts:\n");
        yaml.append(host("guarded", "Guarded", 1, closed, closed, "wake-on: never\nmotd-sleeping: \"Zzz \\\"guarded\\\" \\u00e9\"\n", ""));
        yaml.append(host("storm", "Storm", 2, closed, closed, "", ""));
        yaml.append(host("hostile", "Hostile", 3, closed, closed, "wake-cooldown: 0s\n", "timeouts: {startup: 2s}\n"));
        yaml.append(host("picky", "Picky", 4, closed, closed, "allow: [alice, Bob_2]\n", ""));
        yaml.append(host("online", "Online", 5, responder.port(), responder.port(), "", ""));
        yaml.append(host("echo", "Echo", 6, echo.port(), echo.port(), "", ""));
        yaml.append(host("proxied", "Proxied", 7, proxiedEcho.port(), proxiedEcho.port(), "proxy-protocol: true\n", ""));
        Path hosts = dir.resolve("hosts.yaml");
        Files.writeString(hosts, yaml.toString());
        management = MosquittoBroker.freePort();
        try (MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/+/state")) {
            worker = new WorkerUnderTest(Map.of(
                    "cubeguardian.mqtt.url", broker.url(),
                    "cubeguardian.mqtt.client-id", "gateway-abuse-it",
                    "cubeguardian.hosts-file", hosts.toString(),
                    "cubeguardian.monitor.fast-interval", "200ms",
                    "cubeguardian.monitor.steady-interval", "1s",
                    "camel.management.enabled", "true",
                    "camel.management.port", Integer.toString(management))).start();
            for (String host : HOSTS) {
                String expected = host.equals("online") || host.equals("echo") || host.equals("proxied") ? "online" : "off";
                client.await(m -> m.topic().equals("cubeguardian/" + host + "/state")
                        && expected.equals(m.json().path("state").asText()), WAIT);
            }
        }
    }

    @AfterAll
    static void stopWorker() throws Exception {
        if (worker != null) {
            worker.close();
        }
        for (AutoCloseable closeable : new AutoCloseable[] {echo, proxiedEcho, responder, magic, broker}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    private static String host(String id, String name, int n, int probePort, int minecraftPort, String gateway, String extra) {
        return "  " + id + ":\n    name: " + name + "\n    mac: \"02aabbccdd0" + n + "\"\n    address: 127.0.0.1\n"
                + "    wol: {broadcast: 127.0.0.1, port: " + magic.port() + "}\n"
                + "    probe: {method: tcp, port: " + probePort + ", timeout: 1s}\n"
                + "    minecraft:\n      port: " + minecraftPort + "\n      timeout: 1s\n      gateway:\n"
                + "        listen: 127.0.0.1:" + GATEWAY.get(id) + "\n"
                + gateway.lines().map(line -> "        " + line + "\n").collect(Collectors.joining())
                + extra.lines().map(line -> "    " + line + "\n").collect(Collectors.joining());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return probe.getLocalPort();
        }
    }

    private static int port(String host) {
        return GATEWAY.get(host);
    }

    /** An honest player's server list ping right after an attack: answered in full, pong included. */
    private static void anHonestPlayerIsServed(String host) throws IOException {
        JsonNode status = JSON.readTree(MinecraftClient.status(port(host), 769));
        assertEquals(769, status.at("/version/protocol").asInt(), status.toString());
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    private static List<MqttProbeClient.Received> commands(MqttProbeClient client) {
        return client.all(m -> m.topic().matches("cubeguardian/[^/]+/cmd/.*"));
    }

    // --- junk ------------------------------------------------------------------------------------

    @Test
    void anHttpRequestIsClosedAtOnceAndTheNextPlayerIsServed() throws Exception {
        try (MinecraftClient attacker = MinecraftClient.connect(port("guarded"))) {
            long started = System.nanoTime();
            attacker.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            assertTrue(attacker.closedWithin(Duration.ofSeconds(2)), "closed, and not one byte answered");
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(2).toNanos(), "not left to the handshake time");
        }
        anHonestPlayerIsServed("guarded");
    }

    @Test
    void aTlsClientHelloIsClosedAndTheNextPlayerIsServed() throws Exception {
        // the start of a real TLS 1.2/1.3 ClientHello (record header, handshake header, version, random)
        byte[] hello = Wire.concat(Wire.bytes(0x16, 0x03, 0x01, 0x00, 0xC8, 0x01, 0x00, 0x00, 0xC4, 0x03, 0x03),
                new byte[32], Wire.bytes(0x20), new byte[32], Wire.bytes(0x00, 0x02, 0x13, 0x01, 0x01, 0x00));
        try (MinecraftClient attacker = MinecraftClient.connect(port("guarded"))) {
            attacker.send(hello);

            assertTrue(attacker.closedWithin(Duration.ofSeconds(2)));
        }
        anHonestPlayerIsServed("guarded");
    }

    @Test
    void randomBytesAreClosedAndTheNextPlayerIsServed() throws Exception {
        Random random = new Random(20261202);
        for (int i = 0; i < 10; i++) {
            byte[] junk = new byte[2048];
            random.nextBytes(junk);
            try (MinecraftClient attacker = MinecraftClient.connect(port("guarded"))) {
                attacker.send(junk);

                // closed at the latest by the handshake time; never answered
                assertTrue(attacker.closedWithin(FirstContact.HANDSHAKE_TIME.plusSeconds(2)), "junk " + i);
            }
        }
        anHonestPlayerIsServed("guarded");
    }

    @Test
    void aHandshakeOverOneKibibyteIsClosedAndTheNextPlayerIsServed() throws Exception {
        // a well-formed handshake whose address makes it 1.5 KiB
        byte[] big = Wire.handshake(769, "é".repeat(700), 25565, Wire.STATUS);
        assertTrue(big.length > 1400);
        try (MinecraftClient attacker = MinecraftClient.connect(port("guarded"))) {
            attacker.send(big);

            assertTrue(attacker.closedWithin(Duration.ofSeconds(2)));
        }
        // only its length: refused before a byte of it is read
        try (MinecraftClient attacker = MinecraftClient.connect(port("guarded"))) {
            attacker.send(Wire.varInt(1025));

            assertTrue(attacker.closedWithin(Duration.ofSeconds(2)));
        }
        anHonestPlayerIsServed("guarded");
    }

    @Test
    void aSlowlorisHandshakeIsClosedWithinFiveSecondsWhileAnotherPlayerIsServedMeanwhile() throws Exception {
        byte[] handshake = Wire.concat(Wire.handshake(769, "mc.example.org", 25565, Wire.STATUS), Wire.statusRequest());
        AtomicReference<Long> closedAfterMillis = new AtomicReference<>();
        try (MinecraftClient attacker = MinecraftClient.connect(port("guarded"))) {
            long started = System.nanoTime();
            Thread slow = new Thread(() -> {
                try {
                    for (byte b : handshake) {
                        attacker.output().write(b);
                        attacker.output().flush();
                        Thread.sleep(1_000);
                    }
                } catch (IOException | InterruptedException cut) {
                    // the gateway hung up: that is the point
                }
            }, "slowloris");
            slow.setDaemon(true);
            slow.start();

            // meanwhile another player's server list is answered at once
            Thread.sleep(1_500);
            long before = System.nanoTime();
            anHonestPlayerIsServed("guarded");
            assertTrue(System.nanoTime() - before < Duration.ofSeconds(2).toNanos(), "the slow one holds nobody up");

            assertTrue(attacker.closedWithin(Duration.ofSeconds(8)), "closed");
            closedAfterMillis.set(Duration.ofNanos(System.nanoTime() - started).toMillis());
            slow.interrupt();
        }
        long millis = closedAfterMillis.get();
        assertTrue(millis >= 4_500 && millis <= 6_500, "closed " + millis + " ms after connecting, expected about 5 s");
        anHonestPlayerIsServed("guarded");
    }

    @Test
    void aPacketDeclaredOverTwoMebibytesIsClosedWithoutBeingSentOrRead() throws Exception {
        int threeMebibytes = 3 * 1024 * 1024;
        // as the first packet
        try (MinecraftClient attacker = MinecraftClient.connect(port("guarded"))) {
            attacker.send(Wire.varInt(threeMebibytes));
            assertTrue(attacker.closedWithin(Duration.ofSeconds(2)), "the length alone is enough");
        }
        // after a handshake, in the status conversation
        try (MinecraftClient attacker = MinecraftClient.connect(port("guarded"))) {
            attacker.send(Wire.handshake(769, "mc.example.org", 25565, Wire.STATUS), Wire.varInt(threeMebibytes), new byte[16]);
            assertTrue(attacker.closedWithin(Duration.ofSeconds(2)));
        }
        // as a login start
        try (MinecraftClient attacker = MinecraftClient.connect(port("guarded"))) {
            attacker.send(Wire.handshake(769, "mc.example.org", 25565, Wire.LOGIN), Wire.varInt(threeMebibytes), new byte[16]);
            assertTrue(attacker.closedWithin(Duration.ofSeconds(2)));
        }
        anHonestPlayerIsServed("guarded");
    }

    @Test
    void aFloodOfConnectionsFromOneAddressIsCutAtItsLimitWhileAnotherAddressIsServed() throws Exception {
        InetAddress flooder = MinecraftClient.nextSource();
        List<MinecraftClient> held = new ArrayList<>();
        try {
            // eight connections at once, saying nothing: all taken
            for (int i = 0; i < AddressLimiter.MAX_OPEN_PER_ADDRESS; i++) {
                held.add(MinecraftClient.connect(flooder, port("guarded")));
            }
            for (MinecraftClient connection : held) {
                assertFalse(connection.closedWithin(Duration.ofMillis(50)), "within the limit");
            }

            // the ninth is closed at once, before the handshake time could have done it
            try (MinecraftClient ninth = MinecraftClient.connect(flooder, port("guarded"))) {
                assertTrue(ninth.closedWithin(Duration.ofSeconds(2)));
            }

            // a player from another address is served meanwhile
            anHonestPlayerIsServed("guarded");
        } finally {
            for (MinecraftClient connection : held) {
                connection.close();
            }
        }

        // and opening connections in a loop runs out of the address's bucket
        InetAddress looper = MinecraftClient.nextSource();
        int closedAtOnce = 0;
        for (int i = 0; i < AddressLimiter.BURST + 10; i++) {
            try (MinecraftClient connection = MinecraftClient.connect(looper, port("guarded"))) {
                connection.send(Wire.handshake(769, "mc", 25565, Wire.STATUS), Wire.statusRequest());
                connection.readPacket(1 << 20);
            } catch (IOException refused) {
                closedAtOnce++;
            }
        }
        assertTrue(closedAtOnce >= 5, closedAtOnce + " of " + (AddressLimiter.BURST + 10) + " refused");
        anHonestPlayerIsServed("guarded");
    }

    // --- asleep ------------------------------------------------------------------------------

    @Test
    void aStatusPingWhileAsleepShowsTheSleepingMotdAndTheClientsOwnProtocol() throws Exception {
        for (int protocol : new int[] {47, 340, 769}) {
            JsonNode status = json(MinecraftClient.status(port("guarded"), protocol));

            assertEquals("Zzz \"guarded\" é", status.at("/description/text").asText());
            assertEquals(protocol, status.at("/version/protocol").asInt());
            assertEquals(0, status.at("/players/online").asInt());
            assertEquals("CubeGuardian", status.at("/version/name").asText(), "never seen up since the worker started");
        }
        try (MinecraftClient old = MinecraftClient.connect(port("guarded"))) {
            assertEquals("§1\u0000127\u0000CubeGuardian\u0000Zzz \"guarded\" é\u00000\u00000",
                    old.legacyAnswer(Wire.legacyPing16("127.0.0.1", port("guarded"))));
        }
    }

    @Test
    void aLoginWithWakeOnNeverIsRefusedAndWakesNothing() throws Exception {
        try (MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/#")) {
            String reason = MinecraftClient.login(port("guarded"), 769, "alice");

            assertEquals("Guarded is asleep, and joining does not wake it. Ask an admin to start it.", json(reason).path("text").asText());
            JsonNode event = client.await(m -> m.topic().equals("cubeguardian/guarded/event")
                    && "gateway_login".equals(m.json().path("type").asText()), WAIT).json();
            assertEquals("not_allowed", event.path("outcome").asText());
            assertEquals("wake_on_never", event.path("reason").asText());
            assertEquals(List.of(), commands(client));
        }
    }

    @Test
    void aLoginStormFromFortyAddressesWhileAsleepSendsExactlyOneWake() throws Exception {
        int players = 40;
        try (MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/#")) {
            ExecutorService pool = Executors.newFixedThreadPool(players);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> answers = new ArrayList<>();
            try {
                for (int i = 0; i < players; i++) {
                    InetAddress source = MinecraftClient.loopback(0x01_00 + 10 + i); // 127.0.1.10 ...
                    String name = "player" + i;
                    answers.add(pool.submit(() -> {
                        try (MinecraftClient player = MinecraftClient.connect(source, port("storm"))) {
                            go.await();
                            return json(player.loginConversation(769, name)).path("text").asText();
                        }
                    }));
                }
                go.countDown();
                List<String> texts = new ArrayList<>();
                for (Future<String> answer : answers) {
                    texts.add(answer.get(30, TimeUnit.SECONDS));
                }

                // every player is told it is starting and when to come back
                for (String text : texts) {
                    assertTrue(text.startsWith("Storm ") && text.contains(" Join again in about 2 minutes."), text);
                }
                assertEquals(1, texts.stream().filter(t -> t.equals("Storm is starting up. Join again in about 2 minutes.")).count(),
                        texts.toString());
            } finally {
                pool.shutdownNow();
            }

            // exactly one wake on the broker, from the gateway, for this host
            JsonNode wake = client.await(m -> m.topic().equals("cubeguardian/storm/cmd/wake"), WAIT).json();
            assertTrue(wake.path("id").asText().matches("gw-[a-z0-9_-]+-[0-9]{12}"), wake.toString());
            assertTrue(wake.path("requested_by").asText().matches("gateway:player\\d+"), wake.toString());
            JsonNode result = client.result("cubeguardian/storm/result/wake", wake.path("id").asText(), WAIT);
            assertEquals("WOL_SENT", result.path("code").asText());
            List<JsonNode> events = awaitEvents(client, "storm", players);
            Map<String, Long> outcomes = events.stream().collect(Collectors.groupingBy(e -> e.path("outcome").asText(),
                    Collectors.counting()));
            assertEquals(1L, outcomes.get("wake_requested"), outcomes.toString());
            assertEquals(players - 1L, outcomes.getOrDefault("cooldown", 0L) + outcomes.getOrDefault("starting", 0L), outcomes.toString());
            // a moment later still one: nothing was queued behind it
            client.await(m -> m.topic().equals("cubeguardian/storm/state") && "waking".equals(m.json().path("state").asText()), WAIT);
            assertEquals(1, client.all(m -> m.topic().equals("cubeguardian/storm/cmd/wake")).size());
            assertEquals(1, commands(client).size(), commands(client).toString());

            // and once it is waking, a late player is told so, without another wake
            assertEquals("Storm is already starting up. Join again in about 2 minutes.",
                    json(MinecraftClient.login(port("storm"), 769, "late")).path("text").asText());
            awaitEvents(client, "storm", players + 1);
            assertEquals(1, commands(client).size());
        }
    }

    private static List<JsonNode> awaitEvents(MqttProbeClient client, String host, int count) {
        AtomicReference<List<JsonNode>> events = new AtomicReference<>();
        await().atMost(WAIT).until(() -> {
            events.set(client.all(m -> m.topic().equals("cubeguardian/" + host + "/event")
                    && "gateway_login".equals(m.json().path("type").asText())).stream().map(MqttProbeClient.Received::json).toList());
            return events.get().size() >= count;
        });
        return events.get();
    }

    /**
     * Names a client may send that look like JSON, paths, topic wildcards, escapes: each must end
     * up as the literal name in a wake for this host and in its event, and nothing else may be
     * published. (No control characters: the gateway refuses those as no Minecraft name.)
     */
    @Test
    void aHostilePlayerNameCannotMakeTheWorkerPublishAnythingButAWakeForItsHost() throws Exception {
        List<String> names = List.of(
                "\",\"id\":\"x\",\"a\":",  // closes the string, adds fields
                "a\\\"}],\"b\":[{\\\\",     // backslashes and escapes
                "../storm/cmd/#+",          // a topic, wildcards
                "名前\uD83D\uDE00'\"\\é\u2028x",  // unicode, a line separator
                "${jndi:ldap://x}");        // the famous one, in 16 characters
        for (String name : names) {
            assertTrue(name.length() <= 16, name + " is " + name.length());
        }
        Set<String> wakeIds = new java.util.HashSet<>();
        try (MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/#")) {
            for (String name : names) {
                // each from the sleeping (or unreachable, after the 2 s start-up timeout) state
                awaitAsleep(client);

                String reason = MinecraftClient.login(port("hostile"), 769, name);
                assertEquals("Hostile is starting up. Join again in about 2 minutes.", json(reason).path("text").asText());

                JsonNode wake = client.await(m -> m.topic().equals("cubeguardian/hostile/cmd/wake")
                        && ("gateway:" + name).equals(m.json().path("requested_by").asText()), WAIT).json();
                assertEquals(Set.of("id", "requested_by"), fields(wake), wake.toString());
                JsonNode result = client.result("cubeguardian/hostile/result/wake", wake.path("id").asText(), WAIT);
                assertEquals("WOL_SENT", result.path("code").asText(), "the wake was taken as any client's: " + result);
                // wake-cooldown 0s here: each of these wakes is a new command, not a repeat answered
                // from memory (a minute's id made all of them one, and no magic packet went out)
                assertFalse(result.path("duplicate").asBoolean(false), "a new wake, not a repeat: " + result);
                assertTrue(wakeIds.add(wake.path("id").asText()), "a new id for each wake: " + wakeIds);
                JsonNode event = client.await(m -> m.topic().equals("cubeguardian/hostile/event")
                        && "gateway_login".equals(m.json().path("type").asText())
                        && name.equals(m.json().path("player").asText()), WAIT).json();
                assertEquals("wake_requested", event.path("outcome").asText());
                // wait for the 2 s start-up timeout, so the next name wakes it again
                client.await(m -> m.topic().equals("cubeguardian/hostile/event") && "completed".equals(m.json().path("type").asText())
                        && wake.path("id").asText().equals(m.json().path("id").asText()), WAIT);
            }

            // a name with a control character (here NEL, U+0085) is no Minecraft name: the
            // connection is closed, and nothing is claimed or published for it
            awaitAsleep(client);
            try (MinecraftClient sneaky = MinecraftClient.connect(port("hostile"))) {
                sneaky.send(Wire.handshake(769, "mc.example.org", 25565, Wire.LOGIN), Wire.loginStart("ali\u0085ce"));
                assertTrue(sneaky.closedWithin(Duration.ofSeconds(2)));
            }
            String after = json(MinecraftClient.login(port("hostile"), 769, "honest")).path("text").asText();
            assertEquals("Hostile is starting up. Join again in about 2 minutes.", after, "the sneaky login woke nothing: it is still asleep");
            JsonNode honest = client.await(m -> m.topic().equals("cubeguardian/hostile/cmd/wake")
                    && "gateway:honest".equals(m.json().path("requested_by").asText()), WAIT).json();
            assertEquals("WOL_SENT", client.result("cubeguardian/hostile/result/wake", honest.path("id").asText(), WAIT)
                    .path("code").asText());

            // nothing but those wakes was ever commanded, and nothing went to bridge/error
            List<String> topics = commands(client).stream().map(MqttProbeClient.Received::topic).distinct().toList();
            assertEquals(List.of("cubeguardian/hostile/cmd/wake"), topics);
            assertEquals(names.size() + 1, commands(client).size());
            assertEquals(List.of(), client.all(m -> m.topic().startsWith("cubeguardian/bridge/error")));
            assertEquals(List.of(), client.all(m -> !m.topic().startsWith("cubeguardian/hostile/")
                    && names.stream().anyMatch(name -> m.text().contains(name) || m.text().contains(JSON.valueToTree(name).toString()))),
                    "no other topic hears of them");
        }
    }

    private static void awaitAsleep(MqttProbeClient client) {
        // the latest state of the host, not the first one seen
        await().atMost(WAIT).until(() -> {
            List<MqttProbeClient.Received> states = client.all(m -> m.topic().equals("cubeguardian/hostile/state"));
            return !states.isEmpty() && Set.of("off", "unreachable").contains(states.get(states.size() - 1).json().path("state").asText());
        });
    }

    private static Set<String> fields(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aPlayerNotOnTheAllowListIsRefusedAndWakesNothingWhileAnAllowedOneWakesIt() throws Exception {
        try (MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/#")) {
            String refused = MinecraftClient.login(port("picky"), 769, "mallory");

            assertEquals("Picky is asleep, and you are not on the list of players who may wake it.", json(refused).path("text").asText());
            JsonNode notAllowed = awaitEvents(client, "picky", 1).get(0);
            assertEquals("mallory", notAllowed.path("player").asText());
            assertEquals("not_allowed", notAllowed.path("outcome").asText());
            assertFalse(notAllowed.has("reason"), notAllowed.toString());
            assertEquals(1, notAllowed.path("v").asInt());
            assertEquals("picky", notAllowed.path("host").asText());
            assertTrue(notAllowed.path("timestamp").asText().endsWith("Z"), notAllowed.toString());

            // the allow list ignores case, as Minecraft does
            String allowed = MinecraftClient.login(port("picky"), 769, "ALICE");
            assertEquals("Picky is starting up. Join again in about 2 minutes.", json(allowed).path("text").asText());
            JsonNode wake = client.await(m -> m.topic().equals("cubeguardian/picky/cmd/wake"), WAIT).json();
            assertEquals("gateway:ALICE", wake.path("requested_by").asText());
            assertEquals(1, commands(client).size(), "mallory's login sent none");

            List<String> outcomes = awaitEvents(client, "picky", 2).stream().map(e -> e.path("outcome").asText()).toList();
            assertEquals(List.of("not_allowed", "wake_requested"), outcomes);

            // another allowed player right after: no second wake
            String second = json(MinecraftClient.login(port("picky"), 769, "Bob_2")).path("text").asText();
            assertTrue(second.equals("Picky was asked to start a moment ago. Join again in about 2 minutes.")
                    || second.equals("Picky is already starting up. Join again in about 2 minutes."), second);
            String outcome = awaitEvents(client, "picky", 3).get(2).path("outcome").asText();
            assertTrue(Set.of("cooldown", "starting").contains(outcome), outcome);
            assertEquals(1, commands(client).size());
        }
    }

    // --- online: the proxy -----------------------------------------------------------------------

    @Test
    void whileOnlineAStatusPingThroughTheGatewayEqualsADirectOne() throws Exception {
        JsonNode direct = json(MinecraftClient.status(responder.port(), 769));
        JsonNode through = json(MinecraftClient.status(port("online"), 769));

        assertEquals(direct, through);
        assertEquals("A real server", through.at("/description/text").asText());
        // the legacy ping of an old client too
        String legacyDirect;
        try (MinecraftClient old = MinecraftClient.connect(responder.port())) {
            legacyDirect = old.legacyAnswer(Wire.legacyPing16("127.0.0.1", responder.port()));
        }
        try (MinecraftClient old = MinecraftClient.connect(port("online"))) {
            assertEquals(legacyDirect, old.legacyAnswer(Wire.legacyPing16("127.0.0.1", responder.port())));
        }
    }

    @Test
    void whileOnlineTheProxyCarriesBytesBothWaysUnchanged() throws Exception {
        try (MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/#");
                MinecraftClient player = MinecraftClient.connect(port("echo"))) {
            byte[] login = Wire.concat(Wire.handshake(769, "echo.example.org", 25565, Wire.LOGIN), Wire.loginStart("alice"));
            byte[] every = new byte[256 * 64];
            for (int i = 0; i < every.length; i++) {
                every[i] = (byte) i;
            }
            byte[] sent = Wire.concat(login, every);

            player.send(sent);
            byte[] back = player.input().readNBytes(sent.length);

            assertEquals(sent.length, back.length);
            assertTrue(java.util.Arrays.equals(sent, back), "every byte value, in order, both ways");
            EchoServer.Connection server = echo.await(EchoServer.startsWith(login), WAIT);
            assertTrue(java.util.Arrays.equals(sent, server.received()), "the server got exactly what the player sent");
            JsonNode event = awaitEvents(client, "echo", 1).get(0);
            assertEquals("proxied", event.path("outcome").asText());
            assertEquals("alice", event.path("player").asText());
        }
    }

    /**
     * A player who sends 24 MB and does not read: loopback's kernel buffers alone take about 10 MB
     * on this kind of machine, so a smaller transfer would prove nothing. The gateway itself must
     * hold no more than about its high-water mark per direction, the sender must be held back,
     * and once the player reads, slowly, every byte arrives in order.
     */
    @Test
    void aSlowReaderHoldsBackItsSenderInsteadOfFillingTheGateway() throws Exception {
        long total = 24L * 1024 * 1024;
        long seed = 77;
        Socket socket = new Socket();
        socket.setReceiveBufferSize(32 * 1024);
        socket.setSendBufferSize(32 * 1024);
        socket.bind(new InetSocketAddress(MinecraftClient.nextSource(), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port("echo")));
        try (socket) {
            socket.setSoTimeout(20_000);
            byte[] login = Wire.concat(Wire.handshake(769, "echo.example.org", 25565, Wire.LOGIN), Wire.loginStart("slowpoke"));
            OutputStream out = socket.getOutputStream();
            out.write(login);
            AtomicLong written = new AtomicLong();
            Thread writer = new Thread(() -> {
                Random random = new Random(seed);
                byte[] chunk = new byte[16 * 1024];
                try {
                    for (long done = 0; done < total; done += chunk.length) {
                        random.nextBytes(chunk);
                        out.write(chunk);
                        written.addAndGet(chunk.length);
                    }
                } catch (IOException cut) {
                    // reported by the reader's comparison
                }
            }, "fast-writer");
            writer.setDaemon(true);
            writer.start();

            // the player does not read: the writer must come to a stop before it is done
            long stalledAt = awaitStall(written, Duration.ofSeconds(15));
            long buffered = bufferedBytes();
            assertTrue(stalledAt < total, "the sender was never held back: " + stalledAt);
            assertTrue(buffered <= 1024 * 1024, "the gateway holds " + buffered + " bytes for a reader that does not read");

            // then it reads, slowly, and everything arrives in order
            InputStream in = socket.getInputStream();
            assertTrue(java.util.Arrays.equals(login, in.readNBytes(login.length)));
            Random expected = new Random(seed);
            byte[] want = new byte[16 * 1024];
            byte[] got = new byte[16 * 1024];
            long maxBuffered = buffered;
            for (long done = 0; done < total; done += want.length) {
                expected.nextBytes(want);
                assertEquals(want.length, in.readNBytes(got, 0, got.length), "short at " + done);
                if (!java.util.Arrays.equals(want, got)) {
                    throw new AssertionError("bytes differ in the 16 KiB from " + done);
                }
                if (done % (1024 * 1024) == 0) {
                    maxBuffered = Math.max(maxBuffered, bufferedBytes());
                    Thread.sleep(20);   // a slow reader: about 50 MB/s at most
                }
            }
            assertEquals(total, written.get());
            assertTrue(maxBuffered <= 1024 * 1024, "the gateway held up to " + maxBuffered + " bytes");
        }
    }

    private static long awaitStall(AtomicLong written, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long last = -1;
        long sameSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = written.get();
            if (now != last) {
                last = now;
                sameSince = System.nanoTime();
            } else if (System.nanoTime() - sameSince > Duration.ofMillis(1_000).toNanos()) {
                return now;
            }
            Thread.sleep(50);
        }
        return written.get();
    }

    /** What the worker's gateways hold for slow readers, from its own metrics. */
    private static long bufferedBytes() throws IOException, InterruptedException {
        Matcher value = Pattern.compile("(?m)^cubeguardian_gateway_buffered_bytes (\\S+)$").matcher(metrics());
        assertTrue(value.find(), "the gauge is on /observe/metrics");
        return (long) Double.parseDouble(value.group(1));
    }

    @Test
    void closingEitherSideClosesTheOther() throws Exception {
        // the player hangs up: the server's side is closed
        byte[] first = Wire.concat(Wire.handshake(769, "first.example.org", 25565, Wire.LOGIN), Wire.loginStart("leaver"));
        EchoServer.Connection server;
        try (MinecraftClient player = MinecraftClient.connect(port("echo"))) {
            player.send(first);
            player.input().readNBytes(first.length);
            server = echo.await(EchoServer.startsWith(first), WAIT);
            assertFalse(server.endedWithin(Duration.ofMillis(100)));
        }
        assertTrue(server.endedWithin(Duration.ofSeconds(5)), "the server saw the player leave");

        // the server hangs up: the player's side is closed, after what the server had sent
        byte[] second = Wire.concat(Wire.handshake(769, "second.example.org", 25565, Wire.LOGIN), Wire.loginStart("kicked"));
        try (MinecraftClient player = MinecraftClient.connect(port("echo"))) {
            player.send(second);
            EchoServer.Connection kicker = echo.await(EchoServer.startsWith(second), WAIT);
            kicker.close();

            // at most the echo of what it sent comes first
            assertTrue(player.closedWithin(Duration.ofSeconds(5), second.length), "the player saw the server leave");
        }
    }

    @Test
    void proxyProtocolSendsAValidV2HeaderNamingTheRealClientFirst() throws Exception {
        InetAddress source = MinecraftClient.loopback(0x4D_4D); // 127.0.77.77
        byte[] login = Wire.concat(Wire.handshake(769, "proxied.example.org", 25565, Wire.LOGIN), Wire.loginStart("alice"));
        try (MinecraftClient player = MinecraftClient.connect(source, port("proxied"))) {
            player.send(login);
            int clientPort = player.socket().getLocalPort();
            byte[] signature = Wire.bytes(0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A);
            EchoServer.Connection server = proxiedEcho.await(bytes -> bytes.length >= 28 + login.length
                    && EchoServer.startsWith(signature).test(bytes), WAIT);
            byte[] got = server.received();

            assertEquals(0x21, got[12] & 0xFF, "version 2, command PROXY");
            assertEquals(0x11, got[13] & 0xFF, "TCP over IPv4");
            assertEquals(12, (got[14] & 0xFF) << 8 | got[15] & 0xFF, "two IPv4 addresses and two ports");
            assertEquals(source, InetAddress.getByAddress(java.util.Arrays.copyOfRange(got, 16, 20)),
                    "the source is the player");
            assertEquals(InetAddress.getLoopbackAddress(), InetAddress.getByAddress(java.util.Arrays.copyOfRange(got, 20, 24)),
                    "the destination is the gateway's address");
            assertEquals(clientPort, (got[24] & 0xFF) << 8 | got[25] & 0xFF, "the player's port");
            assertEquals(port("proxied"), (got[26] & 0xFF) << 8 | got[27] & 0xFF, "the gateway's port");
            assertTrue(java.util.Arrays.equals(login, java.util.Arrays.copyOfRange(got, 28, 28 + login.length)),
                    "then the player's bytes, unchanged");
            assertEquals(28 + login.length, got.length, "and nothing else");
        }
    }

    // --- the worker --------------------------------------------------------------------------

    @Test
    void aGatewayWhoseListenPortIsTakenStopsTheWorkerAtOnceNamingTheHostAndAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket();
                MqttProbeClient client = new MqttProbeClient(broker.url(), "taken/#")) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            WorkerUnderTest second = new WorkerUnderTest(Map.of(
                    "cubeguardian.mqtt.url", broker.url(),
                    "cubeguardian.mqtt.client-id", "gateway-taken-it",
                    "cubeguardian.base-topic", "taken",
                    "cubeguardian.hosts-file", lobby("127.0.0.1:" + taken.getLocalPort()).toString()));
            long started = System.nanoTime();
            try {
                Exception failed = assertThrows(Exception.class, second::start);

                InvalidSettingException cause = configurationProblem(failed);
                assertNotNull(cause, "a bad setting (exit status 2), not a crash: " + failed);
                assertTrue(cause.getMessage().startsWith("The Minecraft gateway of host 'lobby' cannot listen on 127.0.0.1:"
                        + taken.getLocalPort() + " ("), cause.getMessage());
                assertTrue(cause.getMessage().contains("Change minecraft.gateway.listen of 'lobby'"), cause.getMessage());
            } finally {
                second.close();
            }
            // stopped at once: it never said online, so it does not wait to say offline
            long took = Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertTrue(took < 10_000, "the worker took " + took + " ms to stop");
            assertEquals(List.of(), client.all(m -> true), "a worker that never started says nothing");
        }
        // the other worker's gateways are untouched
        anHonestPlayerIsServed("guarded");
    }

    @Test
    void aWorkerThatDidStartStillSaysOfflineWhenItStops() throws Exception {
        try (MqttProbeClient client = new MqttProbeClient(broker.url(), "planned/bridge/state")) {
            WorkerUnderTest third = new WorkerUnderTest(Map.of(
                    "cubeguardian.mqtt.url", broker.url(),
                    "cubeguardian.mqtt.client-id", "gateway-planned-it",
                    "cubeguardian.base-topic", "planned",
                    "cubeguardian.hosts-file", lobby("127.0.0.1:" + MosquittoBroker.freePort()).toString()));
            try {
                third.start();
                client.await(m -> m.text().equals("online"), WAIT);
            } finally {
                third.close();
            }
            client.await(m -> m.text().equals("offline"), WAIT);
        }
    }

    /** A one-host inventory whose gateway listens where it is told. */
    private static Path lobby(String listen) throws IOException {
        Path hosts = Files.createTempFile(dir, "lobby", ".yaml");
        Files.writeString(hosts, "hosts:\n  lobby:\n    mac: \"02aabbccdd99\"\n    address: 127.0.0.1\n"
                + "    wol: {broadcast: 127.0.0.1, port: " + magic.port() + "}\n"
                + "    probe: {method: tcp, port: " + closedPort() + ", timeout: 1s}\n"
                + "    minecraft:\n      port: " + closedPort() + "\n      gateway:\n        listen: " + listen + "\n");
        return hosts;
    }

    private static InvalidSettingException configurationProblem(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidSettingException setting) {
                return setting;
            }
        }
        return null;
    }

    @Test
    void theRefusalsAreCountedByReasonInTheMetrics() throws Exception {
        try (MinecraftClient junk = MinecraftClient.connect(port("guarded"))) {
            junk.send("GET /".getBytes(StandardCharsets.US_ASCII));
            assertTrue(junk.closedWithin(Duration.ofSeconds(2)));
        }
        try (MinecraftClient big = MinecraftClient.connect(port("guarded"))) {
            big.send(Wire.varInt(5000));
            assertTrue(big.closedWithin(Duration.ofSeconds(2)));
        }
        try (MinecraftClient huge = MinecraftClient.connect(port("guarded"))) {
            huge.send(Wire.handshake(769, "mc", 25565, Wire.STATUS), Wire.varInt(3 << 20));
            assertTrue(huge.closedWithin(Duration.ofSeconds(2)));
        }
        try (MinecraftClient odd = MinecraftClient.connect(port("guarded"))) {
            odd.send(Wire.handshake(769, "mc", 25565, Wire.STATUS), Wire.frame(0x05));
            assertTrue(odd.closedWithin(Duration.ofSeconds(2)));
        }
        MinecraftClient.login(port("guarded"), 769, "counted");

        await().atMost(WAIT).untilAsserted(() -> {
            String metrics = metrics();
            for (String reason : List.of("not_minecraft", "handshake_too_large", "packet_too_large", "unexpected_packet")) {
                assertTrue(Pattern.compile("(?m)^cubeguardian_gateway_refused_total\\{host=\"guarded\",reason=\"" + reason
                        + "\"} [1-9]").matcher(metrics).find(), reason + " in\n" + metrics);
            }
            assertTrue(Pattern.compile("(?m)^cubeguardian_gateway_logins_total\\{host=\"guarded\",outcome=\"not_allowed\"} [1-9]")
                    .matcher(metrics).find(), metrics);
            assertTrue(metrics.contains("cubeguardian_gateway_connections "), metrics);
        });
    }

    private static String metrics() throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/observe/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return response.body();
    }
}
