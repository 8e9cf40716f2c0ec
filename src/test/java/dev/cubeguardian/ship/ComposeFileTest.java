package dev.cubeguardian.ship;

import static dev.cubeguardian.ship.ShipFiles.environment;
import static dev.cubeguardian.ship.ShipFiles.list;
import static dev.cubeguardian.ship.ShipFiles.map;
import static dev.cubeguardian.ship.ShipFiles.mounts;
import static dev.cubeguardian.ship.ShipFiles.secrets;
import static dev.cubeguardian.ship.ShipFiles.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cubeguardian.cli.Cli;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docker-compose.yml against what the jar reads and accepts, checked without a Docker engine. */
class ComposeFileTest {

    private static final List<String> IMAGE_SERVICES = List.of("worker", "discord");

    @Test
    void hasTheThreeServices() {
        Map<String, Object> services = map(ShipFiles.compose().get("services"), "services");
        assertEquals(Set.of("mosquitto", "worker", "discord"), services.keySet());
        assertTrue(String.valueOf(service("mosquitto").get("image")).startsWith("eclipse-mosquitto:2"));
        for (String name : IMAGE_SERVICES) {
            Map<String, Object> s = service(name);
            assertEquals(".", s.get("build") instanceof Map<?, ?> b ? b.get("context") : s.get("build"),
                    name + " builds the repository's Dockerfile");
            assertEquals(service("worker").get("image"), s.get("image"), "worker and discord run one image");
        }
    }

    @Test
    void everyServiceRotatesItsLogSoAFloodCannotFillTheDisk() {
        for (String name : List.of("mosquitto", "worker", "discord")) {
            Map<String, Object> logging = map(service(name).get("logging"), name + ".logging");
            assertEquals("json-file", logging.get("driver"), name);
            Map<String, Object> options = map(logging.get("options"), name + ".logging.options");
            assertEquals("10m", options.get("max-size"), name);
            assertEquals("3", String.valueOf(options.get("max-file")), name);
        }
    }

    @Test
    void commandsAreWhatTheJarAccepts() {
        // java -jar cubeguardian.jar (no argument) = worker; "discord" = front-end; CLI words = CLI
        Map<String, Object> worker = service("worker");
        assertNull(worker.get("entrypoint"), "worker keeps the image's ENTRYPOINT");
        Object command = worker.get("command");
        assertTrue(command == null || list(command, "worker.command").isEmpty(),
                "worker: no arguments, or the jar would not run the worker: " + command);

        Map<String, Object> discord = service("discord");
        assertNull(discord.get("entrypoint"), "discord keeps the image's ENTRYPOINT");
        assertEquals(List.of("discord"), list(discord.get("command"), "discord.command"),
                "exec form [\"discord\"]: CubeGuardian.main dispatches on args[0]");
        assertFalse(Cli.COMMANDS.contains("discord"), "\"discord\" would be taken by the CLI");
    }

    @Test
    void everyEnvironmentNameIsOneTheProgramReads() {
        Set<String> known = new TreeSet<>(ShipFiles.applicationEnvNames());
        assertTrue(known.contains("CUBEGUARDIAN_MQTT_URL"), "parsed application.properties: " + known);
        // and the ones the launcher (/app/cubeguardian) reads for the client in the container
        Matcher cli = Pattern.compile("for setting in ([A-Z_ ]+); do").matcher(ShipFiles.read("cubeguardian"));
        assertTrue(cli.find(), "the launcher's CUBEGUARDIAN_CLI_MQTT_* settings");
        for (String setting : cli.group(1).trim().split("\\s+")) {
            assertTrue(known.contains("CUBEGUARDIAN_MQTT_" + setting), setting + " is a setting the client reads");
            known.add("CUBEGUARDIAN_CLI_MQTT_" + setting);
        }
        for (String name : IMAGE_SERVICES) {
            for (String env : environment(service(name)).keySet()) {
                if (env.startsWith("CUBEGUARDIAN_")) {
                    assertTrue(known.contains(env), name + ": " + env + " is not read by the worker " + known);
                } else if (env.equals("DISCORD_TOKEN_FILE")) {
                    assertEquals("discord", name, "only the front-end reads " + env);
                } else {
                    fail(name + ": unknown environment variable " + env);
                }
            }
        }
    }

    @Test
    void noSecretIsPassedInTheEnvironment() {
        for (String name : IMAGE_SERVICES) {
            for (Map.Entry<String, String> env : environment(service(name)).entrySet()) {
                String key = env.getKey();
                boolean secretish = key.contains("PASSWORD") || key.contains("TOKEN") || key.contains("PASSPHRASE");
                if (secretish) {
                    assertTrue(key.endsWith("_FILE"), name + ": " + key + " must be a file, not the secret itself");
                    assertTrue(env.getValue().startsWith("/run/secrets/"), name + ": " + key + " outside /run/secrets");
                }
            }
        }
    }

    @Test
    void everyFileTheProgramReadsIsMounted() {
        for (String name : IMAGE_SERVICES) {
            Map<String, Object> s = service(name);
            for (Map.Entry<String, String> env : environment(s).entrySet()) {
                if (env.getKey().endsWith("_FILE")) {
                    assertMounted(name, env.getKey(), env.getValue());
                }
            }
        }
        assertEquals("/config/hosts.yaml", environment(service("worker")).get("CUBEGUARDIAN_HOSTS_FILE"));
        // the inventory paths the quick start tells users to write: key, known_hosts
        Matcher paths = Pattern.compile("(?m)^\\s*(key-file|known-hosts-file|key-passphrase-file):\\s*(\\S+)")
                .matcher(ShipFiles.read("docs/install.md"));
        int found = 0;
        while (paths.find()) {
            found++;
            if (!paths.group(1).equals("key-passphrase-file")) {   // optional: install.md says to add the secret first
                assertMounted("worker", paths.group(1) + " in docs/install.md", paths.group(2));
            }
        }
        assertTrue(found >= 2, "docs/install.md shows the hosts.yaml ssh paths");
        // and the example users copy to config/hosts.yaml (docs/install.md, step 3): a path that
        // is not mounted is a crash loop for whoever follows the guide
        paths = Pattern.compile("(?m)^\\s*(key-file|known-hosts-file):\\s*(\\S+)")
                .matcher(ShipFiles.read("config/hosts.example.yaml"));
        found = 0;
        while (paths.find()) {
            found++;
            assertMounted("worker", paths.group(1) + " in config/hosts.example.yaml", paths.group(2));
        }
        assertEquals(2, found, "config/hosts.example.yaml sets key-file and known-hosts-file");
    }

    private static void assertMounted(String serviceName, String what, String path) {
        Map<String, Object> s = service(serviceName);
        boolean secret = secrets(s).stream().anyMatch(r -> r.target().equals(path));
        boolean volume = mounts(s).stream().anyMatch(m -> m.covers(path));
        assertTrue(secret || volume, serviceName + ": " + what + "=" + path + " is in no mounted volume or secret");
        if (secret) {
            String file = secrets(s).stream().filter(r -> r.target().equals(path)).findFirst().orElseThrow().name();
            assertTrue(topLevelSecrets().contains(file), "secret " + file + " is not declared at the top level");
        }
    }

    private static Set<String> topLevelSecrets() {
        return map(ShipFiles.compose().get("secrets"), "secrets").keySet();
    }

    @Test
    void configAndSecretsAreMountedReadOnly() {
        for (String name : List.of("mosquitto", "worker", "discord")) {
            for (ShipFiles.Mount m : mounts(service(name))) {
                if (m.type().equals("bind")) {
                    assertTrue(m.readOnly(), name + ": bind mount " + m.source() + " -> " + m.target() + " must be :ro");
                } else {
                    // the only writable storage: the broker's persistence and the worker's command memory
                    assertEquals(name.equals("mosquitto") ? "/mosquitto/data" : name.equals("worker") ? "/data" : "none",
                            m.target(), name + ": writable volume " + m);
                    assertTrue(map(ShipFiles.compose().get("volumes"), "volumes").containsKey(m.source()),
                            "named volume " + m.source() + " declared");
                }
            }
        }
        assertTrue(mounts(service("worker")).stream().anyMatch(m -> m.target().equals("/config") && m.readOnly()));
    }

    @Test
    void secretsComeFromFilesTheSetupScriptCreates() throws Exception {
        String script = ShipFiles.read("docker/create-broker-users.sh");
        for (Map.Entry<String, Object> secret : map(ShipFiles.compose().get("secrets"), "secrets").entrySet()) {
            String file = String.valueOf(map(secret.getValue(), "secret").get("file"));
            assertEquals("./docker/secrets/" + secret.getKey(), file, "secret files live in docker/secrets/");
            assertTrue(script.contains(secret.getKey()), "docker/create-broker-users.sh never writes " + secret.getKey());
        }
        // the directory is git-ignored except its README: nothing secret can be committed
        List<String> ignore = Files.readAllLines(ShipFiles.ROOT.resolve("docker/secrets/.gitignore"));
        assertTrue(ignore.contains("*"));
        assertTrue(Files.exists(ShipFiles.ROOT.resolve("docker/secrets/README.md")));
    }

    @Test
    void theClientInTheWorkersContainerIsTheCliUserOnTheClientsListener() {
        // the worker's own user may only take commands: it cannot read bridge/info, which status needs
        Map<String, String> env = environment(service("worker"));
        URI cliUrl = URI.create(env.get("CUBEGUARDIAN_CLI_MQTT_URL"));
        assertEquals("127.0.0.1", cliUrl.getHost());
        assertEquals(1883, cliUrl.getPort(), "the clients' listener");
        assertEquals("cli", env.get("CUBEGUARDIAN_CLI_MQTT_USERNAME"));
        assertTrue(aclUsers().contains("cli"));
        assertEquals("/run/secrets/mqtt_cli_password", env.get("CUBEGUARDIAN_CLI_MQTT_PASSWORD_FILE"));
        // the script gives that file to the image's user, as it does the worker's own password
        String script = ShipFiles.read("docker/create-broker-users.sh");
        Matcher workerFiles = Pattern.compile("(?m)^worker_files=\\(([^)]*)\\)").matcher(script);
        assertTrue(workerFiles.find());
        assertTrue(List.of(workerFiles.group(1).trim().split("\\s+")).contains("mqtt_cli_password"), workerFiles.group());
    }

    @Test
    void worksWithComposeV1AsDebianShipsIt() throws Exception {
        // docker-compose 1.29 (Debian 12) refuses a top-level "name:"; both read .env
        assertFalse(ShipFiles.compose().containsKey("name"), "top-level name: (compose v1 refuses it)");
        assertTrue(Files.readAllLines(ShipFiles.ROOT.resolve(".env")).contains("COMPOSE_PROJECT_NAME=cubeguardian"));
        assertFalse(ShipFiles.compose().containsKey("version"), "no obsolete version: key");
    }

    @Test
    void workerUsesTheHostNetworkForWakeOnLan() {
        Map<String, Object> worker = service("worker");
        assertEquals("host", worker.get("network_mode"));
        assertNull(worker.get("ports"), "host networking publishes nothing");
        assertNull(worker.get("networks"));
    }

    @Test
    void brokerIsPublishedOnLoopbackOnly() {
        List<Object> ports = list(service("mosquitto").get("ports"), "mosquitto.ports");
        assertEquals(2, ports.size(), "the clients' listener and the worker's");
        for (String name : List.of("mosquitto", "worker", "discord")) {
            for (Object port : list(service(name).get("ports"), name + ".ports")) {
                String hostIp = port instanceof Map<?, ?> m ? String.valueOf(m.get("host_ip"))
                        : String.valueOf(port).split(":")[0];
                assertEquals("127.0.0.1", hostIp, name + ": port " + port + " must be bound to 127.0.0.1");
            }
        }
        assertEquals("127.0.0.1:1883:1883", ports.get(0));
        assertEquals("127.0.0.1:1884:1884", ports.get(1));
    }

    @Test
    void eachProgramReachesTheBrokerWithItsOwnUser() {
        URI workerUrl = URI.create(environment(service("worker")).get("CUBEGUARDIAN_MQTT_URL"));
        assertEquals("tcp", workerUrl.getScheme());
        assertEquals("127.0.0.1", workerUrl.getHost(), "host network: the broker's published loopback port");
        assertEquals(1884, workerUrl.getPort(), "the worker's own listener");

        URI discordUrl = URI.create(environment(service("discord")).get("CUBEGUARDIAN_MQTT_URL"));
        assertEquals("mosquitto", discordUrl.getHost(), "bridge network: the broker's service name");
        assertEquals(1883, discordUrl.getPort());
        assertNull(service("discord").get("network_mode"));

        Set<String> aclUsers = aclUsers();
        assertEquals("cubeguardian", environment(service("worker")).get("CUBEGUARDIAN_MQTT_USERNAME"));
        assertEquals("discord", environment(service("discord")).get("CUBEGUARDIAN_MQTT_USERNAME"));
        for (String name : IMAGE_SERVICES) {
            assertTrue(aclUsers.contains(environment(service(name)).get("CUBEGUARDIAN_MQTT_USERNAME")), name);
        }
    }

    static Set<String> aclUsers() {
        Set<String> users = new TreeSet<>();
        for (String line : ShipFiles.read("docker/mosquitto/acl").split("\n")) {
            if (line.startsWith("user ")) {
                users.add(line.substring(5).strip());
            }
        }
        return users;
    }

    @Test
    void workerKeepsWhatItsProbesNeedAndNothingElse() {
        Map<String, Object> worker = service("worker");
        assertEquals(List.of("ALL"), list(worker.get("cap_drop"), "cap_drop"));
        assertEquals(List.of("NET_RAW"), list(worker.get("cap_add"), "cap_add"), "ping (ICMP probes) needs NET_RAW");
        // no-new-privileges would stop ping from getting cap_net_raw from its file capabilities
        assertFalse(String.valueOf(worker.get("security_opt")).contains("no-new-privileges"));
        assertEquals(Boolean.TRUE, worker.get("read_only"));
        assertTrue(list(worker.get("tmpfs"), "tmpfs").contains("/tmp"), "the JVM and Vert.x write to java.io.tmpdir");
    }

    @Test
    void discordIsOptInAndNotHealthCheckedAsAWorker() {
        Map<String, Object> discord = service("discord");
        assertEquals(List.of("discord"), list(discord.get("profiles"), "profiles"));
        assertEquals(Boolean.TRUE, map(discord.get("healthcheck"), "healthcheck").get("disable"),
                "the image's HEALTHCHECK probes the worker's endpoint, which the front-end does not serve");
        assertTrue(service("worker").get("healthcheck") == null, "the worker uses the image's HEALTHCHECK");
    }

    @Test
    void nothingThatRunsByDefaultNamesAPrivateAddress() throws Exception {
        Pattern privateRange = Pattern.compile(
                "\\b(10\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|172\\.(1[6-9]|2\\d|3[01])\\.\\d{1,3}\\.\\d{1,3}|192\\.168\\.\\d{1,3}\\.\\d{1,3})\\b");
        List<String> files = new ArrayList<>(List.of("docker-compose.yml", "Dockerfile", ".dockerignore"));
        try (var walk = Files.walk(ShipFiles.ROOT.resolve("docker"))) {
            // docker/secrets/ holds the user's own (git-ignored) secret files: only its README ships
            walk.filter(Files::isRegularFile)
                    .filter(p -> !p.startsWith(ShipFiles.ROOT.resolve("docker/secrets")) || p.endsWith("README.md"))
                    .forEach(p -> files.add(ShipFiles.ROOT.relativize(p).toString()));
        }
        for (String file : files) {
            Matcher m = privateRange.matcher(ShipFiles.read(file));
            assertFalse(m.find(), file + " names a private-range address: " + (m.hitEnd() ? "" : m.group()));
        }
    }
}
