package dev.cubeguardian.config;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The {@code minecraft.rcon} section: its defaults, every key, and each mistake named with its line. */
@Timeout(10)
class RconSectionTest {

    private static final String HOST = """
            hosts:
              pve:
                mac: "AA:BB:CC:DD:EE:FF"
                address: 192.168.1.10
                minecraft:
                  address: 192.168.1.20
                  rcon:
            """; // rcon: on line 7, its keys from line 8
    private static final String FIELD = "hosts.pve.minecraft.rcon";
    private static final String PASSWORD_FILE = "        password-file: rcon_password\n";

    @TempDir
    Path dir;
    private InventoryFiles files;

    @BeforeEach
    void setUp() {
        files = new InventoryFiles(dir);
        files.write("rcon_password", "correct horse battery staple\n");
    }

    private RconSettings rcon(String keys) {
        return files.load(HOST + keys).host("pve").orElseThrow().minecraft().orElseThrow().rcon().orElseThrow();
    }

    private void assertError(String keys, int line, String field, String detail) {
        InventoryException e = files.fail(HOST + keys);
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(detail, e.detail(), e.getMessage());
    }

    @Test
    void onlyThePasswordFileGivenTheRestIsTheDefaults() {
        RconSettings rcon = rcon(PASSWORD_FILE);
        assertEquals(25575, rcon.port());
        assertEquals(dir.resolve("rcon_password"), rcon.passwordFile());
        assertEquals(Duration.ofSeconds(5), rcon.timeout());
        assertEquals(List.of(Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofSeconds(10)), rcon.warnings());
        assertTrue(rcon.stopGame());
        assertEquals(Duration.ofMinutes(2), rcon.stopTimeout());
    }

    @Test
    void everyKeySet() {
        RconSettings rcon = rcon("""
                        port: 25580
                        password-file: rcon_password
                        timeout: 1500ms
                        warnings: [30s, 10m, 2m]
                        stop-game: false
                        stop-timeout: 45s
                """);
        assertEquals(25580, rcon.port());
        assertEquals(Duration.ofMillis(1500), rcon.timeout());
        assertEquals(List.of(Duration.ofMinutes(10), Duration.ofMinutes(2), Duration.ofSeconds(30)), rcon.warnings(),
                "longest first, whatever the order written");
        assertFalse(rcon.stopGame());
        assertEquals(Duration.ofSeconds(45), rcon.stopTimeout());
        assertEquals(List.of(), rcon(PASSWORD_FILE + "        warnings: []\n").warnings(), "no warnings at all");
    }

    @Test
    void thePasswordItselfIsNotInTheSettings() {
        assertFalse(rcon(PASSWORD_FILE).toString().contains("correct horse"));
    }

    @Test
    void noMinecraftRconNoSettings() {
        assertTrue(files.load(HOST.replace("      rcon:\n", "")).host("pve").orElseThrow().minecraft().orElseThrow().rcon().isEmpty());
    }

    @Test
    void thePasswordFileIsRequired() {
        assertError("        port: 25575\n", 7, FIELD + ".password-file", "is required");
    }

    @Test
    void aPasswordFileThatDoesNotExist() {
        assertError("        password-file: nowhere\n", 8, FIELD + ".password-file", "file " + dir.resolve("nowhere")
                + " does not exist (relative paths are resolved against " + dir + ")");
    }

    @Test
    void badWarnings() {
        assertAll(
                () -> assertError(PASSWORD_FILE + "        warnings: 5m\n", 9, FIELD + ".warnings", "expected a list, got the text '5m'"),
                () -> assertError(PASSWORD_FILE + "        warnings: [5m, 1m, 5m]\n", 9, FIELD + ".warnings[2]", "is listed twice"),
                () -> assertError(PASSWORD_FILE + "        warnings: [5m, 0s]\n", 9, FIELD + ".warnings[1]", "must be more than 0"),
                () -> assertError(PASSWORD_FILE + "        warnings: [1441m]\n", 9, FIELD + ".warnings[0]", "1441m is too long (at most 24h)"),
                () -> assertError(PASSWORD_FILE + "        warnings: [soon]\n", 9, FIELD + ".warnings[0]",
                        "'soon' is not a duration (expected a whole number with an optional unit ms, s, m or h, e.g. 500ms, 30s, 10m;"
                                + " a plain number is seconds)"),
                () -> assertError(PASSWORD_FILE + "        warnings: [1s, 2s, 3s, 4s, 5s, 6s, 7s, 8s, 9s, 10s, 11s]\n", 9,
                        FIELD + ".warnings", "has 11 warnings; at most 10"));
    }

    @Test
    void badValues() {
        assertAll(
                () -> assertError(PASSWORD_FILE + "        port: 0\n", 9, FIELD + ".port", "0 is out of range (1..65535)"),
                () -> assertError(PASSWORD_FILE + "        timeout: 61s\n", 9, FIELD + ".timeout", "61s is too long (at most 1m)"),
                () -> assertError(PASSWORD_FILE + "        stop-timeout: 31m\n", 9, FIELD + ".stop-timeout", "31m is too long (at most 30m)"),
                () -> assertError(PASSWORD_FILE + "        stop-timeout: 0s\n", 9, FIELD + ".stop-timeout", "must be more than 0"),
                () -> assertError(PASSWORD_FILE + "        stop-game: maybe\n", 9, FIELD + ".stop-game", "expected true or false, got the text 'maybe'"),
                () -> assertError(PASSWORD_FILE + "        password: hunter2\n", 9, FIELD + ".password",
                        "unknown key (expected one of: port, password-file, timeout, warnings, stop-game, stop-timeout)"));
    }
}
