package dev.cubeguardian.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rejected inventory names the file, the 1-based line and the dotted field. */
class InventoryErrorsTest {

    /** Lines 1-4; whatever a test appends starts on line 5, at host-key indentation. */
    private static final String HOST = """
            hosts:
              pve:
                mac: "AA:BB:CC:DD:EE:FF"
                address: 192.168.1.10
            """;
    private static final String SSH = HOST + """
                ssh:
                  key-file: id_ed25519
                  known-hosts-file: known_hosts
            """; // ssh: on line 5, its keys on 6 and 7; appended keys start on line 8

    @TempDir
    Path dir;
    private InventoryFiles files;

    @BeforeEach
    void setUp() {
        files = new InventoryFiles(dir);
    }

    /** Checks the three parts and that the message is exactly "file:line: field: detail". */
    private InventoryException assertError(String yaml, int line, String field, String detail) {
        InventoryException e = files.fail(yaml);
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(detail, e.detail(), e.getMessage());
        assertEquals(dir.resolve("hosts.yaml"), e.file());
        String where = field.isEmpty() ? "" : field + ": ";
        assertEquals(dir.resolve("hosts.yaml") + ":" + line + ": " + where + detail, e.getMessage());
        return e;
    }

    // --- top level ---

    @Test
    void unknownTopLevelKey() {
        assertError("version: 1\nhost:\n  pve: {}\n", 2, "host", "unknown key (expected one of: version, hosts, time-zone)");
    }

    @Test
    void hostsMissing() {
        assertError("version: 1\n", 1, "hosts", "is required (a mapping of host id to host settings)");
    }

    @Test
    void hostsEmpty() {
        assertError("version: 1\nhosts: {}\n", 2, "hosts", "must list at least one host");
        assertError("version: 1\nhosts:\n", 2, "hosts", "must list at least one host");
    }

    @Test
    void hostsNotAMapping() {
        assertError("hosts:\n  - pve\n", 1, "hosts", "expected a mapping of keys, got a list");
    }

    @Test
    void wrongVersion() {
        assertError("version: 2\n" + HOST, 1, "version", "unsupported format version 2 (this CubeGuardian reads version 1)");
        assertError("version: \"1\"\n" + HOST, 1, "version",
                "expected a whole number from 0 to 1000000, got the text '1'");
    }

    @Test
    void rootNotAMapping() {
        assertError("- hosts\n", 1, "", "expected a mapping of keys, got a list");
    }

    // --- host ---

    @ParameterizedTest
    @ValueSource(strings = {"PVE", "-pve", "_pve", "pve.lan", "p ve", "pvé"})
    void badHostId(String id) {
        assertError("hosts:\n  \"" + id + "\":\n    mac: aabbccddeeff\n    address: h\n", 2, "hosts." + id,
                "'" + id + "' is not a valid host id (expected [a-z0-9][a-z0-9_-]{0,62}: lower-case letters,"
                        + " digits, '_' and '-', at most 63 characters; it is used in MQTT topics)");
    }

    @Test
    void hostIdTooLong() {
        String id = "a".repeat(64);
        InventoryException e = files.fail("hosts:\n  " + id + ":\n    mac: aabbccddeeff\n    address: h\n");
        assertEquals(2, e.line());
        assertEquals("hosts." + id, e.field());
    }

    @Test
    void unknownHostKey() {
        assertError(HOST + "    adress: 192.168.1.11\n", 5, "hosts.pve.adress",
                "unknown key (expected one of: name, mac, address, wol, probe, ssh, minecraft, timeouts, idle, schedule)");
    }

    @Test
    void unknownNestedKey() {
        assertError(HOST + "    wol:\n      port: 9\n      intervall: 100ms\n", 7, "hosts.pve.wol.intervall",
                "unknown key (expected one of: broadcast, port, packets, interval, secureon)");
    }

    @Test
    void hostNotAMapping() {
        assertError("hosts:\n  pve: yes\n", 2, "hosts.pve", "expected a mapping of keys, got the text 'yes'");
    }

    @Test
    void macMissing() {
        assertError("hosts:\n  pve:\n    address: h\n", 2, "hosts.pve.mac", "is required");
    }

    @Test
    void macWithoutValue() {
        assertError("hosts:\n  pve:\n    mac:\n    address: h\n", 3, "hosts.pve.mac", "is required but has no value");
    }

    @Test
    void macInvalid() {
        InventoryException e = assertError("hosts:\n  pve:\n    address: h\n    mac: zz\n", 4, "hosts.pve.mac",
                "'zz' is not a MAC address (expected AA:BB:CC:DD:EE:FF, AA-BB-CC-DD-EE-FF, aabb.ccdd.eeff or aabbccddeeff)");
        assertTrue(e.getMessage().endsWith("hosts.yaml:4: hosts.pve.mac: 'zz' is not a MAC address"
                + " (expected AA:BB:CC:DD:EE:FF, AA-BB-CC-DD-EE-FF, aabb.ccdd.eeff or aabbccddeeff)"));
    }

    @Test
    void macAsList() {
        assertError("hosts:\n  pve:\n    mac: [aa, bb]\n    address: h\n", 3, "hosts.pve.mac", "expected text, got a list");
    }

    @Test
    void addressMissing() {
        assertError("hosts:\n  pve:\n    mac: aabbccddeeff\n", 2, "hosts.pve.address", "is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"-oProxyCommand=reboot\"", "\"pve; reboot\"", "\"$(reboot)\"", "\"[::1]\"",
        "192.168.1.10:22", "300.1.1.1", "\"pve lan\"", "http://pve"})
    void addressInvalid(String address) {
        InventoryException e = files.fail("hosts:\n  pve:\n    mac: aabbccddeeff\n    address: " + address + "\n");
        assertEquals(4, e.line());
        assertEquals("hosts.pve.address", e.field());
        assertTrue(e.detail().endsWith("is not an IP address or DNS name (letters, digits, '.', '-' and ':' for IPv6"
                + " only; no brackets, ports or URLs)"), e.detail());
    }

    @Test
    void nameAsMapping() {
        assertError(HOST + "    name:\n      first: x\n", 5, "hosts.pve.name", "expected text, got a mapping");
    }

    @Test
    void duplicateKey() {
        assertError(HOST + "    mac: \"AA:BB:CC:DD:EE:00\"\n", 5, "hosts.pve.mac", "duplicate key (first given on line 3)");
    }

    @Test
    void duplicateHost() {
        assertError(HOST + "  pve:\n    mac: aabbccddeeff\n    address: h\n", 5, "hosts.pve",
                "duplicate key (first given on line 2)");
    }

    @Test
    void mergedValuesAreCheckedWhereTheyAreWritten() {
        assertError("""
                hosts:
                  pve:
                    mac: aabbccddeeff
                    address: h
                    wol: &wol
                      port: 70000
                  nas:
                    mac: aabbccddeeff
                    address: n
                    wol:
                      <<: *wol
                """, 6, "hosts.pve.wol.port", "70000 is out of range (1..65535)");
    }

    // --- wol ---

    @ParameterizedTest(name = "wol.port: {0}")
    @CsvSource(delimiter = '|', value = {
        "0          | 0 is out of range (1..65535)",
        "65536      | 65536 is out of range (1..65535)",
        "-9         | -9 is out of range (1..65535)",
        "99999999999999999999 | 99999999999999999999 is out of range (1..65535)",
        "'\"9\"'    | expected a whole number from 1 to 65535, got the text '9'",
        "true       | expected a whole number from 1 to 65535, got the boolean true",
        "9.0        | expected a whole number from 1 to 65535, got the number 9.0",
        "0x10       | expected a whole number from 1 to 65535, got the number 0x10",
        "[9]        | expected a whole number from 1 to 65535, got a list",
        "{a: 1}     | expected a whole number from 1 to 65535, got a mapping",
        "nine       | expected a whole number from 1 to 65535, got the text 'nine'",
    })
    void wolPort(String value, String detail) {
        assertError(HOST + "    wol:\n      port: " + value + "\n", 6, "hosts.pve.wol.port", detail);
    }

    @Test
    void wolPackets() {
        assertError(HOST + "    wol:\n      packets: 11\n", 6, "hosts.pve.wol.packets", "11 is out of range (1..10)");
        assertError(HOST + "    wol:\n      packets: 0\n", 6, "hosts.pve.wol.packets", "0 is out of range (1..10)");
    }

    @ParameterizedTest(name = "wol.interval: {0}")
    @CsvSource(delimiter = '|', value = {
        "11s        | 11s is too long (at most 10s)",
        "10001ms    | 10001ms is too long (at most 10s)",
        "-1s        | '-1s' is negative; durations must be 0 or more",
        "-1         | '-1' is negative; durations must be 0 or more",
        "1.5.2s     | '1.5.2s' is not a duration (expected a whole number with an optional unit ms, s, m or h, e.g. 500ms, 30s, 10m; a plain number is seconds)",
        "1.5s       | '1.5s' has a fraction; use a smaller unit instead (e.g. 1500ms, 90s)",
        "10x        | '10x' is not a duration (expected a whole number with an optional unit ms, s, m or h, e.g. 500ms, 30s, 10m; a plain number is seconds)",
        "'\"\"'     | a duration is required (expected a whole number with an optional unit ms, s, m or h, e.g. 500ms, 30s, 10m; a plain number is seconds)",
        "true       | expected a duration such as 500ms, 30s or 10m, got the boolean true",
        "[1s]       | expected a duration such as 500ms, 30s or 10m, got a list",
    })
    void wolInterval(String value, String detail) {
        assertError(HOST + "    wol:\n      port: 9\n      interval: " + value + "\n", 7, "hosts.pve.wol.interval", detail);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pve.lan", "\"::1\"", "300.0.0.1", "192.168.1"})
    void wolBroadcastMustBeIpv4(String value) {
        InventoryException e = files.fail(HOST + "    wol:\n      broadcast: " + value + "\n");
        assertEquals(6, e.line());
        assertEquals("hosts.pve.wol.broadcast", e.field());
        assertTrue(e.detail().endsWith("is not an IPv4 address (e.g. 192.168.1.255)"), e.detail());
    }

    @Test
    void wolSecureOn() {
        assertError(HOST + "    wol:\n      secureon: \"01:02:03\"\n", 6, "hosts.pve.wol.secureon",
                "'01:02:03' is not a SecureOn password (expected 6 bytes like 01:02:03:04:05:06 or 4 bytes like"
                        + " 01:02:03:04 or 192.0.2.1)");
    }

    @Test
    void wolNotAMapping() {
        assertError(HOST + "    wol: 9\n", 5, "hosts.pve.wol", "expected a mapping of keys, got the number 9");
    }

    // --- probe ---

    @Test
    void probeMethodUnknown() {
        assertError(HOST + "    probe:\n      method: udp\n", 6, "hosts.pve.probe.method",
                "'udp' is not a probe method (expected icmp or tcp)");
        assertError(HOST + "    probe:\n      method: TCP\n", 6, "hosts.pve.probe.method",
                "'TCP' is not a probe method (expected icmp or tcp)");
    }

    @Test
    void tcpProbeNeedsPort() {
        assertError(HOST + "    probe:\n      method: tcp\n      timeout: 1s\n", 5, "hosts.pve.probe.port",
                "is required when method is tcp");
    }

    @Test
    void icmpProbeRefusesPort() {
        assertError(HOST + "    probe:\n      port: 22\n", 6, "hosts.pve.probe.port",
                "is only used with method: tcp (icmp has no ports); remove it or set method: tcp");
        assertError(HOST + "    probe:\n      method: icmp\n      port: 22\n", 7, "hosts.pve.probe.port",
                "is only used with method: tcp (icmp has no ports); remove it or set method: tcp");
    }

    @Test
    void tcpProbePortRange() {
        assertError(HOST + "    probe:\n      method: tcp\n      port: 70000\n", 7, "hosts.pve.probe.port",
                "70000 is out of range (1..65535)");
    }

    @Test
    void probeTimeout() {
        assertError(HOST + "    probe:\n      timeout: 0\n", 6, "hosts.pve.probe.timeout", "must be more than 0");
        assertError(HOST + "    probe:\n      timeout: 0ms\n", 6, "hosts.pve.probe.timeout", "must be more than 0");
        assertError(HOST + "    probe:\n      timeout: 61s\n", 6, "hosts.pve.probe.timeout", "61s is too long (at most 1m)");
    }

    // --- ssh ---

    @Test
    void sshKeyFileMissing() {
        assertError(HOST + "    ssh:\n      known-hosts-file: known_hosts\n", 5, "hosts.pve.ssh.key-file", "is required");
    }

    @Test
    void sshKeyFileDoesNotExist() {
        Path expected = dir.toAbsolutePath().resolve("nope");
        assertError(HOST + "    ssh:\n      known-hosts-file: known_hosts\n      key-file: nope\n", 7,
                "hosts.pve.ssh.key-file",
                "file " + expected + " does not exist (relative paths are resolved against " + dir.toAbsolutePath() + ")");
    }

    @Test
    void sshKeyFileIsADirectory() {
        assertError(HOST + "    ssh:\n      key-file: " + dir.toAbsolutePath() + "\n      known-hosts-file: known_hosts\n", 6,
                "hosts.pve.ssh.key-file", dir.toAbsolutePath() + " is not a regular file");
    }

    @Test
    void sshKeyFileBlank() {
        assertError(HOST + "    ssh:\n      key-file: \" \"\n      known-hosts-file: known_hosts\n", 6,
                "hosts.pve.ssh.key-file", "must name a file");
    }

    @Test
    void sshPassphraseFileDoesNotExist() {
        assertError(SSH + "      key-passphrase-file: /nonexistent/pass\n", 8, "hosts.pve.ssh.key-passphrase-file",
                "file /nonexistent/pass does not exist");
    }

    @Test
    void sshKnownHostsRequired() {
        assertError(HOST + "    ssh:\n      key-file: id_ed25519\n", 5, "hosts.pve.ssh.known-hosts-file",
                "is required: host keys are always verified (create one with: ssh-keyscan HOST > known_hosts,"
                        + " then check the fingerprints)");
    }

    @Test
    void sshKnownHostsDoesNotExist() {
        Path expected = dir.toAbsolutePath().resolve("missing_known_hosts");
        assertError(HOST + "    ssh:\n      key-file: id_ed25519\n      known-hosts-file: missing_known_hosts\n", 7,
                "hosts.pve.ssh.known-hosts-file",
                "file " + expected + " does not exist (relative paths are resolved against " + dir.toAbsolutePath() + ")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Root", "1admin", "\"a b\"", "\"-oProxy\"", "abcdefghijklmnopqrstuvwxyzabcdefg"})
    void sshUserInvalid(String user) {
        InventoryException e = files.fail(SSH + "      user: " + user + "\n");
        assertEquals(8, e.line());
        assertEquals("hosts.pve.ssh.user", e.field());
        assertTrue(e.detail().endsWith("is not a valid user name (expected [a-z_][a-z0-9_.-]{0,31})"), e.detail());
    }

    @Test
    void sshPort() {
        assertError(SSH + "      port: \"22\"\n", 8, "hosts.pve.ssh.port",
                "expected a whole number from 1 to 65535, got the text '22'");
    }

    @Test
    void sshTimeout() {
        assertError(SSH + "      timeout: 6m\n", 8, "hosts.pve.ssh.timeout", "6m is too long (at most 5m)");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "shutdown-command     | 'shutdown -h +{minutes}' | unknown placeholder {minutes} (the only placeholder is {delay_minutes}, in shutdown-command)",
        "shutdown-command     | 'shutdown -h +{delay}'   | unknown placeholder {delay} (the only placeholder is {delay_minutes}, in shutdown-command)",
        "shutdown-command     | 'echo ${HOME}'           | unknown placeholder {HOME} (the only placeholder is {delay_minutes}, in shutdown-command)",
        "shutdown-command     | 'shutdown -h +{}'        | unknown placeholder {} (the only placeholder is {delay_minutes}, in shutdown-command)",
        "shutdown-command     | 'shutdown {delay_minutes'| has an unmatched '{' or '}' (braces are reserved for {delay_minutes})",
        "shutdown-command     | 'shutdown }'             | has an unmatched '{' or '}' (braces are reserved for {delay_minutes})",
        "shutdown-command     | '\"\"'                   | must not be blank",
        "shutdown-command     | '\"  \"'                 | must not be blank",
        "shutdown-command     | '\"shutdown -h +1\\nreboot\"' | must be a single line without newline, NUL or other control characters",
        "shutdown-command     | '\"shutdown\\0\"'        | must be a single line without newline, NUL or other control characters",
        "shutdown-command     | '\"shutdown\\r\"'        | must be a single line without newline, NUL or other control characters",
        "shutdown-command     | '[shutdown]'             | expected text, got a list",
        "shutdown-now-command | 'shutdown -h +{delay_minutes}' | takes no placeholders ({delay_minutes} only applies to shutdown-command)",
        "shutdown-now-command | 'shutdown -h {when}'     | unknown placeholder {when} (the only placeholder is {delay_minutes}, in shutdown-command)",
        "cancel-command       | '\"\"'                   | must not be blank",
        "cancel-command       | 'shutdown -c {delay_minutes}' | takes no placeholders ({delay_minutes} only applies to shutdown-command)",
        "cancel-command       | '\"shutdown -c\\n\"'     | must be a single line without newline, NUL or other control characters",
        "reboot-command       | '\"\"'                   | must not be blank",
        "reboot-command       | 'reboot {delay_minutes}' | takes no placeholders ({delay_minutes} only applies to shutdown-command)",
        "reboot-command       | 'shutdown -r +{delay}'   | unknown placeholder {delay} (the only placeholder is {delay_minutes}, in shutdown-command)",
        "reboot-command       | '\"reboot\\nrm -rf /\"'  | must be a single line without newline, NUL or other control characters",
        "reboot-command       | '[reboot]'               | expected text, got a list",
    })
    void commandTemplates(String key, String value, String detail) {
        assertError(SSH + "      " + key + ": " + value + "\n", 8, "hosts.pve.ssh." + key, detail);
    }

    @Test
    void unknownSshKey() {
        assertError(SSH + "      strict-host-key-checking: no\n", 8, "hosts.pve.ssh.strict-host-key-checking",
                "unknown key (expected one of: port, user, key-file, key-passphrase-file, known-hosts-file,"
                        + " shutdown-command, shutdown-now-command, cancel-command, reboot-command, timeout)");
    }

    // --- minecraft, timeouts, idle ---

    @Test
    void minecraft() {
        assertError(HOST + "    minecraft:\n      port: 0\n", 6, "hosts.pve.minecraft.port", "0 is out of range (1..65535)");
        assertError(HOST + "    minecraft:\n      address: \"mc;reboot\"\n", 6, "hosts.pve.minecraft.address",
                "'mc;reboot' is not an IP address or DNS name (letters, digits, '.', '-' and ':' for IPv6 only;"
                        + " no brackets, ports or URLs)");
        assertError(HOST + "    minecraft:\n      timeout: 2m\n", 6, "hosts.pve.minecraft.timeout", "2m is too long (at most 1m)");
    }

    @Test
    void timeouts() {
        assertError(HOST + "    timeouts:\n      startup: 0s\n", 6, "hosts.pve.timeouts.startup", "must be more than 0");
        assertError(HOST + "    timeouts:\n      startup: 3h\n", 6, "hosts.pve.timeouts.startup", "3h is too long (at most 2h)");
        assertError(HOST + "    timeouts:\n      shutdown: 61m\n", 6, "hosts.pve.timeouts.shutdown",
                "61m is too long (at most 1h)");
    }

    @Test
    void idle() {
        assertError(HOST + "    idle:\n      enabled: yes\n", 6, "hosts.pve.idle.enabled",
                "expected true or false, got the text 'yes'");
        assertError(HOST + "    idle:\n      enabled: \"true\"\n", 6, "hosts.pve.idle.enabled",
                "expected true or false, got the text 'true'");
        assertError(HOST + "    idle:\n      enabled: 1\n", 6, "hosts.pve.idle.enabled",
                "expected true or false, got the number 1");
        assertError(HOST + "    idle:\n      after: 0\n", 6, "hosts.pve.idle.after", "must be more than 0");
        assertError(HOST + "    idle:\n      minimum-uptime: 25h\n", 6, "hosts.pve.idle.minimum-uptime",
                "25h is too long (at most 24h)");
        assertError(HOST + "    idle:\n      grace: 2h\n", 6, "hosts.pve.idle.grace", "2h is too long (at most 1h)");
    }

    // --- file and YAML level ---

    @Test
    void yamlSyntaxErrorNamesTheLine() {
        InventoryException e = files.fail(HOST + "    wol:\n      port: 9\n     packets: 3\n");
        assertEquals(7, e.line(), e.getMessage());
        assertEquals("", e.field());
        assertTrue(e.getMessage().startsWith(dir.resolve("hosts.yaml") + ":7: invalid YAML: "), e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1, e.getMessage());
    }

    @Test
    void unclosedQuoteNamesTheLine() {
        InventoryException e = files.fail("hosts:\n  pve:\n    mac: \"aabbccddeeff\n    address: h\n");
        assertTrue(e.line() >= 3, e.getMessage());
        assertTrue(e.getMessage().contains("invalid YAML"), e.getMessage());
    }

    @Test
    void tabIndentation() {
        InventoryException e = files.fail("hosts:\n  pve:\n\tmac: aabbccddeeff\n");
        assertEquals(3, e.line(), e.getMessage());
    }

    @Test
    void emptyFile() {
        InventoryException e = files.fail("# nothing here\n");
        assertEquals(0, e.line());
        assertEquals(dir.resolve("hosts.yaml") + ": the file is empty; expected a 'hosts:' mapping", e.getMessage());
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("absent.yaml");
        InventoryException e = assertThrows(InventoryException.class, () -> InventoryLoader.load(file));
        assertEquals(0, e.line());
        assertEquals(file + ": inventory file not found", e.getMessage());
    }

    @Test
    void notUtf8() throws Exception {
        Path file = dir.resolve("latin1.yaml");
        java.nio.file.Files.write(file, "hosts:\n  pve:\n    name: Caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        InventoryException e = assertThrows(InventoryException.class, () -> InventoryLoader.load(file));
        assertEquals(file + ": the file is not valid UTF-8", e.getMessage());
    }

    @Test
    void twoDocuments() {
        InventoryException e = files.fail(HOST + "---\n" + HOST);
        assertEquals(5, e.line(), e.getMessage());
    }
}
