package dev.cubeguardian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compose stack's broker set-up, for real: the users are made by docker/create-broker-users.sh
 * (with the real mosquitto_passwd), and a real Mosquitto runs docker/mosquitto/mosquitto.conf and
 * docker/mosquitto/acl with only the listener, the persistence directory and the two file paths
 * rewritten for this machine. Paho MQTT 5 clients then log in as each user.
 */
class BrokerAclIT {

    private static final Duration WAIT = Duration.ofSeconds(5);
    /** How long a message that should not arrive is given, after a later marker has arrived. */
    private static final Duration QUIET = Duration.ofMillis(300);
    private static final int NOT_AUTHORIZED = 0x87;

    private static final Map<String, String> PASSWORDS = Map.of(
            "cubeguardian", "worker-" + UUID.randomUUID(),
            "discord", "discord-" + UUID.randomUUID(),
            "homeassistant", "ha-" + UUID.randomUUID(),
            "nodered", "nodered-" + UUID.randomUUID(),
            "cli", "cli-" + UUID.randomUUID());

    private static Path directory;
    private static Process broker;
    /** The clients' listener (1883 in the stack) and the worker's own (1884). */
    private static int port;
    private static int workerPort;
    private static final List<Client> CLIENTS = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        directory = Files.createTempDirectory("broker-acl-it-");
        // started as root, Mosquitto drops to its own user, which must reach the files and write its database
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path secrets = directory.resolve("secrets");
        Path data = Files.createDirectory(directory.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));

        Path acl = directory.resolve("acl");
        Files.copy(Path.of("docker/mosquitto/acl"), acl);
        Files.setPosixFilePermissions(acl, PosixFilePermissions.fromString("rw-r--r--"));
        // the script sets the ACL's owner and mode as it does for docker/mosquitto/acl (as root)
        createUsersWithTheRepositoryScript(secrets, acl);
        port = MosquittoBroker.freePort();
        workerPort = MosquittoBroker.freePort();
        Path config = directory.resolve("mosquitto.conf");
        Files.writeString(config, adapt(Files.readString(Path.of("docker/mosquitto/mosquitto.conf")), Map.of(
                "listener 1883", "listener " + port + " 127.0.0.1",
                "listener 1884", "listener " + workerPort + " 127.0.0.1",
                "persistence_location /mosquitto/data/", "persistence_location " + data + "/",
                "password_file /run/secrets/mosquitto_passwd", "password_file " + secrets.resolve("mosquitto_passwd"),
                "password_file /run/secrets/mosquitto_passwd_worker",
                        "password_file " + secrets.resolve("mosquitto_passwd_worker"),
                "acl_file /mosquitto/config/acl", "acl_file " + acl)));

        Path binary = List.of(Path.of("/usr/sbin/mosquitto"), Path.of("/usr/bin/mosquitto")).stream()
                .filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException("mosquitto is not installed (apt-get install mosquitto)"));
        broker = new ProcessBuilder(binary.toString(), "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("mosquitto.log").toFile())
                .start();
        awaitPort();
    }

    /** Runs docker/create-broker-users.sh non-interactively into a temporary secrets directory. */
    private static void createUsersWithTheRepositoryScript(Path secrets, Path acl) throws Exception {
        ProcessBuilder script = new ProcessBuilder("bash", "docker/create-broker-users.sh")
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(directory.resolve("create-broker-users.log").toFile());
        Map<String, String> env = script.environment();
        env.put("CG_SECRETS_DIR", secrets.toString());
        env.put("CG_ACL_FILE", acl.toString());
        env.put("CG_SSH_KEY", "skip");
        env.put("DISCORD_TOKEN", "not-a-real-token");
        PASSWORDS.forEach((user, password) -> env.put("CG_PASSWORD_" + user.toUpperCase(), password));
        Integer[] mosquittoIds = localMosquittoIds();
        if (mosquittoIds != null) {
            // as root the script gives the password file to Mosquitto's user: the local one here
            env.put("MOSQUITTO_UID", String.valueOf(mosquittoIds[0]));
            env.put("MOSQUITTO_GID", String.valueOf(mosquittoIds[1]));
        }
        Process run = script.start();
        assertTrue(run.waitFor(60, TimeUnit.SECONDS), "create-broker-users.sh hangs");
        String log = Files.readString(directory.resolve("create-broker-users.log"));
        assertEquals(0, run.exitValue(), "create-broker-users.sh failed:\n" + log);
        for (String password : PASSWORDS.values()) {
            assertFalse(log.contains(password), "the script printed a password");
        }

        List<String> lines = new ArrayList<>(Files.readAllLines(secrets.resolve("mosquitto_passwd")));
        assertEquals(List.of("discord", "homeassistant", "nodered", "cli"),
                lines.stream().map(l -> l.substring(0, l.indexOf(':'))).toList(), "the clients' listener");
        List<String> workerLines = Files.readAllLines(secrets.resolve("mosquitto_passwd_worker"));
        assertEquals(List.of("cubeguardian"), workerLines.stream().map(l -> l.substring(0, l.indexOf(':'))).toList(),
                "the worker's listener knows only the worker");
        lines.addAll(workerLines);
        for (String line : lines) {
            assertTrue(line.matches("[a-z]+:\\$[67]\\$.+"), "hashed by mosquitto_passwd: " + line);
            assertFalse(PASSWORDS.values().stream().anyMatch(line::contains), "plain password in the password file");
        }
        assertEquals(PASSWORDS.get("cubeguardian") + "\n", Files.readString(secrets.resolve("mqtt_worker_password")));
        assertEquals(PASSWORDS.get("discord") + "\n", Files.readString(secrets.resolve("mqtt_discord_password")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets.resolve("mqtt_nodered_password"))));
        if (isRoot()) {
            assertEquals("r--------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets.resolve("mosquitto_passwd"))));
            assertEquals(10001, (Integer) Files.getAttribute(secrets.resolve("mqtt_worker_password"), "unix:uid"));
        }
    }

    private static boolean isRoot() throws IOException, InterruptedException {
        return "0".equals(command("id", "-u"));
    }

    /** uid and gid of the local "mosquitto" user, when we run as root and it exists. */
    private static Integer[] localMosquittoIds() throws IOException, InterruptedException {
        if (!isRoot()) {
            return null;
        }
        String uid = command("id", "-u", "mosquitto");
        String gid = command("id", "-g", "mosquitto");
        return uid == null || gid == null ? null : new Integer[] {Integer.valueOf(uid), Integer.valueOf(gid)};
    }

    private static String command(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.waitFor() == 0 ? out : null;
    }

    /** The repository's config with exactly the given lines replaced; every other line kept as it is. */
    static String adapt(String original, Map<String, String> replacements) {
        Map<String, Integer> seen = new LinkedHashMap<>();
        StringBuilder out = new StringBuilder();
        for (String line : original.split("\n", -1)) {
            String key = line.strip();
            if (!line.strip().startsWith("#") && replacements.containsKey(key)) {
                seen.merge(key, 1, Integer::sum);
                out.append(replacements.get(key));
            } else {
                out.append(line);
            }
            out.append('\n');
        }
        for (String key : replacements.keySet()) {
            // each listener names the ACL file: that line is there once per listener
            int expected = key.startsWith("acl_file") ? 2 : 1;
            assertEquals(expected, seen.getOrDefault(key, 0), "docker/mosquitto/mosquitto.conf lines '" + key + "'");
        }
        return out.substring(0, out.length() - 1);
    }

    private static void awaitPort() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!broker.isAlive()) {
                throw new IllegalStateException("mosquitto exited: " + Files.readString(directory.resolve("mosquitto.log")));
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("mosquitto did not open port " + port);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        for (Client c : CLIENTS) {
            c.close();
        }
        if (broker != null) {
            broker.destroy();
            broker.waitFor(10, TimeUnit.SECONDS);
        }
    }

    // ------------------------------------------------------------------------------ tests

    @Test
    void anonymousAndWrongPasswordsAreRefused() throws Exception {
        MqttException anonymous = assertThrows(MqttException.class, () -> Client.connect(port, null, null));
        assertTrue(anonymous.getReasonCode() == NOT_AUTHORIZED || anonymous.getReasonCode() == 0x86,
                "anonymous: reason code " + anonymous.getReasonCode());
        MqttException wrong = assertThrows(MqttException.class, () -> Client.connect(port, "cubeguardian", "wrong"));
        assertTrue(wrong.getReasonCode() == NOT_AUTHORIZED || wrong.getReasonCode() == 0x86,
                "wrong password: reason code " + wrong.getReasonCode());
        assertThrows(MqttException.class, () -> Client.connect(port, "mallory", "x"));
    }

    @Test
    void workerTakesCommandsAndPublishesResultsStatesAndItsOwnIdleShutdowns() throws Exception {
        Client worker = user("cubeguardian");
        Client discord = user("discord");
        assertGranted(worker.subscribe("cubeguardian/+/cmd/+"));
        assertGranted(discord.subscribe("cubeguardian/#"));

        assertGranted(discord.publish("cubeguardian/demo/cmd/wake", "{\"id\":\"acl-1\"}", false));
        worker.await("cubeguardian/demo/cmd/wake", "{\"id\":\"acl-1\"}");

        assertGranted(worker.publish("cubeguardian/demo/result/wake", "{\"id\":\"acl-1\",\"code\":\"WOL_SENT\"}", false));
        discord.await("cubeguardian/demo/result/wake", "{\"id\":\"acl-1\",\"code\":\"WOL_SENT\"}");
        assertGranted(worker.publish("cubeguardian/demo/state", "{\"state\":\"waking\"}", true));
        discord.await("cubeguardian/demo/state", "{\"state\":\"waking\"}");
        // a share group's standby reads the active member's host states (the idle setting, what it follows)
        Client standby = user("cubeguardian");
        assertGranted(standby.subscribe("cubeguardian/+/state"));
        standby.await("cubeguardian/demo/state", "{\"state\":\"waking\"}");
        assertGranted(worker.publish("cubeguardian/demo/event", "{\"type\":\"wake_sent\"}", false));
        discord.await("cubeguardian/demo/event", "{\"type\":\"wake_sent\"}");
        assertGranted(worker.publish("cubeguardian/bridge/info", "{\"api_version\":1}", true));
        discord.await("cubeguardian/bridge/info", "{\"api_version\":1}");

        // an idle shutdown is a command the worker sends itself
        assertGranted(worker.publish("cubeguardian/demo/cmd/shutdown", "{\"id\":\"idle-1\"}", false));
        worker.await("cubeguardian/demo/cmd/shutdown", "{\"id\":\"idle-1\"}");
    }

    /** What a worker reads under the base topic: commands, and for a share group results, host states and worker infos. */
    @Test
    void workerReadsOnlyCommandsResultsHostStatesAndWorkerAnnouncements() throws Exception {
        Client worker = user("cubeguardian");
        int granted = worker.subscribe("cubeguardian/#");
        Client other = user("cubeguardian");
        Client nodered = user("nodered");
        nodered.publish("cubeguardian/demo/result/check", "{\"id\":\"not-for-the-worker\"}", false);
        // what another worker says that no worker needs to read: events and the v1 bridge topics
        other.publish("cubeguardian/demo/event", "{\"type\":\"state\"}", false);
        other.publish("cubeguardian/bridge/info", "{\"api_version\":1}", false);
        other.publish("cubeguardian/demo/state/extra", "{}", false);
        assertGranted(nodered.publish("cubeguardian/demo/cmd/check", "{\"id\":\"acl-2\"}", false));
        if (granted < 0x80) {
            worker.await("cubeguardian/demo/cmd/check", "{\"id\":\"acl-2\"}");
        }
        Thread.sleep(QUIET.toMillis());
        assertTrue(worker.received().stream().allMatch(m -> m.topic().matches("cubeguardian/[^/]+/(cmd/.+|result/.+|state)")
                || m.topic().startsWith("cubeguardian/bridge/workers/")), worker.received().toString());
        assertTrue(worker.received().stream().noneMatch(m -> m.payload().contains("not-for-the-worker")), "nodered cannot write results");
    }

    @Test
    void discordSendsCommandsButCannotForgeWhatTheWorkerSays() throws Exception {
        Client discord = user("discord");
        Client homeassistant = user("homeassistant");
        Client worker = user("cubeguardian");
        assertGranted(homeassistant.subscribe("cubeguardian/#"));
        assertGranted(worker.subscribe("cubeguardian/+/cmd/+"));

        assertGranted(discord.publish("cubeguardian/demo/cmd/shutdown", "{\"id\":\"acl-3\",\"delay_minutes\":5}", false));
        worker.await("cubeguardian/demo/cmd/shutdown", "{\"id\":\"acl-3\",\"delay_minutes\":5}");

        int forgedResult = discord.publish("cubeguardian/demo/result/shutdown", "{\"id\":\"forged\",\"success\":true}", false);
        int forgedState = discord.publish("cubeguardian/forged/state", "{\"state\":\"off\"}", true);
        int forgedBridge = discord.publish("cubeguardian/bridge/state", "offline", true);
        int forgedDiscovery = discord.publish("homeassistant/status", "online", false);
        for (int code : List.of(forgedResult, forgedState, forgedBridge, forgedDiscovery)) {
            assertEquals(NOT_AUTHORIZED, code, "MQTT 5 PUBACK of a denied publish");
        }
        // a later message from the worker arrives: the forged ones, sent before it, were dropped
        assertGranted(worker.publish("cubeguardian/demo/result/shutdown", "{\"id\":\"acl-3\"}", false));
        homeassistant.await("cubeguardian/demo/result/shutdown", "{\"id\":\"acl-3\"}");
        Thread.sleep(QUIET.toMillis());
        assertTrue(homeassistant.received().stream().noneMatch(m -> m.payload().contains("forged")
                || m.topic().equals("cubeguardian/forged/state") || m.payload().equals("offline")), homeassistant.received().toString());
        // and nothing forged was retained
        Client late = user("nodered");
        assertGranted(late.subscribe("cubeguardian/forged/state"));
        assertGranted(late.subscribe("cubeguardian/bridge/state"));
        Thread.sleep(QUIET.toMillis());
        assertTrue(late.received().isEmpty(), late.received().toString());
    }

    @Test
    void homeAssistantReadsDiscoveryAndTellsTheWorkerItIsOnline() throws Exception {
        Client worker = user("cubeguardian");
        assertGranted(worker.subscribe("homeassistant/status"));
        String discovery = "{\"dev\":{\"ids\":[\"cubeguardian_demo\"]},\"o\":{\"name\":\"CubeGuardian\"},\"cmps\":{}}";
        assertGranted(worker.publish("homeassistant/device/cubeguardian_demo/config", discovery, true));

        Client homeassistant = user("homeassistant");
        assertGranted(homeassistant.subscribe("homeassistant/#"));
        homeassistant.await("homeassistant/device/cubeguardian_demo/config", discovery);   // retained
        assertGranted(homeassistant.publish("homeassistant/status", "online", false));
        worker.await("homeassistant/status", "online");
        assertGranted(homeassistant.publish("cubeguardian/demo/cmd/wake", "{\"id\":\"ha-1\"}", false));

        // the other clients do not see Home Assistant's discovery branch
        Client discord = user("discord");
        int granted = discord.subscribe("homeassistant/#");
        Thread.sleep(QUIET.toMillis());
        assertTrue(granted >= 0x80 || discord.received().isEmpty(), discord.received().toString());
        worker.publish("homeassistant/device/cubeguardian_demo/config", "", true);   // clear the retained config
    }

    @Test
    void nodeRedSendsCommandsAndReadsResults() throws Exception {
        Client worker = user("cubeguardian");
        Client nodered = user("nodered");
        assertGranted(worker.subscribe("cubeguardian/+/cmd/+"));
        assertGranted(nodered.subscribe("cubeguardian/+/result/+"));
        assertGranted(nodered.publish("cubeguardian/demo/cmd/cancel", "{\"id\":\"nr-1\"}", false));
        worker.await("cubeguardian/demo/cmd/cancel", "{\"id\":\"nr-1\"}");
        assertGranted(worker.publish("cubeguardian/demo/result/cancel", "{\"id\":\"nr-1\"}", false));
        nodered.await("cubeguardian/demo/result/cancel", "{\"id\":\"nr-1\"}");
        assertEquals(NOT_AUTHORIZED, nodered.publish("homeassistant/device/x/config", "{}", true));
    }

    @Test
    void mqtt5RepliesReachOnlyTheUserTheyAreFor() throws Exception {
        Client worker = user("cubeguardian");
        Client discord = user("discord");
        Client nodered = user("nodered");
        assertGranted(discord.subscribe("replies/discord/#"));
        int snooping = nodered.subscribe("replies/discord/#");
        assertGranted(worker.publish("replies/discord/42", "{\"id\":\"r-1\"}", false));
        discord.await("replies/discord/42", "{\"id\":\"r-1\"}");
        Thread.sleep(QUIET.toMillis());
        assertTrue(snooping >= 0x80 || nodered.received().isEmpty(), nodered.received().toString());
        assertEquals(NOT_AUTHORIZED, discord.publish("replies/nodered/1", "{}", false), "only the worker writes replies");
    }

    @Test
    void aClientUsingTheWorkersClientIdCannotTakeOverItsCommandSession() throws Exception {
        // Given the worker's command connection: its documented client id, a persistent session
        Client worker = user("cubeguardian", "cubeguardian-commands");
        assertGranted(worker.subscribe("cubeguardian/+/cmd/+"));

        // When other users connect with that same client id on the clients' listener
        Client nodered = Client.connect(port, "nodered", PASSWORDS.get("nodered"), "cubeguardian-commands", false);
        CLIENTS.add(nodered);
        Client discord = Client.connect(port, "discord", PASSWORDS.get("discord"), "cubeguardian-commands", true);
        CLIENTS.add(discord);

        // Then the broker gave them their user names as client ids: the worker is still connected
        // and still gets the commands, and the intruders get none
        Thread.sleep(QUIET.toMillis());
        assertTrue(worker.connected(), "the worker's connection was not taken over");
        assertTrue(nodered.connected() && discord.connected());
        assertGranted(discord.publish("cubeguardian/demo/cmd/check", "{\"id\":\"takeover-1\"}", false));
        worker.await("cubeguardian/demo/cmd/check", "{\"id\":\"takeover-1\"}");
        assertTrue(nodered.received().isEmpty(), nodered.received().toString());
    }

    @Test
    void clientUsersCannotLogInOnTheWorkersListener() {
        for (String client : List.of("discord", "homeassistant", "nodered", "cli")) {
            MqttException refused = assertThrows(MqttException.class,
                    () -> Client.connect(workerPort, client, PASSWORDS.get(client), "cubeguardian-commands", false), client);
            assertTrue(refused.getReasonCode() == NOT_AUTHORIZED || refused.getReasonCode() == 0x86,
                    client + ": reason code " + refused.getReasonCode());
        }
        MqttException anonymous = assertThrows(MqttException.class, () -> Client.connect(workerPort, null, null));
        assertTrue(anonymous.getReasonCode() == NOT_AUTHORIZED || anonymous.getReasonCode() == 0x86);
    }

    @Test
    void theCliHasAUserOfItsOwnThatSendsCommandsAndReadsAnswers() throws Exception {
        Client worker = user("cubeguardian");
        Client cli = user("cli");
        assertGranted(worker.subscribe("cubeguardian/+/cmd/+"));
        assertGranted(cli.subscribe("cubeguardian/#"));
        assertGranted(cli.publish("cubeguardian/demo/cmd/wake", "{\"id\":\"cli-1\"}", false));
        worker.await("cubeguardian/demo/cmd/wake", "{\"id\":\"cli-1\"}");
        assertEquals(NOT_AUTHORIZED, cli.publish("cubeguardian/demo/state", "{}", true));
        assertEquals(NOT_AUTHORIZED, cli.publish("homeassistant/status", "online", false));
    }

    /**
     * The worker clears the retained discovery configs of hosts that left its inventory; it must
     * be able to read them back under the shipped ACL. Runs the real worker on the worker's listener.
     */
    @Test
    void theWorkerClearsTheDiscoveryConfigOfARemovedHostUnderTheShippedAcl() throws Exception {
        // Given the config an earlier run published for host "gone", since removed from the inventory
        String gone = "homeassistant/device/cubeguardian_gone/config";
        Client seed = user("cubeguardian");
        assertGranted(seed.publish(gone, "{\"dev\":{\"identifiers\":[\"cubeguardian_gone\"],\"name\":\"gone\"},"
                + "\"o\":{\"name\":\"CubeGuardian\"},\"cmps\":{\"wake\":{\"p\":\"button\",\"unique_id\":\"cubeguardian_gone_wake\","
                + "\"command_topic\":\"cubeguardian/gone/cmd/wake\",\"payload_press\":\"{}\"}}}", true));
        Client homeassistant = user("homeassistant");
        assertGranted(homeassistant.subscribe("homeassistant/device/+/config"));
        homeassistant.awaitAny(gone);

        // When the worker starts, logged in as its user on its listener
        Path hosts = directory.resolve("acl-hosts.yaml");
        Files.writeString(hosts, "version: 1\nhosts:\n  kept:\n    mac: \"02:00:00:00:00:01\"\n    address: 127.0.0.1\n"
                + "    wol: {broadcast: 127.0.0.1, port: 9}\n");
        Path password = directory.resolve("worker-password");
        Files.writeString(password, PASSWORDS.get("cubeguardian") + "\n");
        try (WorkerUnderTest worker = new WorkerUnderTest(Map.of(
                "cubeguardian.mqtt.url", "tcp://127.0.0.1:" + workerPort,
                "cubeguardian.mqtt.username", "cubeguardian",
                "cubeguardian.mqtt.password-file", password.toString(),
                "cubeguardian.mqtt.client-id", "cubeguardian",
                "cubeguardian.hosts-file", hosts.toString(),
                "cubeguardian.monitor.steady-interval", "1h")).start()) {
            // Then Home Assistant sees the removed host's config emptied, and the kept host's config
            homeassistant.await(gone, "");
            homeassistant.awaitAny("homeassistant/device/cubeguardian_kept/config");
        } finally {
            // the other tests expect a broker without the worker's retained messages
            for (String topic : List.of("cubeguardian/bridge/state", "cubeguardian/bridge/info", "cubeguardian/kept/state",
                    "homeassistant/device/cubeguardian_kept/config")) {
                seed.publish(topic, "", true);
            }
        }
    }

    // ------------------------------------------------------------------------------ helpers

    /** Logs in as this user on its listener: the worker's own, or the clients'. */
    private static Client user(String name) throws MqttException {
        return user(name, "acl-it-" + UUID.randomUUID());
    }

    private static Client user(String name, String clientId) throws MqttException {
        Client c = Client.connect(name.equals("cubeguardian") ? workerPort : port, name, PASSWORDS.get(name), clientId, true);
        CLIENTS.add(c);
        return c;
    }

    private static void assertGranted(int reasonCode) {
        assertTrue(reasonCode < 0x80, "refused with reason code 0x" + Integer.toHexString(reasonCode));
    }

    /** A Paho MQTT 5 client that reports reason codes instead of hiding them. */
    static final class Client implements AutoCloseable {

        record Message(String topic, String payload, boolean retained) {
        }

        private final MqttAsyncClient client;
        private final List<Message> received = new ArrayList<>();

        private Client(MqttAsyncClient client) {
            this.client = client;
        }

        static Client connect(int port, String user, String password) throws MqttException {
            return connect(port, user, password, "acl-it-" + UUID.randomUUID(), true);
        }

        static Client connect(int port, String user, String password, String clientId, boolean cleanStart) throws MqttException {
            String url = "tcp://127.0.0.1:" + port;
            MqttAsyncClient async = new MqttAsyncClient(url, clientId, new MemoryPersistence());
            Client c = new Client(async);
            async.setCallback(new MqttCallback() {
                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    synchronized (c.received) {
                        c.received.add(new Message(topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.isRetained()));
                        c.received.notifyAll();
                    }
                }

                @Override
                public void disconnected(MqttDisconnectResponse response) {
                }

                @Override
                public void mqttErrorOccurred(MqttException exception) {
                }

                @Override
                public void deliveryComplete(IMqttToken token) {
                }

                @Override
                public void connectComplete(boolean reconnect, String serverURI) {
                }

                @Override
                public void authPacketArrived(int reasonCode, MqttProperties properties) {
                }
            });
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(cleanStart);
            options.setConnectionTimeout(5);
            options.setSocketFactory(dev.cubeguardian.mqtt.MqttClientSettings.socketFactory(url, null));
            if (user != null) {
                options.setUserName(user);
                options.setPassword(password.getBytes(StandardCharsets.UTF_8));
            }
            try {
                async.connect(options).waitForCompletion(WAIT.toMillis());
            } catch (MqttException refused) {
                async.close(true);
                throw refused;
            }
            return c;
        }

        /** @return the SUBACK reason code (the granted QoS, or 0x80 and above when refused) */
        int subscribe(String filter) throws MqttException {
            try {
                IMqttToken token = client.subscribe(new MqttSubscription(filter, 1));
                token.waitForCompletion(WAIT.toMillis());
                int[] codes = token.getReasonCodes();
                assertNotNull(codes);
                return codes[0];
            } catch (MqttException refused) {
                return refused.getReasonCode();
            }
        }

        /** Publishes at QoS 1. @return the PUBACK reason code */
        int publish(String topic, String payload, boolean retained) throws MqttException {
            MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            message.setRetained(retained);
            try {
                IMqttToken token = client.publish(topic, message);
                token.waitForCompletion(WAIT.toMillis());
                int[] codes = token.getReasonCodes();
                return codes == null || codes.length == 0 ? 0 : codes[0];
            } catch (MqttException refused) {
                if (refused.getReasonCode() < 0x80) {
                    throw refused;
                }
                return refused.getReasonCode();
            }
        }

        void await(String topic, String payload) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            synchronized (received) {
                while (received.stream().noneMatch(m -> m.topic().equals(topic) && m.payload().equals(payload))) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("no " + payload + " on " + topic + " within " + WAIT + "; received " + received);
                    }
                    TimeUnit.NANOSECONDS.timedWait(received, left);
                }
            }
        }

        boolean connected() {
            return client.isConnected();
        }

        void awaitAny(String topic) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            synchronized (received) {
                while (received.stream().noneMatch(m -> m.topic().equals(topic) && !m.payload().isEmpty())) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("nothing on " + topic + " within " + WAIT + "; received " + received);
                    }
                    TimeUnit.NANOSECONDS.timedWait(received, left);
                }
            }
        }

        List<Message> received() {
            synchronized (received) {
                return List.copyOf(received);
            }
        }

        @Override
        public void close() throws MqttException {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(WAIT.toMillis());
            }
            client.close(true);
        }
    }
}
