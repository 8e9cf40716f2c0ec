package dev.cubeguardian.rcon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the players read in the chat before a shutdown, in English and in French. */
@Timeout(10)
class GameTextsTest {

    private final GameTexts english = new GameTexts(Locale.ENGLISH);
    private final GameTexts french = new GameTexts(Locale.FRENCH);

    @Test
    void bothLanguagesHaveTheSameTexts() {
        Properties en = load("game_messages.properties");
        Properties fr = load("game_messages_fr.properties");
        assertEquals(en.stringPropertyNames(), fr.stringPropertyNames());
        assertEquals(6, en.size());
    }

    @Test
    void oneSecondIsSingular() {
        assertEquals("Server shutting down in 1 second", english.shuttingDownIn(java.time.Duration.ofSeconds(1)));
        assertEquals("Arrêt du serveur dans 1 seconde", french.shuttingDownIn(java.time.Duration.ofSeconds(1)));
    }

    @Test
    void theCountdownInEnglish() {
        assertEquals("Server shutting down in 5 minutes", english.shuttingDownIn(Duration.ofMinutes(5)));
        assertEquals("Server shutting down in 1 minute", english.shuttingDownIn(Duration.ofMinutes(1)));
        assertEquals("Server shutting down in 10 seconds", english.shuttingDownIn(Duration.ofSeconds(10)));
        assertEquals("Server shutting down in 90 seconds", english.shuttingDownIn(Duration.ofSeconds(90)));
        assertEquals("Server shutting down in 120 minutes", english.shuttingDownIn(Duration.ofHours(2)));
        assertEquals("Server shutting down now", english.shuttingDownIn(Duration.ZERO));
        assertEquals("Shutdown cancelled", english.text("shutdown.cancelled"));
    }

    @Test
    void theCountdownInFrench() {
        assertEquals("Arrêt du serveur dans 5 minutes", french.shuttingDownIn(Duration.ofMinutes(5)));
        assertEquals("Arrêt du serveur dans 1 minute", french.shuttingDownIn(Duration.ofMinutes(1)));
        assertEquals("Arrêt du serveur dans 10 secondes", french.shuttingDownIn(Duration.ofSeconds(10)));
        assertEquals("Arrêt annulé", french.text("shutdown.cancelled"));
    }

    @Test
    void aLanguageWithoutItsOwnTextsSpeaksEnglish() {
        assertEquals("Server shutting down in 5 minutes", new GameTexts(Locale.GERMAN).shuttingDownIn(Duration.ofMinutes(5)));
    }

    private static Properties load(String resource) {
        try (InputStream in = GameTextsTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            Properties properties = new Properties();
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            return properties;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
