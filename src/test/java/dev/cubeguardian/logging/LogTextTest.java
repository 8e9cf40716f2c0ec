package dev.cubeguardian.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void aTopicLevelOf65535CharactersCostsTheLogAHundredCharactersNotSixtyKilobytes() {
        String flood = "x".repeat(65_535);
        String logged = LogText.of(flood);
        assertTrue(logged.length() < 110, logged.length() + " chars");
        assertTrue(logged.endsWith("…(65535 chars)"), logged);
    }

    @Test
    void aLineBreakInAClientValueCannotForgeALogLine() {
        assertEquals("demo?2026-12-01 INFO forged", LogText.of("demo\n2026-12-01 INFO forged"));
    }

    @Test
    void shortValuesAndNullAreShownAsTheyAre() {
        assertEquals("c-42", LogText.of("c-42"));
        assertEquals("null", LogText.of(null));
    }
}
