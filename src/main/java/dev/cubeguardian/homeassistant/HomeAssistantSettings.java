package dev.cubeguardian.homeassistant;

import dev.cubeguardian.WorkerSettings;
import dev.cubeguardian.config.InvalidSettingException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Home Assistant MQTT discovery settings.
 *
 * @param enabled    publish discovery configs; when false, configs this worker published earlier are removed
 * @param prefix     HA's discovery prefix (HA's default {@code homeassistant}); HA's birth message is {@code <prefix>/status}
 * @param supportUrl optional origin support URL shown in HA's logs, one HA accepts ({@link HomeAssistantUrl}); null when not set
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
        // Home Assistant drops the whole device config of every host for a URL it refuses
        Optional<String> refused = url == null ? Optional.empty() : HomeAssistantUrl.problem(url);
        if (refused.isPresent()) {
            throw new InvalidSettingException(WorkerSettings.environmentName(SUPPORT_URL) + " '" + url
                    + "' is not a URL Home Assistant accepts as a support URL: " + refused.get()
                    + " (for example https://example.org/help)");
        }
        return new HomeAssistantSettings(on, prefix, url);
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
