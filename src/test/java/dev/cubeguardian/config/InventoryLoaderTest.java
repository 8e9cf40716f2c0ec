package dev.cubeguardian.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.config.ProbeSettings.ProbeMethod;
import dev.cubeguardian.wol.MacAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a valid inventory turns into: values, defaults and file order. */
class InventoryLoaderTest {

    private static final String MINIMAL = """
            hosts:
              pve:
                mac: "AA:BB:CC:DD:EE:FF"
                address: 192.168.1.10
            """;

    @TempDir
    Path dir;
    private InventoryFiles files;

    @BeforeEach
    void setUp() {
        files = new InventoryFiles(dir);
    }

    @Test
    void minimalHostGetsEveryDefault() {
        Inventory inventory = files.load(MINIMAL);

        assertEquals(dir.resolve("hosts.yaml"), inventory.source());
        assertEquals(List.of("pve"), List.copyOf(inventory.hosts().keySet()));
        HostConfig pve = inventory.host("pve").orElseThrow();
        assertEquals("pve", pve.id());
        assertNull(pve.name());
        assertEquals("pve", pve.displayName());
        assertEquals(MacAddress.parse("AA:BB:CC:DD:EE:FF"), pve.mac());
        assertEquals("192.168.1.10", pve.address());
        assertEquals(new WolSettings("255.255.255.255", 9, 3, Duration.ofMillis(100), null), pve.wol());
        assertEquals(new ProbeSettings(ProbeMethod.ICMP, null, Duration.ofSeconds(2)), pve.probe());
        assertTrue(pve.ssh().isEmpty());
        assertTrue(pve.minecraft().isEmpty());
        assertEquals(new LifecycleTimeouts(Duration.ofMinutes(10), Duration.ofMinutes(1)), pve.timeouts());
        assertEquals(new IdleSettings(false, Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofMinutes(2)),
                pve.idle());
    }

    @Test
    void emptySectionsGetTheirDefaults() {
        HostConfig pve = files.load(MINIMAL + """
                    wol:
                    probe:
                    minecraft:
                    timeouts: {}
                    idle:
                """).host("pve").orElseThrow();

        assertEquals(new WolSettings("255.255.255.255", 9, 3, Duration.ofMillis(100), null), pve.wol());
        assertEquals(new ProbeSettings(ProbeMethod.ICMP, null, Duration.ofSeconds(2)), pve.probe());
        // "minecraft:" alone turns the check on, at the host's own address
        assertEquals(new MinecraftSettings("192.168.1.10", 25565, Duration.ofSeconds(5)), pve.minecraft().orElseThrow());
        assertEquals(new LifecycleTimeouts(Duration.ofMinutes(10), Duration.ofMinutes(1)), pve.timeouts());
        assertEquals(IdleSettings.disabled(), pve.idle());
    }

    @Test
    void sshDefaultsAndRelativePathsResolveAgainstTheInventoryDirectory() {
        HostConfig pve = files.load(MINIMAL + """
                    ssh:
                      key-file: id_ed25519
                      known-hosts-file: ./known_hosts
                """).host("pve").orElseThrow();

        SshSettings ssh = pve.ssh().orElseThrow();
        assertEquals(22, ssh.port());
        assertEquals("root", ssh.user());
        assertEquals(dir.toAbsolutePath().resolve("id_ed25519"), ssh.keyFile());
        assertTrue(ssh.keyFile().isAbsolute());
        assertNull(ssh.keyPassphraseFile());
        assertEquals(dir.toAbsolutePath().resolve("known_hosts"), ssh.knownHostsFile());
        assertEquals("shutdown -h +{delay_minutes}", ssh.shutdownCommand());
        assertEquals("shutdown -h now", ssh.shutdownNowCommand());
        assertEquals("shutdown -c", ssh.cancelCommand());
        assertEquals("reboot", ssh.rebootCommand());
        assertEquals(Duration.ofSeconds(10), ssh.timeout());
    }

    @Test
    void everyValueSet() {
        files.write("pass", "secret\n");
        Path absoluteKey = dir.resolve(InventoryFiles.KEY).toAbsolutePath();
        Inventory inventory = files.load("""
                version: 1
                hosts:
                  pve:
                    name: Proxmox
                    mac: aabb.ccdd.eeff
                    address: pve.lan
                    wol:
                      broadcast: 10.0.0.255
                      port: 7
                      packets: 10
                      interval: 0
                      secureon: 192.0.2.1
                    probe:
                      method: tcp
                      port: 8006
                      timeout: 60s
                    ssh:
                      port: 2222
                      user: cube-guardian
                      key-file: %s
                      key-passphrase-file: pass
                      known-hosts-file: known_hosts
                      shutdown-command: "sudo -n /sbin/shutdown -P +{delay_minutes} 'CubeGuardian'"
                      shutdown-now-command: sudo -n /sbin/poweroff
                      cancel-command: sudo -n /sbin/shutdown -c
                      reboot-command: sudo -n /sbin/reboot
                      timeout: 5m
                    minecraft:
                      address: fd00::20
                      port: 25566
                      timeout: 1500ms
                    timeouts:
                      startup: 2h
                      shutdown: 90
                    idle:
                      enabled: true
                      after: 20m
                      minimum-uptime: 0
                      grace: 1h
                """.formatted(absoluteKey));

        HostConfig pve = inventory.host("pve").orElseThrow();
        assertEquals("Proxmox", pve.displayName());
        assertEquals("AA:BB:CC:DD:EE:FF", pve.mac().toString());
        assertEquals("pve.lan", pve.address());
        assertEquals("10.0.0.255", pve.wol().broadcast());
        assertEquals(7, pve.wol().port());
        assertEquals(10, pve.wol().packets());
        assertEquals(Duration.ZERO, pve.wol().interval());
        assertEquals(4, pve.wol().secureOn().bytes().length);
        assertEquals(new ProbeSettings(ProbeMethod.TCP, 8006, Duration.ofSeconds(60)), pve.probe());
        assertEquals(new SshSettings(2222, "cube-guardian", absoluteKey, dir.toAbsolutePath().resolve("pass"),
                dir.toAbsolutePath().resolve("known_hosts"),
                "sudo -n /sbin/shutdown -P +{delay_minutes} 'CubeGuardian'", "sudo -n /sbin/poweroff",
                "sudo -n /sbin/shutdown -c", "sudo -n /sbin/reboot", Duration.ofMinutes(5)), pve.ssh().orElseThrow());
        assertEquals(new MinecraftSettings("fd00::20", 25566, Duration.ofMillis(1500)), pve.minecraft().orElseThrow());
        assertEquals(new LifecycleTimeouts(Duration.ofHours(2), Duration.ofSeconds(90)), pve.timeouts());
        assertEquals(new IdleSettings(true, Duration.ofMinutes(20), Duration.ZERO, Duration.ofHours(1)), pve.idle());
    }

    @ParameterizedTest(name = "mac: {0}")
    @ValueSource(strings = {"\"AA:BB:CC:DD:EE:FF\"", "AA:BB:CC:DD:EE:FF", "aa:bb:cc:dd:ee:ff", "AA-BB-CC-DD-EE-FF",
        "aabb.ccdd.eeff", "AABB.CCDD.EEFF", "aabbccddeeff", "'aabbccddeeff'"})
    void everyMacSpelling(String mac) {
        Inventory inventory = files.load("""
                hosts:
                  pve:
                    mac: %s
                    address: 192.168.1.10
                """.formatted(mac));

        assertEquals("AA:BB:CC:DD:EE:FF", inventory.host("pve").orElseThrow().mac().toString());
    }

    @Test
    void allDigitMacStillReadsAsAMacThoughYamlTagsItAnInteger() {
        Inventory inventory = files.load("""
                hosts:
                  pve:
                    mac: 001122334455
                    address: 192.168.1.10
                """);

        assertEquals("00:11:22:33:44:55", inventory.host("pve").orElseThrow().mac().toString());
    }

    @Test
    void hostsKeepFileOrder() {
        StringBuilder yaml = new StringBuilder("hosts:\n");
        List<String> ids = List.of("zeta", "alpha", "m1", "0-first", "b_2");
        for (int i = 0; i < ids.size(); i++) {
            yaml.append("  ").append(ids.get(i)).append(":\n")
                    .append("    mac: \"AA:BB:CC:DD:EE:0").append(i).append("\"\n")
                    .append("    address: 192.168.1.").append(10 + i).append('\n');
        }

        Inventory inventory = files.load(yaml.toString());

        assertEquals(ids, List.copyOf(inventory.hosts().keySet()));
        assertEquals("192.168.1.13", inventory.host("0-first").orElseThrow().address());
    }

    @Test
    void nullValuesMeanDefault() {
        HostConfig pve = files.load(MINIMAL + """
                    name: ~
                    wol:
                      port:
                      interval: null
                """).host("pve").orElseThrow();

        assertNull(pve.name());
        assertEquals(9, pve.wol().port());
        assertEquals(Duration.ofMillis(100), pve.wol().interval());
    }

    @Test
    void longestHostIdIsAccepted() {
        String id = "a" + "-".repeat(62);
        Inventory inventory = files.load("hosts:\n  " + id + ":\n    mac: aabbccddeeff\n    address: h\n");

        assertTrue(inventory.host(id).isPresent());
        assertFalse(inventory.host("pve").isPresent());
    }

    @Test
    void shutdownCommandWithoutPlaceholderIsAllowed() {
        HostConfig pve = files.load(MINIMAL + """
                    ssh:
                      key-file: id_ed25519
                      known-hosts-file: known_hosts
                      shutdown-command: /usr/local/bin/graceful-off
                """).host("pve").orElseThrow();

        assertEquals("/usr/local/bin/graceful-off", pve.ssh().orElseThrow().shutdownCommand());
    }

    @Test
    void mergeKeysWorkAndExplicitKeysWin() {
        Inventory inventory = files.load("""
                hosts:
                  pve:
                    mac: aabbccddeeff
                    address: p
                    wol: &lan
                      broadcast: 10.0.0.255
                      port: 7
                  nas:
                    mac: 001122334455
                    address: n
                    wol:
                      <<: *lan
                      port: 9
                """);

        WolSettings nas = inventory.host("nas").orElseThrow().wol();
        assertEquals("10.0.0.255", nas.broadcast());
        assertEquals(9, nas.port());
    }

    @Test
    void byteOrderMarkIsIgnored() {
        Inventory inventory = files.load("\uFEFF" + MINIMAL);

        assertEquals(1, inventory.hosts().size());
    }
}
