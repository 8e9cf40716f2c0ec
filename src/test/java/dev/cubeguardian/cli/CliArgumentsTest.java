package dev.cubeguardian.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CliArgumentsTest {

    @TempDir
    Path dir;

    private static CliArguments parse(String line) throws CliFailure {
        return CliArguments.parse(line.isEmpty() ? new String[0] : line.split(" "), Map.of(), CliTexts.ENGLISH);
    }

    private static String error(String line) {
        return error(line, Map.of());
    }

    private static String error(String line, Map<String, String> env) {
        CliFailure failure = assertThrows(CliFailure.class,
                () -> CliArguments.parse(line.isEmpty() ? new String[0] : line.split(" "), env, CliTexts.ENGLISH));
        assertEquals(ExitCodes.USAGE, failure.exitCode());
        return failure.getMessage();
    }

    @Test
    void defaults() throws CliFailure {
        CliArguments wake = parse("wake demo");
        assertEquals("wake", wake.command());
        assertEquals("demo", wake.host());
        assertEquals("tcp://127.0.0.1:1883", wake.brokerUrl());
        assertEquals("cubeguardian", wake.baseTopic());
        assertEquals(Duration.ofSeconds(30), wake.timeout());
        assertFalse(wake.follow());
        assertFalse(wake.help());
        assertNull(wake.username());
        assertNull(wake.passwordFile());
        assertNull(wake.caFile());
    }

    @Test
    void shutdownOptionsInBothSpellings() throws CliFailure {
        CliArguments a = parse("shutdown pve --delay 5 --force --wait --timeout=120");
        assertEquals(5, a.delayMinutes());
        assertTrue(a.force());
        assertTrue(a.follow());
        assertEquals(Duration.ofSeconds(120), a.timeout());
        CliArguments b = parse("shutdown --delay=0 pve");
        assertEquals(0, b.delayMinutes());
        assertFalse(b.force());
    }

    @Test
    void waitingGetsALongerDefaultTimeoutThatCoversTheDelay() throws CliFailure {
        assertEquals(Duration.ofMinutes(15), parse("wake demo --wait").timeout());
        assertEquals(Duration.ofMinutes(25), parse("shutdown demo --delay 10 --wait").timeout());
        assertEquals(Duration.ofSeconds(30), parse("shutdown demo --delay 10").timeout());
    }

    @Test
    void statusTakesAnOptionalHost() throws CliFailure {
        assertNull(parse("status").host());
        assertEquals("demo", parse("status demo").host());
        assertTrue(parse("status").isStatus());
    }

    @Test
    void optionsWinOverTheEnvironmentWhichWinsOverDefaults() throws Exception {
        Path password = Files.writeString(dir.resolve("pw"), "secret\n");
        Map<String, String> env = Map.of("CUBEGUARDIAN_MQTT_URL", "tcp://broker.lan:1883",
                "CUBEGUARDIAN_MQTT_USERNAME", "alice", "CUBEGUARDIAN_MQTT_PASSWORD_FILE", password.toString(),
                "CUBEGUARDIAN_BASE_TOPIC", "cg-lab", "CUBEGUARDIAN_MQTT_CA_FILE", password.toString());
        CliArguments fromEnv = CliArguments.parse(new String[] {"status"}, env, CliTexts.ENGLISH);
        assertEquals("tcp://broker.lan:1883", fromEnv.brokerUrl());
        assertEquals("alice", fromEnv.username());
        assertEquals(password, fromEnv.passwordFile());
        assertEquals(password, fromEnv.caFile());
        assertEquals("cg-lab", fromEnv.baseTopic());
        CliArguments fromOptions = CliArguments.parse(new String[] {"status", "--broker", "ssl://other:8883",
            "--username", "bob", "--base-topic", "cg-attic"}, env, CliTexts.ENGLISH);
        assertEquals("ssl://other:8883", fromOptions.brokerUrl());
        assertEquals("bob", fromOptions.username());
        assertEquals("cg-attic", fromOptions.baseTopic());
    }

    @Test
    void anEmptyVariableCountsAsUnset() throws CliFailure {
        CliArguments a = CliArguments.parse(new String[] {"status"}, Map.of("CUBEGUARDIAN_MQTT_URL", "",
                "CUBEGUARDIAN_BASE_TOPIC", "", "CUBEGUARDIAN_MQTT_PASSWORD_FILE", ""), CliTexts.ENGLISH);
        assertEquals("tcp://127.0.0.1:1883", a.brokerUrl());
        assertEquals("cubeguardian", a.baseTopic());
        assertNull(a.passwordFile());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--help", "-h", "help", "wake --help", "status -h", "shutdown demo --delay 5 --help", "cancel --bogus --help"})
    void helpWinsOverEverythingElseExceptAnUnknownOptionBeforeIt(String line) throws CliFailure {
        if (line.contains("--bogus")) {
            assertEquals("unknown option '--bogus'", error(line));
        } else {
            assertTrue(parse(line).help());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|missing command: one of wake, shutdown, cancel, status, idle, reboot",
        "hibernate demo|unknown command 'hibernate': use wake, shutdown, cancel, status, idle or reboot",
        "wake|wake needs a host id, e.g. cubeguardian wake demo",
        "shutdown|shutdown needs a host id, e.g. cubeguardian shutdown demo",
        "cancel|cancel needs a host id, e.g. cubeguardian cancel demo",
        "wake demo pve|too many arguments: pve",
        "status demo pve nas|too many arguments: pve nas",
        "wake Demo|'Demo' is not a host id (a-z, 0-9, _ and -, at most 63 characters)",
        "wake -demo|unknown option '-demo'",
        "status _x|'_x' is not a host id (a-z, 0-9, _ and -, at most 63 characters)",
        "wake demo --verbose|unknown option '--verbose'",
        "wake demo --broker|--broker needs a value",
        "wake demo --broker=|--broker needs a value",
        "wake demo --wait=yes|--wait takes no value",
        "wake demo --wait --wait|--wait given twice",
        "wake demo --timeout 5 --timeout 6|--timeout given twice",
        "cancel demo --wait|--wait is only for wake, shutdown and reboot",
        "status --wait|--wait is only for wake, shutdown and reboot",
        "wake demo --force|--force is only for shutdown and reboot",
        "wake demo --delay 5|--delay is only for shutdown",
        "shutdown demo --delay -1|--delay must be a whole number of minutes from 0 to 1440, not '-1'",
        "shutdown demo --delay 1441|--delay must be a whole number of minutes from 0 to 1440, not '1441'",
        "shutdown demo --delay 5.5|--delay must be a whole number of minutes from 0 to 1440, not '5.5'",
        "shutdown demo --delay soon|--delay must be a whole number of minutes from 0 to 1440, not 'soon'",
        "status --timeout 0|--timeout must be a whole number of seconds from 1 to 172800, not '0'",
        "status --timeout 10s|--timeout must be a whole number of seconds from 1 to 172800, not '10s'",
        "status --broker 127.0.0.1:1883|--broker '127.0.0.1:1883' is not a broker URL: use tcp://host:port or ssl://host:port",
        "status --broker http://x:1883|--broker 'http://x:1883' is not a broker URL: use tcp://host:port or ssl://host:port",
        "status --broker tcp://|--broker 'tcp://' is not a broker URL: use tcp://host:port or ssl://host:port",
        "status --base-topic cg/#|--base-topic 'cg/#' must be a plain topic prefix: no wildcards, no leading $ or /, no empty level",
        "status --base-topic /cg|--base-topic '/cg' must be a plain topic prefix: no wildcards, no leading $ or /, no empty level",
        "status --base-topic cg//x|--base-topic 'cg//x' must be a plain topic prefix: no wildcards, no leading $ or /, no empty level",
        "status --password-file /nonexistent/pw|--password-file '/nonexistent/pw' is not a readable file",
        "status --ca-file /nonexistent/ca.pem|--ca-file '/nonexistent/ca.pem' is not a readable file",
    })
    void everyMistakeIsAUsageErrorSayingWhatIsWrong(String line, String message) {
        assertEquals(message, error(line));
    }

    @Test
    void aBadVariableIsNamed() {
        assertEquals("CUBEGUARDIAN_MQTT_URL 'localhost' is not a broker URL: use tcp://host:port or ssl://host:port",
                error("status", Map.of("CUBEGUARDIAN_MQTT_URL", "localhost")));
        assertEquals("CUBEGUARDIAN_BASE_TOPIC '$SYS' must be a plain topic prefix: no wildcards, no leading $ or /, no empty level",
                error("status", Map.of("CUBEGUARDIAN_BASE_TOPIC", "$SYS")));
        assertEquals("CUBEGUARDIAN_MQTT_PASSWORD_FILE '/nonexistent' is not a readable file",
                error("status", Map.of("CUBEGUARDIAN_MQTT_PASSWORD_FILE", "/nonexistent")));
        assertEquals("CUBEGUARDIAN_MQTT_CA_FILE '/nonexistent' is not a readable file",
                error("status", Map.of("CUBEGUARDIAN_MQTT_CA_FILE", "/nonexistent")));
    }
}
