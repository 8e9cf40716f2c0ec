package dev.cubeguardian.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.config.InvalidSettingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.ResourceBundle;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscordSettingsTest {

    @TempDir
    Path dir;

    @Test
    void defaults() {
        DiscordSettings s = DiscordSettings.load(Map.of(), false);
        assertNull(s.guildId());
        assertEquals(Locale.ENGLISH, s.defaultLocale());
        assertEquals(Duration.ofSeconds(10), s.cooldown());
        assertEquals(Duration.ofSeconds(30), s.resultTimeout());
        assertEquals("tcp://127.0.0.1:1883", s.mqttUrl());
        assertEquals("cubeguardian", s.baseTopic());
        assertTrue(s.mqttClientId().startsWith("cubeguardian-discord-"));
    }

    @Test
    void theFileIsReadAndTheEnvironmentWins() throws Exception {
        Path file = dir.resolve("discord.properties");
        Files.writeString(file, "guild-id = 123\nlocale = fr\ncooldown = 1m\nstart.roles = 7\nnotify-channel-id=55\n");
        DiscordSettings s = DiscordSettings.load(Map.of("CUBEGUARDIAN_DISCORD_CONFIG", file.toString(),
                "CUBEGUARDIAN_DISCORD_GUILD_ID", "456", "CUBEGUARDIAN_BASE_TOPIC", "lab", "CUBEGUARDIAN_MQTT_URL", "ssl://b:8883"), false);
        assertEquals("456", s.guildId());
        assertEquals(Locale.FRENCH, s.defaultLocale());
        assertEquals(Duration.ofMinutes(1), s.cooldown());
        assertEquals("55", s.notifyChannelId());
        assertEquals("lab", s.baseTopic());
        assertEquals("ssl://b:8883", s.mqttUrl());
        assertTrue(s.permissions().allows(Permissions.Action.START, "1", Set.of("7")));
    }

    @Test
    void mistakesNameTheSetting() throws Exception {
        assertEquals("CUBEGUARDIAN_DISCORD_LOCALE must be en or fr, not 'de'", assertThrows(InvalidSettingException.class,
                () -> DiscordSettings.load(Map.of("CUBEGUARDIAN_DISCORD_LOCALE", "de"), false)).getMessage());
        assertTrue(assertThrows(InvalidSettingException.class,
                () -> DiscordSettings.load(Map.of("CUBEGUARDIAN_DISCORD_COOLDOWN", "1.5m"), false)).getMessage()
                .startsWith("CUBEGUARDIAN_DISCORD_COOLDOWN: "));
        assertTrue(assertThrows(InvalidSettingException.class,
                () -> DiscordSettings.load(Map.of("CUBEGUARDIAN_DISCORD_GUILD_ID", "my-server"), false)).getMessage()
                .contains("must be a Discord id"));
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "guild_id=1\n");
        assertTrue(assertThrows(InvalidSettingException.class,
                () -> DiscordSettings.load(Map.of("CUBEGUARDIAN_DISCORD_CONFIG", file.toString()), false)).getMessage()
                .contains("unknown key 'guild_id'"));
    }

    @Test
    void theTokenComesFromTheEnvironmentOrAFileAndIsNeverShown() throws Exception {
        assertThrows(InvalidSettingException.class, () -> DiscordSettings.fromEnvironment(Map.of()));
        Path token = dir.resolve("token");
        Files.writeString(token, "secret.token.value\n");
        DiscordSettings s = DiscordSettings.fromEnvironment(Map.of("DISCORD_TOKEN_FILE", token.toString()));
        assertEquals("secret.token.value", s.token());
        assertFalse(s.toString().contains("secret"));
        assertEquals("env.token", DiscordSettings.fromEnvironment(Map.of("DISCORD_TOKEN", "env.token",
                "DISCORD_TOKEN_FILE", token.toString())).token());
    }

    @Test
    void englishAndFrenchHaveTheSameTexts() throws Exception {
        Properties en = new Properties();
        Properties fr = new Properties();
        try (var in = getClass().getResourceAsStream("/discord_messages.properties")) {
            en.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        try (var in = getClass().getResourceAsStream("/discord_messages_fr.properties")) {
            fr.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        assertEquals(new HashSet<>(en.stringPropertyNames()), new HashSet<>(fr.stringPropertyNames()));
        assertEquals("Paquet magique envoyé".length(), ResourceBundle.getBundle("discord_messages", Locale.FRENCH)
                .getString("progress.packet_sent").length() - 2, "bundles are read as UTF-8");
    }

    @Test
    void theUsersDiscordLocalePicksTheLanguage() {
        assertEquals(Locale.FRENCH, Texts.pick("fr", Locale.ENGLISH));
        assertEquals(Locale.ENGLISH, Texts.pick("en-GB", Locale.FRENCH));
        assertEquals(Locale.FRENCH, Texts.pick("de", Locale.FRENCH));
        assertEquals(Locale.ENGLISH, Texts.pick(null, Locale.ENGLISH));
        assertEquals("1 h 5 min", Texts.of(Locale.ENGLISH).duration(Duration.ofMinutes(65)));
        assertEquals("3 min", Texts.of(Locale.FRENCH).duration(Duration.ofMinutes(3)));
    }
}
