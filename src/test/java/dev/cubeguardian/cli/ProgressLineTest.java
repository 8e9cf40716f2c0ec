package dev.cubeguardian.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode progress(String action, String phase, int elapsed) {
        return json("{\"v\":1,\"host\":\"demo\",\"type\":\"progress\",\"action\":\"" + action + "\",\"id\":\"c-1\",\"phase\":\""
                + phase + "\",\"elapsed_s\":" + elapsed + ",\"scheduled_for\":\"2026-11-25T16:12:00.415Z\"}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "wake|packet_sent|0|demo: magic packet sent (0 s)",
        "wake|packet_resent|30|demo: no answer yet, magic packet sent again (30 s)",
        "wake|host_up|41|demo: host is up (41 s)",
        "wake|service_up|63|demo: game server is up (63 s)",
        "shutdown|command_sent|0|demo: shutdown command sent (0 s)",
        "shutdown|scheduled|0|demo: shutdown scheduled for 17:12:00 (0 s)",
        "shutdown|host_down|2|demo: host is down (2 s)",
        "wake|brand_new_phase|5|demo: brand_new_phase (5 s)",
    })
    void progressPhases(String action, String phase, int elapsed, String expected) {
        assertEquals(expected, ProgressLine.progress(progress(action, phase, elapsed), ZoneId.of("Europe/Paris"), CliTexts.ENGLISH));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "wake|ONLINE|true|8|''|demo: online after 8 s",
        "wake|STARTUP_TIMEOUT|false|600|''|demo: not online after 600 s (STARTUP_TIMEOUT)",
        "shutdown|OFFLINE|true|2|''|demo: off after 2 s",
        "shutdown|SHUTDOWN_TIMEOUT|false|60|''|demo: still answering 60 s after the shutdown (SHUTDOWN_TIMEOUT)",
        "shutdown|CANCELLED|false|0|,\"cancelled_by\":\"c-47\"|demo: shutdown cancelled by c-47 (CANCELLED)",
        "shutdown|SOMETHING_NEW|false|1|''|demo: shutdown completed: SOMETHING_NEW",
    })
    void completedCodes(String action, String code, boolean success, int elapsed, String extra, String expected) {
        assertEquals(expected, ProgressLine.completed(json("{\"v\":1,\"host\":\"demo\",\"type\":\"completed\",\"action\":\""
                + action + "\",\"id\":\"c-1\",\"success\":" + success + ",\"code\":\"" + code + "\",\"elapsed_s\":" + elapsed
                + extra + "}"), CliTexts.ENGLISH));
    }

    @ParameterizedTest
    // French has apostrophes: another quote character than CSV's '
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "wake|packet_sent|0|demo : paquet magique envoyé (0 s)",
        "wake|packet_resent|30|demo : toujours pas de réponse, paquet magique renvoyé (30 s)",
        "wake|host_up|41|demo : l'hôte est allumé (41 s)",
        "wake|service_up|63|demo : le serveur de jeu est démarré (63 s)",
        "shutdown|command_sent|0|demo : commande d'arrêt envoyée (0 s)",
        "shutdown|scheduled|0|demo : arrêt programmé à 17:12:00 (0 s)",
        "shutdown|host_down|2|demo : l'hôte est éteint (2 s)",
        "wake|brand_new_phase|5|demo : brand_new_phase (5 s)",
    })
    void progressPhasesInFrench(String action, String phase, int elapsed, String expected) {
        assertEquals(expected, ProgressLine.progress(progress(action, phase, elapsed), ZoneId.of("Europe/Paris"), CliTexts.FRENCH));
    }

    @ParameterizedTest
    // French has apostrophes: another quote character than CSV's '
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "wake|ONLINE|true|8|``|demo : en ligne après 8 s",
        "wake|STARTUP_TIMEOUT|false|600|``|demo : toujours pas en ligne après 600 s (STARTUP_TIMEOUT)",
        "shutdown|OFFLINE|true|2|``|demo : éteint après 2 s",
        "shutdown|SHUTDOWN_TIMEOUT|false|60|``|demo : répond encore 60 s après l'arrêt (SHUTDOWN_TIMEOUT)",
        "shutdown|CANCELLED|false|0|,\"cancelled_by\":\"c-47\"|demo : arrêt annulé par c-47 (CANCELLED)",
        "shutdown|CANCELLED|false|0|``|demo : arrêt annulé (CANCELLED)",
        "shutdown|SOMETHING_NEW|false|1|``|demo : shutdown terminé : SOMETHING_NEW",
    })
    void completedCodesInFrench(String action, String code, boolean success, int elapsed, String extra, String expected) {
        assertEquals(expected, ProgressLine.completed(json("{\"v\":1,\"host\":\"demo\",\"type\":\"completed\",\"action\":\""
                + action + "\",\"id\":\"c-1\",\"success\":" + success + ",\"code\":\"" + code + "\",\"elapsed_s\":" + elapsed
                + extra + "}"), CliTexts.FRENCH));
    }

    @Test
    void aFrenchWakeWaitPrintsEveryStepInFrenchWithoutGroupingTheSeconds() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, ZoneOffset.UTC,
                CliTexts.FRENCH);
        line.progress(progress("wake", "packet_sent", 0));
        line.progress(progress("wake", "packet_resent", 1200));
        line.progress(progress("wake", "host_up", 1241));
        line.progress(progress("wake", "service_up", 1263));
        line.completed(json("{\"v\":1,\"host\":\"demo\",\"type\":\"completed\",\"action\":\"wake\",\"id\":\"c-1\","
                + "\"success\":true,\"code\":\"ONLINE\",\"elapsed_s\":1263}"));
        assertEquals("""
                demo : paquet magique envoyé (0 s)
                demo : toujours pas de réponse, paquet magique renvoyé (1200 s)
                demo : l'hôte est allumé (1241 s)
                demo : le serveur de jeu est démarré (1263 s)
                demo : en ligne après 1263 s
                """, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void onATerminalOneLineIsRewrittenInPlaceAndBlankedWhereTheOldOneWasLonger() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, ZoneOffset.UTC, CliTexts.ENGLISH);
        line.progress(progress("wake", "packet_sent", 0));
        line.progress(progress("wake", "host_up", 1));
        line.finish("demo: online after 2 s");
        assertEquals("\rdemo: magic packet sent (0 s)"
                + "\rdemo: host is up (1 s)       "
                + "\rdemo: online after 2 s\n", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void elsewhereEveryStepIsItsOwnLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, ZoneOffset.UTC, CliTexts.ENGLISH);
        line.progress(progress("wake", "packet_sent", 0));
        line.interrupt();
        line.finish("demo: online after 2 s");
        assertEquals("demo: magic packet sent (0 s)\ndemo: online after 2 s\n", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anInterruptedTerminalLineIsEndedBeforeAnErrorFollows() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, ZoneOffset.UTC, CliTexts.ENGLISH);
        line.show("demo: host is up (1 s)");
        line.interrupt();
        line.interrupt();
        assertEquals("\rdemo: host is up (1 s)\n", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void overwriteBlanksTheRest() {
        assertEquals("\rab   ", ProgressLine.overwrite("ab", 5));
        assertEquals("\rabcdef", ProgressLine.overwrite("abcdef", 5));
    }
}
