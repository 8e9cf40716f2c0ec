package dev.cubeguardian.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The command-line client's bundle, cli_messages*.properties: complete in both languages, well-formed. */
class CliMessagesTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d+)(,[^}]*)?}");
    /** The same word in both languages, on purpose. */
    private static final Set<String> SAME_IN_FRENCH = Set.of("status.version");
    /** The host states of the MQTT API: English shows them as the API names them. */
    private static final List<String> STATES = List.of("off", "waking", "starting", "online", "stopping", "unreachable",
            "unknown");

    private static Properties load(String resource) {
        try (InputStream in = CliMessagesTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, resource + " is on the class path");
            Properties properties = new Properties();
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            return properties;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static final Properties EN = load("cli_messages.properties");
    private static final Properties FR = load("cli_messages_fr.properties");

    static Stream<Arguments> allPatterns() {
        List<Arguments> all = new ArrayList<>();
        EN.stringPropertyNames().stream().sorted().forEach(k -> all.add(Arguments.of("en", k, EN.getProperty(k))));
        FR.stringPropertyNames().stream().sorted().forEach(k -> all.add(Arguments.of("fr", k, FR.getProperty(k))));
        return all.stream();
    }

    private static List<String> placeholders(String pattern) {
        List<String> found = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(pattern.replace("''", ""));
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    @Test
    void everyEnglishKeyHasAFrenchTextAndViceVersa() {
        Set<String> missingInFrench = new TreeSet<>(EN.stringPropertyNames());
        missingInFrench.removeAll(FR.stringPropertyNames());
        Set<String> missingInEnglish = new TreeSet<>(FR.stringPropertyNames());
        missingInEnglish.removeAll(EN.stringPropertyNames());

        assertEquals(Set.of(), missingInFrench, "keys missing from cli_messages_fr.properties");
        assertEquals(Set.of(), missingInEnglish, "keys missing from cli_messages.properties");
    }

    @Test
    void noFrenchTextIsAnEnglishOneLeftUntranslated() {
        Set<String> same = new TreeSet<>();
        for (String key : EN.stringPropertyNames()) {
            if (EN.getProperty(key).equals(FR.getProperty(key)) && !SAME_IN_FRENCH.contains(key)) {
                same.add(key);
            }
        }
        assertEquals(Set.of(), same);
    }

    @Test
    void frenchUsesTheSamePlaceholdersAsEnglish() {
        for (String key : new TreeSet<>(EN.stringPropertyNames())) {
            assertEquals(new TreeSet<>(placeholders(EN.getProperty(key))), new TreeSet<>(placeholders(FR.getProperty(key))), key);
        }
    }

    @Test
    void englishShowsTheHostStatesAsTheApiNamesThem() {
        for (String state : STATES) {
            assertEquals(state, EN.getProperty("state." + state));
            assertFalse(FR.getProperty("state." + state).isBlank(), state);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allPatterns")
    void everyPatternCompilesAsMessageFormat(String language, String key, String pattern) {
        assertNotNull(new MessageFormat(pattern, Locale.forLanguageTag(language)).toPattern());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allPatterns")
    void everyApostropheIsDoubled(String language, String key, String pattern) {
        // a single ' starts a quoted section and swallows the placeholders after it
        assertFalse(pattern.replace("''", "").contains("'"), key + " has a lone apostrophe: " + pattern);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allPatterns")
    void noPlaceholderHasAFormatType(String language, String key, String pattern) {
        // numbers arrive written out (never grouped: 86400 s, not 86 400 s); {0,number} would refuse them
        for (String placeholder : placeholders(pattern)) {
            assertFalse(placeholder.contains(","), key + " uses " + placeholder + ": write a plain {n}");
        }
    }
}
