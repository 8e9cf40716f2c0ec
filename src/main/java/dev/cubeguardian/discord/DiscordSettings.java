package dev.cubeguardian.discord;

import dev.cubeguardian.config.Durations;
import dev.cubeguardian.config.InvalidSettingException;
import dev.cubeguardian.mqtt.MqttClientSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The Discord front-end's settings. Each key can be set in the optional properties file named
 * by {@code CUBEGUARDIAN_DISCORD_CONFIG}, or as an environment variable: the key upper-cased,
 * with {@code .} and {@code -} turned into {@code _}, behind {@code CUBEGUARDIAN_DISCORD_}
 * ({@code stop.roles} is {@code CUBEGUARDIAN_DISCORD_STOP_ROLES}). The environment wins.
 * The broker settings are the worker's own variables; the token is never part of {@link #toString()}.
 */
public final class DiscordSettings {

    public static final String ENV_PREFIX = "CUBEGUARDIAN_DISCORD_";
    public static final String CONFIG_FILE_ENV = "CUBEGUARDIAN_DISCORD_CONFIG";
    public static final Set<String> KEYS = keys();
    private static final Pattern SNOWFLAKE = Pattern.compile("[0-9]{1,20}");

    private final String token;
    private final String guildId;
    private final Locale defaultLocale;
    private final String notifyChannelId;
    private final String mainHost;
    private final Duration cooldown;
    private final Duration resultTimeout;
    private final Duration followTimeout;
    private final String mqttUrl;
    private final String mqttUsername;
    private final Path mqttPasswordFile;
    private final Path mqttCaFile;
    private final String mqttClientId;
    private final String baseTopic;
    private final Permissions permissions;

    private DiscordSettings(Map<String, String> env, Map<String, String> file, boolean needToken) {
        Map<String, String> values = new HashMap<>(file);
        for (String key : KEYS) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null && !fromEnv.isBlank()) {
                values.put(key, fromEnv.trim());
            }
        }
        token = needToken ? token(env) : null;
        guildId = snowflake(values, "guild-id");
        notifyChannelId = snowflake(values, "notify-channel-id");
        String locale = values.getOrDefault("locale", "en");
        if (!locale.equals("en") && !locale.equals("fr")) {
            throw new InvalidSettingException(envName("locale") + " must be en or fr, not '" + locale + "'");
        }
        defaultLocale = Locale.forLanguageTag(locale);
        mainHost = blankToNull(values.get("main-host"));
        cooldown = duration(values, "cooldown", "10s");
        resultTimeout = duration(values, "result-timeout", "30s");
        followTimeout = duration(values, "follow-timeout", "14m");
        mqttUrl = env.getOrDefault("CUBEGUARDIAN_MQTT_URL", "tcp://127.0.0.1:1883");
        mqttUsername = blankToNull(env.get("CUBEGUARDIAN_MQTT_USERNAME"));
        mqttPasswordFile = path(env.get("CUBEGUARDIAN_MQTT_PASSWORD_FILE"));
        mqttCaFile = path(env.get("CUBEGUARDIAN_MQTT_CA_FILE"));
        mqttClientId = values.getOrDefault("mqtt-client-id",
                "cubeguardian-discord-" + UUID.randomUUID().toString().substring(0, 8));
        baseTopic = env.getOrDefault("CUBEGUARDIAN_BASE_TOPIC", "cubeguardian");
        permissions = Permissions.parse(values, DiscordSettings::envName);
    }

    /** The general keys, then each action's roles and users, for every host and per host. */
    private static Set<String> keys() {
        Set<String> keys = new java.util.HashSet<>(Set.of("guild-id", "locale", "notify-channel-id", "main-host", "cooldown",
                "result-timeout", "follow-timeout", "mqtt-client-id"));
        for (Permissions.Action action : Permissions.Action.values()) {
            keys.addAll(action.settingKeys());
        }
        return Set.copyOf(keys);
    }

    /** Reads the process environment and the optional config file; the token is required. */
    public static DiscordSettings fromEnvironment(Map<String, String> env) {
        return load(env, true);
    }

    /** As {@link #fromEnvironment} but without asking for a token (tests, `--check`). */
    public static DiscordSettings load(Map<String, String> env, boolean needToken) {
        Map<String, String> file = new HashMap<>();
        String configFile = env.get(CONFIG_FILE_ENV);
        if (configFile != null && !configFile.isBlank()) {
            file = readFile(Path.of(configFile));
        }
        return new DiscordSettings(env, file, needToken);
    }

    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    static Map<String, String> readFile(Path path) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new InvalidSettingException("cannot read " + CONFIG_FILE_ENV + " " + path + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (!KEYS.contains(key)) {
                throw new InvalidSettingException(path + ": unknown key '" + key + "' (known: " + String.join(", ",
                        KEYS.stream().sorted().toList()) + ")");
            }
            values.put(key, properties.getProperty(key).trim());
        }
        return values;
    }

    private static String token(Map<String, String> env) {
        String token = env.get("DISCORD_TOKEN");
        if (token == null || token.isBlank()) {
            String file = env.get("DISCORD_TOKEN_FILE");
            if (file == null || file.isBlank()) {
                throw new InvalidSettingException("set DISCORD_TOKEN or DISCORD_TOKEN_FILE to the bot token");
            }
            token = MqttClientSettings.readSecret(Path.of(file)).trim();
        }
        if (token.isBlank()) {
            throw new InvalidSettingException("the Discord bot token is empty");
        }
        return token.trim();
    }

    private static String snowflake(Map<String, String> values, String key) {
        String value = blankToNull(values.get(key));
        if (value != null && !SNOWFLAKE.matcher(value).matches()) {
            throw new InvalidSettingException(envName(key) + " must be a Discord id (digits), not '" + value + "'");
        }
        return value;
    }

    private static Duration duration(Map<String, String> values, String key, String fallback) {
        try {
            return Durations.parse(values.getOrDefault(key, fallback));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(envName(key) + ": " + e.getMessage(), e);
        }
    }

    private static Path path(String value) {
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    public String token() {
        return token;
    }

    public String guildId() {
        return guildId;
    }

    public Locale defaultLocale() {
        return defaultLocale;
    }

    public String notifyChannelId() {
        return notifyChannelId;
    }

    public String mainHost() {
        return mainHost;
    }

    public Duration cooldown() {
        return cooldown;
    }

    public Duration resultTimeout() {
        return resultTimeout;
    }

    public Duration followTimeout() {
        return followTimeout;
    }

    public String mqttUrl() {
        return mqttUrl;
    }

    public String mqttUsername() {
        return mqttUsername;
    }

    public Path mqttPasswordFile() {
        return mqttPasswordFile;
    }

    public Path mqttCaFile() {
        return mqttCaFile;
    }

    public String mqttClientId() {
        return mqttClientId;
    }

    public String baseTopic() {
        return baseTopic;
    }

    public Permissions permissions() {
        return permissions;
    }

    @Override
    public String toString() {
        return "guild=" + (guildId == null ? "(global commands)" : guildId) + ", locale=" + defaultLocale
                + ", notify-channel=" + notifyChannelId + ", main-host=" + mainHost + ", cooldown=" + Durations.format(cooldown)
                + ", broker=" + mqttUrl + ", base-topic=" + baseTopic + ", token=" + (token == null ? "none" : "(set)")
                + (permissions.hostsWithRules().isEmpty() ? "" : ", per-host permissions for " + String.join(", ",
                        permissions.hostsWithRules()));
    }
}
