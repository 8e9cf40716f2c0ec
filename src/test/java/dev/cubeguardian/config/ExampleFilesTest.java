package dev.cubeguardian.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.config.ProbeSettings.ProbeMethod;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * The shared contract file (copied verbatim into test resources) and the project's documented
 * copy in config/ must both load, and the documented copy must keep every key of the contract.
 */
class ExampleFilesTest {

    private static final String SHARED = "/inventory/shared-hosts.example.yaml";
    private static final Path DOCUMENTED = Path.of("config/hosts.example.yaml");

    @TempDir
    Path dir;
    private InventoryFiles files;

    @BeforeEach
    void setUp() {
        files = new InventoryFiles(dir);
    }

    private static String sharedExample() throws IOException {
        try (InputStream in = ExampleFilesTest.class.getResourceAsStream(SHARED)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Points the two secret paths at the temp files, leaving every line where it was. */
    private String withTempSecrets(String yaml) {
        String rewritten = yaml
                .replace("key-file: /run/secrets/pve_ssh_key", "key-file: " + dir.resolve(InventoryFiles.KEY))
                .replace("key-file: /run/secrets/ssh_key", "key-file: " + dir.resolve(InventoryFiles.KEY))
                .replace("known-hosts-file: /config/known_hosts", "known-hosts-file: " + dir.resolve(InventoryFiles.KNOWN_HOSTS));
        assertEquals(yaml.lines().count(), rewritten.lines().count());
        return rewritten;
    }

    @Test
    void sharedExampleVerbatimFailsOnlyOnTheMissingKeyFile() throws IOException {
        Path file = files.write("verbatim.yaml", sharedExample());

        InventoryException e = assertThrows(InventoryException.class, () -> InventoryLoader.load(file));

        assertEquals(23, e.line());
        assertEquals("hosts.pve.ssh.key-file", e.field());
        assertEquals(file + ":23: hosts.pve.ssh.key-file: file /run/secrets/pve_ssh_key does not exist", e.getMessage());
    }

    @Test
    void sharedExampleLoadsWithEveryValue() throws IOException {
        Inventory inventory = files.load(withTempSecrets(sharedExample()));

        assertEquals(Set.of("pve"), inventory.hosts().keySet());
        HostConfig pve = inventory.host("pve").orElseThrow();
        assertEquals("Proxmox", pve.displayName());
        assertEquals("AA:BB:CC:DD:EE:FF", pve.mac().toString());
        assertEquals("192.168.1.10", pve.address()); // parsed from the example file, never contacted
        assertEquals(new WolSettings("192.168.1.255", 9, 3, Duration.ofMillis(100), null), pve.wol()); // parsed from the example file, never contacted
        assertEquals(new ProbeSettings(ProbeMethod.ICMP, null, Duration.ofSeconds(2)), pve.probe());
        assertEquals(new SshSettings(22, "root", dir.resolve(InventoryFiles.KEY), null, dir.resolve(InventoryFiles.KNOWN_HOSTS),
                "shutdown -h +{delay_minutes}", "shutdown -h now", "shutdown -c", "reboot", Duration.ofSeconds(10)),
                pve.ssh().orElseThrow());
        assertEquals(new MinecraftSettings("192.168.1.20", 25565, Duration.ofSeconds(5)), pve.minecraft().orElseThrow()); // parsed from the example file, never contacted
        assertEquals(new LifecycleTimeouts(Duration.ofMinutes(10), Duration.ofMinutes(1)), pve.timeouts());
        assertEquals(IdleSettings.disabled(), pve.idle());
    }

    @Test
    void documentedExampleLoadsAndShowsTheDefaults() throws IOException {
        Inventory inventory = files.load(withTempSecrets(Files.readString(DOCUMENTED)));

        HostConfig pve = inventory.host("pve").orElseThrow();
        assertEquals("Proxmox", pve.name());
        assertEquals("AA:BB:CC:DD:EE:FF", pve.mac().toString());
        assertEquals("192.168.1.10", pve.address()); // parsed from the example file, never contacted
        assertEquals(new WolSettings("192.168.1.255", 9, 3, Duration.ofMillis(100), null), pve.wol()); // parsed from the example file, never contacted
        assertEquals(new ProbeSettings(ProbeMethod.ICMP, null, Duration.ofSeconds(2)), pve.probe());
        SshSettings ssh = pve.ssh().orElseThrow();
        assertEquals(22, ssh.port());
        assertEquals("root", ssh.user());
        assertNull(ssh.keyPassphraseFile());
        assertEquals("shutdown -h +{delay_minutes}", ssh.shutdownCommand());
        assertEquals("shutdown -h now", ssh.shutdownNowCommand());
        assertEquals("shutdown -c", ssh.cancelCommand());
        assertEquals("reboot", ssh.rebootCommand());
        assertEquals(Duration.ofSeconds(10), ssh.timeout());
        assertEquals(new MinecraftSettings("192.168.1.20", 25565, Duration.ofSeconds(5)), pve.minecraft().orElseThrow()); // parsed from the example file, never contacted
        assertEquals(new LifecycleTimeouts(Duration.ofMinutes(10), Duration.ofMinutes(1)), pve.timeouts());
        assertEquals(IdleSettings.disabled(), pve.idle());
    }

    @Test
    void documentedExampleKeepsEveryKeyOfTheContract() throws IOException {
        String shared = sharedExample();
        String documented = Files.readString(DOCUMENTED);

        Set<String> sharedKeys = keyPaths(shared);
        Set<String> documentedKeys = keyPaths(documented);
        sharedKeys.removeAll(documentedKeys);
        assertEquals(Set.of(), sharedKeys, "keys of the contract missing from " + DOCUMENTED);
        // keys the contract only shows commented out
        assertTrue(documented.contains("#secureon: "), "secureon");
        assertTrue(documented.contains("#port: 22"), "probe port");
    }

    @Test
    void documentedExampleCommentsOutOnlyOptionalKeys() throws IOException {
        // Uncommenting the optional keys must still give a valid file (with tcp for the probe port).
        files.write("pass", "x\n");
        String uncommented = withTempSecrets(Files.readString(DOCUMENTED))
                .replace("#secureon:", "secureon:")
                .replace("method: icmp", "method: tcp")
                .replace("#port: 22", "port: 22")
                .replace("#key-passphrase-file: /run/secrets/ssh_key_passphrase",
                        "key-passphrase-file: " + dir.resolve("pass"));

        HostConfig pve = files.load(uncommented).host("pve").orElseThrow();

        assertEquals(6, pve.wol().secureOn().bytes().length);
        assertEquals(new ProbeSettings(ProbeMethod.TCP, 22, Duration.ofSeconds(2)), pve.probe());
        assertEquals(dir.resolve("pass"), pve.ssh().orElseThrow().keyPassphraseFile());
    }

    @Test
    void documentedExampleScheduleUncommentedIsTheContractsSchedule() throws IOException {
        // the commented schedule and time-zone, uncommented line by line as a user would
        StringBuilder uncommented = new StringBuilder();
        boolean inSchedule = false;
        for (String line : withTempSecrets(Files.readString(DOCUMENTED)).lines().toList()) {
            inSchedule |= line.startsWith("    #schedule:");
            line = line.replaceFirst("^#time-zone:", "time-zone:");
            if (inSchedule) {
                line = line.replaceFirst("^    #schedule:", "    schedule:").replaceFirst("^      #(- |  )", "      $1");
            }
            uncommented.append(line).append('\n');
        }

        Inventory inventory = files.load(uncommented.toString());

        assertEquals(java.time.ZoneId.of("Europe/Paris"), inventory.timeZone());
        List<ScheduleEntry> schedule = inventory.host("pve").orElseThrow().schedule();
        assertEquals(List.of("0 18 * * FRI", "0 2 * * *"), schedule.stream().map(ScheduleEntry::expression).toList());
        assertEquals(List.of("wake", "shutdown"), schedule.stream().map(ScheduleEntry::action).toList());
        assertEquals(10, schedule.get(1).delayMinutes());
        assertNull(schedule.get(1).force());
    }

    @Test
    void theCommentedGatewayAndRconLoadWhenUncommentedAsAUserWould() throws IOException {
        files.write("rcon_password", "x\n");
        StringBuilder uncommented = new StringBuilder();
        boolean inSection = false;
        for (String line : withTempSecrets(Files.readString(DOCUMENTED)).split("\n", -1)) {
            if (line.startsWith("      #gateway:") || line.startsWith("      #rcon:")) {
                inSection = true;
                line = line.replaceFirst("^      #", "      ");
            } else if (inSection && line.matches("^        #[a-z-]+:.*")) {
                line = line.replaceFirst("^        #", "        ");
            } else if (inSection && !line.startsWith("        ") && !line.isBlank()) {
                inSection = false;
            }
            uncommented.append(line).append('\n');
        }
        String text = uncommented.toString().replace("/run/secrets/pve_rcon_password", dir.resolve("rcon_password").toString());

        MinecraftSettings minecraft = files.load(text).host("pve").orElseThrow().minecraft().orElseThrow();

        assertEquals(new GatewaySettings("0.0.0.0", 25565, GatewaySettings.WakeOn.LOGIN, List.of(), Duration.ofSeconds(60),
                "Sleeping - join to wake it up", "Starting up, join again in a minute", false), minecraft.gateway().orElseThrow());
        assertEquals(25575, minecraft.rcon().orElseThrow().port());
        assertEquals(List.of(Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofSeconds(10)), minecraft.rcon().orElseThrow().warnings());
    }

    private static Set<String> keyPaths(String yaml) {
        Node root = new Compose(LoadSettings.builder().build()).composeString(yaml).orElseThrow();
        Set<String> paths = new TreeSet<>();
        collect(root, "", paths);
        return paths;
    }

    private static void collect(Node node, String prefix, Set<String> out) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                String path = prefix + ((ScalarNode) tuple.getKeyNode()).getValue();
                out.add(path);
                collect(tuple.getValueNode(), path + ".", out);
            }
        }
    }
}
