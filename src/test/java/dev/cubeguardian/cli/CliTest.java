package dev.cubeguardian.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parts of {@link Cli#run} that need no broker. */
class CliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return runWith(Map.of(), args);
    }

    private int runWith(Map<String, String> env, String... args) {
        return Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env, false, ZoneOffset.UTC);
    }

    @Test
    void helpGoesToStdoutWithExitZero() {
        assertEquals(0, run("status", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: cubeguardian <command> [options]\n"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("3 timeout or broker unreachable."));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aUsageErrorIsTwoLinesOnStderrWithExitTwo() {
        assertEquals(2, run("shutdown", "demo", "--delay", "2000"));
        assertEquals("cubeguardian: --delay must be a whole number of minutes from 0 to 1440, not '2000'\n"
                + "Try 'cubeguardian --help'.\n", err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withTheFrenchLocaleTheHelpAndTheUsageErrorsAreFrench() {
        assertEquals(0, runWith(Map.of("CUBEGUARDIAN_LOCALE", "fr"), "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage : cubeguardian <commande> [options]\n"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("3 délai dépassé ou broker injoignable."));
        assertEquals(2, runWith(Map.of("CUBEGUARDIAN_LOCALE", "FR"), "shutdown", "demo", "--delay", "2000"));
        assertEquals("cubeguardian: --delay doit être un nombre entier de minutes de 0 à 1440, pas '2000'\n"
                + "Essayez 'cubeguardian --help'.\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anUnsupportedLocaleIsAUsageErrorInEnglishAndAnEmptyOneIsEnglish() {
        assertEquals(2, runWith(Map.of("CUBEGUARDIAN_LOCALE", "de"), "status"));
        assertEquals("cubeguardian: CUBEGUARDIAN_LOCALE 'de' is not supported: use en or fr\n"
                + "Try 'cubeguardian --help'.\n", err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8), "nothing was sent");
        assertEquals(0, runWith(Map.of("CUBEGUARDIAN_LOCALE", ""), "-h"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: cubeguardian <command> [options]\n"));
    }

    @Test
    void commandPayloadCarriesIdRequesterAndShutdownFields() throws CliFailure {
        CliArguments shutdown = CliArguments.parse(new String[] {"shutdown", "demo", "--delay", "5", "--force"}, Map.of(), CliTexts.ENGLISH);
        assertEquals("{\"id\":\"cli-1\",\"delay_minutes\":5,\"force\":true,\"requested_by\":\"cli:alice\"}",
                Cli.commandPayload("cli-1", shutdown, "cli:alice"));
        CliArguments wake = CliArguments.parse(new String[] {"wake", "demo"}, Map.of(), CliTexts.ENGLISH);
        assertEquals("{\"id\":\"cli-2\",\"requested_by\":\"cli:alice\"}", Cli.commandPayload("cli-2", wake, "cli:alice"));
    }

    @Test
    void requestedByIsCliAndTheUserWithinTheWorkersLimits() {
        assertEquals("cli:alice", Cli.requestedBy("alice"));
        assertEquals("cli:unknown", Cli.requestedBy(null));
        assertEquals("cli:unknown", Cli.requestedBy("\n"));
        assertEquals("cli:ab", Cli.requestedBy("a\tb"));
        assertEquals(128, Cli.requestedBy("x".repeat(300)).length());
    }

    @Test
    void idleOffForFourHoursSendsEnabledFalseAndTwoHundredFortyMinutes() throws CliFailure {
        CliArguments off = CliArguments.parse(new String[] {"idle", "demo", "off", "--for", "4h"}, Map.of(), CliTexts.ENGLISH);
        assertEquals("{\"id\":\"cli-1\",\"enabled\":false,\"for_minutes\":240,\"requested_by\":\"cli:alice\"}",
                Cli.commandPayload("cli-1", off, "cli:alice"));
        CliArguments on = CliArguments.parse(new String[] {"idle", "demo", "on"}, Map.of(), CliTexts.ENGLISH);
        assertEquals("{\"id\":\"cli-2\",\"enabled\":true,\"requested_by\":\"cli:alice\"}", Cli.commandPayload("cli-2", on, "cli:alice"));
    }

    @Test
    void idleWithoutOnOrOffOrWithMoreThanAWeekIsAUsageErrorAndNothingIsSent() {
        assertEquals(2, run("idle", "demo"));
        assertEquals(2, run("idle", "demo", "off", "--for", "8d"));
        assertEquals(2, run("idle", "demo", "on", "--for", "4h"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--for must be 1 minute to 7 days, as 90m, 4h, 2d or minutes, not '8d'"),
                err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void rebootTakesForceAndWaitAndSendsForce() throws CliFailure {
        CliArguments reboot = CliArguments.parse(new String[] {"reboot", "demo", "--force", "--wait"}, Map.of(), CliTexts.ENGLISH);
        assertTrue(reboot.follow());
        assertEquals("{\"id\":\"cli-3\",\"force\":true,\"requested_by\":\"cli:alice\"}", Cli.commandPayload("cli-3", reboot, "cli:alice"));
        assertEquals(2, run("reboot", "demo", "--delay", "5"), "a reboot always runs at once");
    }
}
