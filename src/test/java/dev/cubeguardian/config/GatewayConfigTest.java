package dev.cubeguardian.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.config.GatewaySettings.WakeOn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code minecraft.gateway}: every key, its default, and every mistake named by file, line and key. */
class GatewayConfigTest {

    /** Lines 1-6; the gateway's keys start on line 7. */
    private static final String HOST = """
            hosts:
              pve:
                mac: "AA:BB:CC:DD:EE:FF"
                address: 192.168.1.10
                minecraft:
                  gateway:
            """;
    private static final String FIELD = "hosts.pve.minecraft.gateway.";

    @TempDir
    Path dir;
    private InventoryFiles files;

    @BeforeEach
    void setUp() {
        files = new InventoryFiles(dir);
    }

    private GatewaySettings gateway(String keys) {
        return files.load(HOST + keys).host("pve").orElseThrow().minecraft().orElseThrow().gateway().orElseThrow();
    }

    private void assertError(String yaml, int line, String field, String detail) {
        InventoryException e = files.fail(yaml);
        assertEquals(dir.resolve("hosts.yaml"), e.file(), e.getMessage());
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(detail, e.detail(), e.getMessage());
        assertEquals(dir.resolve("hosts.yaml") + ":" + line + ": " + field + ": " + detail, e.getMessage());
    }

    private void assertGatewayError(String keys, int line, String key, String detail) {
        assertError(HOST + keys, line, FIELD + key, detail);
    }

    // --- what is accepted -----------------------------------------------------------------------

    @Test
    void everyKeyIsRead() {
        GatewaySettings gateway = gateway("""
                        listen: "[::]:25566"
                        wake-on: status
                        allow: [Alice, bob_2]
                        wake-cooldown: 5m
                        motd-sleeping: "§6Zzz - join to wake"
                        motd-starting: "Booting, one minute"
                        proxy-protocol: true
                """);

        assertEquals(new GatewaySettings("::", 25566, WakeOn.STATUS, List.of("Alice", "bob_2"), Duration.ofMinutes(5),
                "§6Zzz - join to wake", "Booting, one minute", true), gateway);
        assertEquals("[::]:25566", gateway.listen());
    }

    @Test
    void onlyListenIsRequiredAndTheRestHasDefaults() {
        GatewaySettings gateway = gateway("        listen: 0.0.0.0:25565\n");

        assertEquals(new GatewaySettings("0.0.0.0", 25565, WakeOn.LOGIN, List.of(), Duration.ofSeconds(60), null, null, false),
                gateway);
        assertTrue(gateway.allows("anyone"), "an empty allow list lets anyone wake it");
    }

    @Test
    void theAllowListMayBeWrittenOnePerLine() {
        GatewaySettings gateway = gateway("""
                        listen: 0.0.0.0:25565
                        allow:
                          - Alice
                          - x
                """);

        assertEquals(List.of("Alice", "x"), gateway.allow());
        assertTrue(gateway.allows("ALICE"));
    }

    @ParameterizedTest(name = "wake-on: {0}")
    @CsvSource({"login, LOGIN", "status, STATUS", "never, NEVER"})
    void everyWakeOnValue(String text, WakeOn expected) {
        assertEquals(expected, gateway("        listen: 0.0.0.0:25565\n        wake-on: " + text + "\n").wakeOn());
    }

    @ParameterizedTest(name = "listen: {0}")
    @CsvSource(delimiter = '|', value = {
        "0.0.0.0:25565       | 0.0.0.0     | 25565 | 0.0.0.0:25565",
        "127.0.0.1:1         | 127.0.0.1   | 1     | 127.0.0.1:1",
        "localhost:25566     | localhost   | 25566 | localhost:25566",
        "\"[::]:25565\"      | ::          | 25565 | [::]:25565",
        "\"[::1]:65535\"     | ::1         | 65535 | [::1]:65535",
        "\"[fd00::20]:25565\" | fd00::20    | 25565 | [fd00::20]:25565",
        "' 10.0.0.5:25565 '  | 10.0.0.5    | 25565 | 10.0.0.5:25565"})
    void everyListenForm(String yaml, String host, int port, String shown) {
        GatewaySettings gateway = gateway("        listen: " + yaml + "\n");

        assertEquals(host, gateway.listenHost());
        assertEquals(port, gateway.listenPort());
        assertEquals(shown, gateway.listen());
    }

    @Test
    void aMotdOf256CharactersIsStillAccepted() {
        assertEquals(256, gateway("        listen: 0.0.0.0:25565\n        motd-sleeping: " + "z".repeat(256) + "\n").motdSleeping().length());
    }

    @Test
    void aGatewayOnTheSamePortAsARemoteServerIsTheUsualSetUp() {
        // the worker listens on 25565 of its own machine; the game is on 25565 of the woken host
        GatewaySettings gateway = gateway("        listen: 0.0.0.0:25565\n");

        assertEquals(25565, gateway.listenPort());
    }

    @Test
    void hostsWithoutAGatewayHaveNone() {
        Inventory inventory = files.load("""
                hosts:
                  pve:
                    mac: "AA:BB:CC:DD:EE:FF"
                    address: 192.168.1.10
                    minecraft:
                      port: 25565
                """);

        assertTrue(inventory.host("pve").orElseThrow().minecraft().orElseThrow().gateway().isEmpty());
    }

    // --- what is refused ----------------------------------------------------------------------

    @Test
    void anEmptyGatewaySectionNeedsListen() {
        assertError(HOST, 6, FIELD + "listen", "is required");
        assertGatewayError("        listen:\n", 7, "listen", "is required but has no value");
    }

    @Test
    void anUnknownKeyIsRefusedWithTheKnownOnes() {
        assertGatewayError("        listen: 0.0.0.0:25565\n        wake_on: login\n", 8, "wake_on",
                "unknown key (expected one of: listen, wake-on, allow, wake-cooldown, motd-sleeping, motd-starting,"
                        + " proxy-protocol)");
    }

    @ParameterizedTest(name = "listen: {0}")
    @CsvSource(delimiter = '|', value = {
        "25565                 | '25565' is not host:port (e.g. 0.0.0.0:25565, [::]:25565, 127.0.0.1:25566)",
        "0.0.0.0               | '0.0.0.0' is not host:port (e.g. 0.0.0.0:25565, [::]:25565, 127.0.0.1:25566)",
        "0.0.0.0:mc            | '0.0.0.0:mc' is not host:port (e.g. 0.0.0.0:25565, [::]:25565, 127.0.0.1:25566)",
        "'::1:25565'           | '::1:25565' is not host:port (e.g. 0.0.0.0:25565, [::]:25565, 127.0.0.1:25566)",
        "tcp://0.0.0.0:25565   | 'tcp://0.0.0.0:25565' is not host:port (e.g. 0.0.0.0:25565, [::]:25565, 127.0.0.1:25566)",
        "\"[127.0.0.1]:25565\" | '127.0.0.1' in brackets is not an IPv6 address",
        "mc.example.org:25565  | 'mc.example.org' is not an address to listen on (an IPv4 address such as 0.0.0.0 or 127.0.0.1, [::] or another IPv6 address in brackets, or localhost)",
        "256.0.0.1:25565       | '256.0.0.1' is not an address to listen on (an IPv4 address such as 0.0.0.0 or 127.0.0.1, [::] or another IPv6 address in brackets, or localhost)"})
    void badListenForms(String yaml, String detail) {
        assertGatewayError("        listen: " + yaml + "\n", 7, "listen", detail);
    }

    @ParameterizedTest(name = "port {0}")
    @ValueSource(strings = {"0", "65536", "99999"})
    void aListenPortOutOfRange(String port) {
        assertGatewayError("        listen: 0.0.0.0:" + port + "\n", 7, "listen", "port " + port + " is out of range (1..65535)");
    }

    @Test
    void aWakeOnTypo() {
        assertGatewayError("        listen: 0.0.0.0:25565\n        wake-on: logon\n", 8, "wake-on",
                "'logon' is not a wake-on value (expected login, status or never)");
        assertGatewayError("        listen: 0.0.0.0:25565\n        wake-on: LOGIN\n", 8, "wake-on",
                "'LOGIN' is not a wake-on value (expected login, status or never)");
    }

    @ParameterizedTest(name = "allow: {0}")
    @ValueSource(strings = {"bad name", "Seventeen_chars_x", "élise", "bob;rm", "\"\""})
    void aBadPlayerNameInAllowIsNamedWithItsLine(String name) {
        String yaml = name.equals("\"\"") ? name : "\"" + name + "\"";
        String shown = name.equals("\"\"") ? "" : name;
        assertGatewayError("""
                        listen: 0.0.0.0:25565
                        allow:
                          - Alice
                          - %s
                """.formatted(yaml), 10, "allow[1]",
                "'" + shown + "' is not a Minecraft player name (1 to 16 letters, digits or '_')");
    }

    @Test
    void allowMustBeAList() {
        assertGatewayError("        listen: 0.0.0.0:25565\n        allow: Alice\n", 8, "allow", "expected a list, got the text 'Alice'");
    }

    @Test
    void aMotdTooLongForAServerList() {
        assertGatewayError("        listen: 0.0.0.0:25565\n        motd-starting: " + "z".repeat(257) + "\n", 8, "motd-starting",
                "is 257 characters long; a server list shows at most a couple of lines (at most 256)");
    }

    @Test
    void aWakeCooldownThatIsNotADurationOrTooLong() {
        assertGatewayError("        listen: 0.0.0.0:25565\n        wake-cooldown: 25h\n", 8, "wake-cooldown", "25h is too long (at most 24h)");
        InventoryException e = files.fail(HOST + "        listen: 0.0.0.0:25565\n        wake-cooldown: soon\n");
        assertEquals(8, e.line());
        assertEquals(FIELD + "wake-cooldown", e.field());
    }

    @Test
    void proxyProtocolIsABoolean() {
        assertGatewayError("        listen: 0.0.0.0:25565\n        proxy-protocol: yes\n", 8, "proxy-protocol",
                "expected true or false, got the text 'yes'");
    }

    // --- a gateway where the server is -------------------------------------------------------

    private static String selfProxy(String serverAddress, String listen) {
        return """
                hosts:
                  pve:
                    mac: "AA:BB:CC:DD:EE:FF"
                    address: 192.168.1.10
                    minecraft:
                      address: %s
                      port: 25565
                      gateway:
                        listen: %s
                """.formatted(serverAddress, listen);
    }

    @ParameterizedTest(name = "server {0}, listen {1}")
    @CsvSource({
        "192.168.1.10, 192.168.1.10:25565",
        "127.0.0.1, 127.0.0.1:25565",
        "127.0.0.1, 0.0.0.0:25565",
        "localhost, 0.0.0.0:25565",
        "'::1', '\"[::]:25565\"'",
        "localhost, 127.0.0.1:25565",
        "127.0.0.1, localhost:25565",
        "'::1', '\"[0:0:0:0:0:0:0:1]:25565\"'"})
    void aGatewayListeningWhereTheServerIsWouldProxyToItself(String server, String listen) {
        InventoryException e = files.fail(selfProxy(server, listen));

        assertEquals(8, e.line(), e.getMessage());
        assertEquals("hosts.pve.minecraft.gateway", e.field());
        assertTrue(e.detail().contains("is where minecraft.address:port (" + server + ":25565) already is"), e.detail());
    }

    @Test
    void aGatewayOnAnotherPortOfTheServersAddressIsFine() {
        Inventory inventory = files.load(selfProxy("127.0.0.1", "127.0.0.1:25566"));

        assertEquals(25566, inventory.host("pve").orElseThrow().minecraft().orElseThrow().gateway().orElseThrow().listenPort());
    }

    // --- two hosts' gateways ---------------------------------------------------------------

    private static String host(String id, String mac, String listen) {
        return """
                  %s:
                    mac: "%s"
                    address: 192.168.1.%d
                    minecraft:
                      gateway:
                        listen: %s
                """.formatted(id, mac, 10 + id.length(), listen);
    }

    @Test
    void twoGatewaysOnOnePortOfOneAddressOverlap() {
        InventoryException e = files.fail("hosts:\n" + host("pve", "AA:BB:CC:DD:EE:01", "0.0.0.0:25566")
                + host("nas", "AA:BB:CC:DD:EE:02", "0.0.0.0:25566"));

        assertEquals(13, e.line(), e.getMessage());
        assertEquals("hosts.nas.minecraft.gateway.listen", e.field());
        assertEquals("0.0.0.0:25566 overlaps the gateway of host 'pve' (0.0.0.0:25566): each gateway needs a port (or"
                + " address) of its own", e.detail());
        assertEquals(dir.resolve("hosts.yaml") + ":13: hosts.nas.minecraft.gateway.listen: " + e.detail(), e.getMessage());
    }

    @ParameterizedTest(name = "{0} and {1}")
    @CsvSource({
        "0.0.0.0:25566, 127.0.0.1:25566",
        "127.0.0.1:25566, 0.0.0.0:25566",
        "'\"[::]:25566\"', 127.0.0.1:25566",
        "localhost:25566, 127.0.0.1:25566",
        "'\"[::1]:25566\"', '\"[0:0:0:0:0:0:0:1]:25566\"'"})
    void aWildcardOrAnotherSpellingOfTheSameAddressOverlaps(String first, String second) {
        InventoryException e = files.fail("hosts:\n" + host("pve", "AA:BB:CC:DD:EE:01", first)
                + host("nas", "AA:BB:CC:DD:EE:02", second));

        assertEquals("hosts.nas.minecraft.gateway.listen", e.field());
        assertTrue(e.detail().contains("overlaps the gateway of host 'pve'"), e.detail());
    }

    @Test
    void gatewaysOnDistinctAddressesOrPortsAreApart() {
        Inventory inventory = files.load("hosts:\n" + host("pve", "AA:BB:CC:DD:EE:01", "127.0.0.1:25566")
                + host("nas", "AA:BB:CC:DD:EE:02", "127.0.0.2:25566")
                + host("lab", "AA:BB:CC:DD:EE:03", "0.0.0.0:25567"));

        assertEquals(3, inventory.hosts().size());
    }

    @Test
    void aThirdGatewayOverlappingTheSecondIsCaughtToo() {
        // the first on the port is on another address: the check must not compare with it alone
        InventoryException e = files.fail("hosts:\n" + host("pve", "AA:BB:CC:DD:EE:01", "127.0.0.1:25566")
                + host("nas", "AA:BB:CC:DD:EE:02", "127.0.0.2:25566")
                + host("lab", "AA:BB:CC:DD:EE:03", "127.0.0.2:25566"));

        assertEquals("hosts.lab.minecraft.gateway.listen", e.field());
        assertEquals(19, e.line());
        assertTrue(e.detail().contains("overlaps the gateway of host 'nas' (127.0.0.2:25566)"), e.detail());
    }
}
