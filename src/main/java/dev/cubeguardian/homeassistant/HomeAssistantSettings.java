package dev.cubeguardian.homeassistant;

import dev.cubeguardian.WorkerSettings;
import dev.cubeguardian.config.InvalidSettingException;
import java.util.Locale;
import java.util.function.Function;

/**
 * Home Assistant MQTT discovery settings.
 *
 * @param enabled    publish discovery configs; when false, configs this worker published earlier are removed
 * @param prefix     HA's discovery prefix (HA's default {@code homeassistant}); HA's birth message is {@code <prefix>/status}
 * @param supportUrl optional origin support URL shown in HA's logs; null when not set
 */
public record HomeAssistantSettings(boolean enabled, String prefix, String supportUrl) {

    public static final String ENABLED = "cubeguardian.ha.discovery";
    public static final String PREFIX = "cubeguardian.ha.prefix";
    public static final String SUPPORT_URL = "cubeguardian.ha.support-url";

    public static HomeAssistantSettings from(Function<String, String> property) {
        String enabled = trimmed(property.apply(ENABLED));
        boolean on;
        if (enabled == null || enabled.equalsIgnoreCase("true")) {
            on = true;
        } else if (enabled.equalsIgnoreCase("false")) {
            on = false;
        } else {
            throw new InvalidSettingException(WorkerSettings.environmentName(ENABLED) + " = '" + enabled + "' must be true or false");
        }
        String prefix = trimmed(property.apply(PREFIX));
        if (prefix == null) {
            prefix = "homeassistant";
        }
        if (prefix.contains("+") || prefix.contains("#") || prefix.startsWith("$") || prefix.startsWith("/")
                || prefix.endsWith("/") || prefix.contains("//")) {
            throw new InvalidSettingException(WorkerSettings.environmentName(PREFIX) + " '" + prefix
                    + "' must be a plain topic prefix: no wildcards, no leading $ or /, no empty level");
        }
        String url = trimmed(property.apply(SUPPORT_URL));
        if (url != null && !url.toLowerCase(Locale.ROOT).startsWith("http://") && !url.toLowerCase(Locale.ROOT).startsWith("https://")) {
            throw new InvalidSettingException(WorkerSettings.environmentName(SUPPORT_URL) + " '" + url + "' must be an http(s) URL");
        }
        return new HomeAssistantSettings(on, prefix, url);
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
