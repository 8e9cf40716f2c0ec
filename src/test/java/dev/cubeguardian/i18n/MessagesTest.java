package dev.cubeguardian.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.command.Messages;
import dev.cubeguardian.command.ResultCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MessagesTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d+)(,[^}]*)?}");

    private static Properties load(String resource) {
        try (InputStream in = MessagesTest.class.getClassLoader().getResourceAsStream(resource)) {
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

    private static final Properties EN = load("messages.properties");
    private static final Properties FR = load("messages_fr.properties");

    private static String en(String key, Object... args) {
        return new Messages(Locale.ENGLISH).format(key, Arrays.asList(args));
    }

    private static String fr(String key, Object... args) {
        return new Messages(Locale.FRENCH).format(key, Arrays.asList(args));
    }

    static Stream<Arguments> allPatterns() {
        List<Arguments> all = new ArrayList<>();
        EN.stringPropertyNames().stream().sorted().forEach(k -> all.add(Arguments.of("en", k, EN.getProperty(k))));
        FR.stringPropertyNames().stream().sorted().forEach(k -> all.add(Arguments.of("fr", k, FR.getProperty(k))));
        return all.stream();
    }

    /** Placeholder index to its format type ("" for plain), as written in the pattern. */
    private static Set<String> placeholders(String pattern) {
        Set<String> found = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(pattern.replace("''", ""));
        while (m.find()) {
            found.add(m.group(1) + (m.group(2) == null ? "" : m.group(2)));
        }
        return found;
    }

    // ---------------------------------------------------------------- completeness

    @Test
    void everyEnglishKeyHasAFrenchTextAndViceVersa() {
        Set<String> english = new TreeSet<>(EN.stringPropertyNames());
        Set<String> french = new TreeSet<>(FR.stringPropertyNames());

        Set<String> missingInFrench = new TreeSet<>(english);
        missingInFrench.removeAll(french);
        Set<String> missingInEnglish = new TreeSet<>(french);
        missingInEnglish.removeAll(english);

        assertEquals(Set.of(), missingInFrench, "keys missing from messages_fr.properties");
        assertEquals(Set.of(), missingInEnglish, "keys missing from messages.properties");
    }

    @ParameterizedTest
    @EnumSource(ResultCode.class)
    void everyResultCodeHasAMessageInBothLanguages(ResultCode code) {
        assertTrue(EN.containsKey(code.name()), code + " in messages.properties");
        assertTrue(FR.containsKey(code.name()), code + " in messages_fr.properties");
        assertFalse(EN.getProperty(code.name()).isBlank());
        assertFalse(FR.getProperty(code.name()).isBlank());
    }

    @Test
    void everyKeyIsACodeOrAVariantOfACode() {
        Set<String> codes = new TreeSet<>();
        for (ResultCode code : ResultCode.values()) {
            codes.add(code.name());
        }
        for (String key : EN.stringPropertyNames()) {
            String code = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            assertTrue(codes.contains(code), key + " belongs to no result code");
        }
    }

    // ---------------------------------------------------------------- pattern syntax

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allPatterns")
    void everyPatternCompilesAsMessageFormat(String language, String key, String pattern) {
        MessageFormat format = new MessageFormat(pattern, Locale.forLanguageTag(language));
        assertNotNull(format.toPattern());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allPatterns")
    void everyApostropheIsDoubled(String language, String key, String pattern) {
        // a single ' starts a quoted section and swallows the placeholders after it
        assertFalse(pattern.replace("''", "").contains("'"), key + " has a lone apostrophe: " + pattern);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allPatterns")
    void everyNumberFormatIsWithoutGrouping(String language, String key, String pattern) {
        for (String placeholder : placeholders(pattern)) {
            if (placeholder.contains(",")) {
                assertTrue(placeholder.endsWith(",number,#"), key + " uses " + placeholder + ": write {n,number,#}");
            }
        }
    }

    @Test
    void frenchUsesTheSamePlaceholdersAsEnglish() {
        for (String key : new TreeSet<>(EN.stringPropertyNames())) {
            assertEquals(placeholders(EN.getProperty(key)), placeholders(FR.getProperty(key)), key);
        }
    }

    // ---------------------------------------------------------------- French text, exactly

    @Test
    void frenchWolSent() {
        assertEquals("Paquet magique envoyé à AA:BB:CC:DD:EE:FF", fr("WOL_SENT", "AA:BB:CC:DD:EE:FF"));
    }

    @Test
    void frenchWolFailedRendersTheApostrophe() {
        assertEquals("Impossible d'envoyer le paquet magique à AA:BB:CC:DD:EE:FF : délai dépassé",
                fr("WOL_FAILED", "AA:BB:CC:DD:EE:FF", "délai dépassé"));
    }

    @Test
    void frenchOutOfRangeHasNoThousandsSeparator() {
        assertEquals("Commande invalide : delay_minutes doit être compris entre 0 et 1440",
                fr("INVALID_COMMAND.out_of_range", "delay_minutes", 0, 1440));
        assertEquals("Commande invalide : ttl_s doit être compris entre 1 et 86400",
                fr("INVALID_COMMAND.out_of_range", "ttl_s", 1, 86400));
    }

    @Test
    void frenchPayloadTooLarge() {
        assertEquals("Commande invalide : le message fait 4097 octets, la limite est 4096",
                fr("INVALID_COMMAND.payload_too_large", 4097, 4096));
    }

    @Test
    void frenchTopicErrorWithGuillemetsAndApostrophes() {
        assertEquals("Commande invalide : « PVE » n'est pas un identifiant d'hôte (a-z, 0-9, _ et -, 63 caractères au plus)",
                fr("INVALID_COMMAND.host_level", "PVE"));
    }

    @Test
    void frenchPlayersOnline() {
        assertEquals("pve a 2 joueur(s) en ligne : envoyez \"force\": true pour l'arrêter quand même",
                fr("PLAYERS_ONLINE", 2, "pve"));
    }

    @Test
    void frenchRebootTexts() {
        assertEquals("Redémarrage de Proxmox lancé", fr("REBOOT_SENT", "Proxmox"));
        assertEquals("pve a 2 joueur(s) en ligne : envoyez \"force\": true pour le redémarrer quand même",
                fr("PLAYERS_ONLINE.reboot", 2, "pve"));
        assertEquals("pve a un arrêt programmé : annulez-le d'abord, puis redémarrez-le", fr("BUSY.reboot_shutdown_scheduled", "pve"));
    }

    @Test
    void englishRebootTexts() {
        assertEquals("Restart of Proxmox started", en("REBOOT_SENT", "Proxmox"));
        assertEquals("Cannot tell whether players are online on pve (the server does not answer): nothing was run;"
                + " send \"force\": true to restart it anyway", en("PLAYERS_UNKNOWN.reboot_unreachable", "pve"));
        assertEquals("pve is already restarting: wait until it is online again (or the startup timeout)",
                en("BUSY.reboot_rebooting", "pve"));
    }

    @Test
    void frenchShutdownScheduledLongDelay() {
        assertEquals("Arrêt de Proxmox programmé dans 1440 min", fr("SHUTDOWN_SCHEDULED", "Proxmox", 1440));
    }

    @Test
    void frenchCheckedServiceUp() {
        assertEquals("pve est allumé, Minecraft 1.21.4 en ligne avec 2/1000 joueurs",
                fr("CHECKED.service_up", "pve", "1.21.4", 2, 1000));
    }

    @Test
    void frenchNoSsh() {
        assertEquals("pve n'a pas d'accès SSH configuré : impossible d'exécuter shutdown",
                fr("UNKNOWN_ACTION.no_ssh", "pve", "shutdown"));
    }

    @Test
    void frenchUnknownHost() {
        assertEquals("Hôte inconnu « nope »", fr("UNKNOWN_HOST", "nope"));
    }

    @Test
    void frenchInternalError() {
        assertEquals("Erreur interne pendant l'exécution de la commande : boom", fr("INTERNAL_ERROR", "boom"));
    }

    // ---------------------------------------------------------------- English text, exactly

    @Test
    void englishTexts() {
        assertEquals("Magic packet sent to AA:BB:CC:DD:EE:FF", en("WOL_SENT", "AA:BB:CC:DD:EE:FF"));
        assertEquals("Unknown host 'nope'", en("UNKNOWN_HOST", "nope"));
        assertEquals("Invalid command: delay_minutes must be from 0 to 1440",
                en("INVALID_COMMAND.out_of_range", "delay_minutes", 0, 1440));
        assertEquals("Shutdown of pve scheduled in 1440 min", en("SHUTDOWN_SCHEDULED", "pve", 1440));
        assertEquals("pve has 12345 player(s) online: send \"force\": true to shut it down anyway",
                en("PLAYERS_ONLINE", 12345, "pve"));
    }

    // ---------------------------------------------------------------- lookup rules

    @Test
    void missingVariantFallsBackToTheCodeText() {
        assertEquals("Check of pve done", en("CHECKED.no_such_variant", "pve"));
        assertEquals("Vérification de pve faite", fr("CHECKED.no_such_variant", "pve"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"de", "en-US", "ja"})
    void otherLocalesGetEnglish(String tag) {
        assertEquals("Magic packet sent to X",
                new Messages(Locale.forLanguageTag(tag)).format("WOL_SENT", List.of("X")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fr", "fr-FR", "fr-CA", "fr-BE"})
    void everyFrenchLocaleGetsFrench(String tag) {
        assertEquals("Paquet magique envoyé à X",
                new Messages(Locale.forLanguageTag(tag)).format("WOL_SENT", List.of("X")));
    }

    @Test
    void frenchLocaleDoesNotGroupDigitsEvenInRegionalVariants() {
        assertEquals("Commande invalide : ttl_s doit être compris entre 1 et 86400",
                new Messages(Locale.forLanguageTag("fr-CH")).format("INVALID_COMMAND.out_of_range",
                        List.of("ttl_s", 1, 86400)));
    }
}
