package dev.cubeguardian.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.Format;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What players read at the gateway, in English and French. */
class GatewayTextsTest {

    private static final GatewayTexts EN = new GatewayTexts(Locale.ENGLISH);
    private static final GatewayTexts FR = new GatewayTexts(Locale.FRENCH);

    @ParameterizedTest(name = "{0} s: {1}")
    @CsvSource(delimiter = '|', value = {
        "-3  | in a few seconds",
        "0   | in a few seconds",
        "5   | in a few seconds",
        "6   | in about 10 seconds",
        "10  | in about 10 seconds",
        "40  | in about 40 seconds",
        "41  | in about 50 seconds",
        "50  | in about 50 seconds",
        "51  | in about a minute",
        "59  | in about a minute",
        "60  | in about a minute",
        "61  | in about 2 minutes",
        "90  | in about 2 minutes",
        "120 | in about 2 minutes",
        "121 | in about 3 minutes",
        "600 | in about 10 minutes",
        "3601 | in about 61 minutes"})
    void theComeBackTimeIsRoundedUpSoThePlayerFindsItUp(long seconds, String expected) {
        assertEquals(expected, EN.comeBackIn(Duration.ofSeconds(seconds)));
    }

    @Test
    void theComeBackTimeInFrench() {
        assertEquals("dans quelques secondes", FR.comeBackIn(Duration.ofSeconds(2)));
        assertEquals("dans environ 40 secondes", FR.comeBackIn(Duration.ofSeconds(33)));
        assertEquals("dans environ une minute", FR.comeBackIn(Duration.ofSeconds(57)));
        assertEquals("dans environ 3 minutes", FR.comeBackIn(Duration.ofSeconds(150)));
    }

    @Test
    void aThousandMinutesAreWrittenWithoutAGroupingSeparator() {
        assertEquals("in about 1000 minutes", EN.comeBackIn(Duration.ofMinutes(1000)));
        assertEquals("dans environ 1000 minutes", FR.comeBackIn(Duration.ofMinutes(1000)));
    }

    @Test
    void theKickTextsNameTheServerAndWhenToComeBack() {
        assertEquals("Survival is starting up. Join again in about 2 minutes.",
                EN.text("kick.wake_requested", "Survival", EN.comeBackIn(Duration.ofSeconds(90))));
        assertEquals("Le démarrage de Survie vient d'être demandé. Rejoignez dans environ une minute.",
                FR.text("kick.cooldown", "Survie", FR.comeBackIn(Duration.ofSeconds(60))));
        assertEquals("Survie est en veille, et vous n'êtes pas sur la liste des joueurs qui peuvent le réveiller.",
                FR.text("kick.not_allowed", "Survie"));
    }

    @Test
    void aServerNameWithBracesOrApostrophesIsShownAsItIs() {
        // the display name is an argument, never part of the pattern
        assertEquals("Bob's {0} world is starting up. Join again in a few seconds.",
                EN.text("kick.wake_requested", "Bob's {0} world", EN.comeBackIn(Duration.ZERO)));
    }

    @Test
    void aLocaleWithoutItsOwnTextsGetsTheEnglishOnes() {
        assertEquals("Sleeping - join to wake it up", new GatewayTexts(Locale.GERMAN).text("motd.sleeping"));
        assertEquals("En veille - rejoignez pour le réveiller", new GatewayTexts(Locale.CANADA_FRENCH).text("motd.sleeping"));
    }

    // --- the bundles themselves ---------------------------------------------------------------

    private static Properties bundle(String name) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = GatewayTextsTest.class.getResourceAsStream("/" + name)) {
            assertNotNull(in, name);
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }

    @Test
    void englishAndFrenchHaveTheSameKeys() throws IOException {
        assertEquals(new TreeSet<>(bundle("gateway_messages.properties").stringPropertyNames()),
                new TreeSet<>(bundle("gateway_messages_fr.properties").stringPropertyNames()));
    }

    @Test
    void everyKeyTheGatewayUsesIsInTheBundles() throws IOException {
        Set<String> keys = bundle("gateway_messages.properties").stringPropertyNames();
        for (String key : Set.of("motd.sleeping", "motd.starting", "motd.stopping", "kick.wake_requested", "kick.starting",
                "kick.cooldown", "kick.not_allowed", "kick.wake_on_never", "kick.stopping", "wait.moment", "wait.seconds",
                "wait.minute", "wait.minutes")) {
            assertTrue(keys.contains(key), key);
        }
    }

    private static final Pattern LONE_APOSTROPHE = Pattern.compile("(?<!')'(?!')");
    private static final Pattern ARGUMENT = Pattern.compile("\\{(\\d)");

    @Test
    void everyPatternIsAValidMessageFormatWithTheSameArgumentsInBothLanguages() throws IOException {
        Properties en = bundle("gateway_messages.properties");
        Properties fr = bundle("gateway_messages_fr.properties");
        for (String key : en.stringPropertyNames()) {
            for (Properties language : new Properties[] {en, fr}) {
                String pattern = language.getProperty(key);
                // a lone apostrophe starts a quoted part: the rest of the text would lose its arguments
                assertFalse(LONE_APOSTROPHE.matcher(pattern).find(), key + ": " + pattern);
                Format[] formats = new MessageFormat(pattern, Locale.ROOT).getFormatsByArgumentIndex();
                assertTrue(formats.length <= 2, key);
                Object[] args = key.startsWith("wait.") ? new Object[] {40} : new Object[] {"Host", "in about 40 seconds"};
                String formatted = new MessageFormat(pattern, Locale.ROOT).format(args);
                assertFalse(formatted.contains("{"), key + ": " + formatted);
            }
            assertEquals(arguments(en.getProperty(key)), arguments(fr.getProperty(key)), key);
        }
    }

    private static Set<String> arguments(String pattern) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = ARGUMENT.matcher(pattern);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    @Test
    void theMotdsFitAServerListLine() throws IOException {
        for (String name : new String[] {"gateway_messages.properties", "gateway_messages_fr.properties"}) {
            Properties texts = bundle(name);
            for (String key : texts.stringPropertyNames()) {
                if (key.startsWith("motd.")) {
                    // the client cuts a line at about 45 characters of its default font
                    assertTrue(texts.getProperty(key).length() <= 60, name + " " + key);
                }
            }
        }
    }
}
