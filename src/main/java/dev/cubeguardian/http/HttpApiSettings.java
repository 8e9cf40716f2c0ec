package dev.cubeguardian.http;

import dev.cubeguardian.config.Durations;
import dev.cubeguardian.config.InvalidSettingException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * Settings of the HTTP API (CUBEGUARDIAN_HTTP_API_*). Off by default: an HTTP door that can shut
 * hosts down must be opened on purpose, with a token, on the management server's address.
 *
 * @param maxPending requests waiting for their result at once; more are answered 503 at once
 * @param resultWait     how long a request waits for its result before 504 (with its id, to retry)
 */
public record HttpApiSettings(boolean enabled, Path tokenFile, int maxPending, Duration resultWait) {

    public static HttpApiSettings from(Function<String, String> property) {
        boolean enabled = bool(property, "cubeguardian.http-api.enabled");
        String tokenFile = value(property, "cubeguardian.http-api.token-file");
        int maxPending = integer(property, "cubeguardian.http-api.max-pending", 1, 4096);
        Duration wait = duration(property, "cubeguardian.http-api.wait", Duration.ofSeconds(1), Duration.ofMinutes(5));
        if (!enabled) {
            return new HttpApiSettings(false, null, maxPending, wait);
        }
        if (tokenFile.isEmpty()) {
            throw new InvalidSettingException("CUBEGUARDIAN_HTTP_API_ENABLED=true needs CUBEGUARDIAN_HTTP_API_TOKEN_FILE:"
                    + " a file holding the API's bearer token (at least " + ApiToken.MIN_LENGTH + " characters);"
                    + " the HTTP API never runs without one");
        }
        if (!bool(property, "camel.management.enabled")) {
            throw new InvalidSettingException("CUBEGUARDIAN_HTTP_API_ENABLED=true needs the management HTTP server"
                    + " (CUBEGUARDIAN_MANAGEMENT_ENABLED=true): the API is served there");
        }
        return new HttpApiSettings(true, Path.of(tokenFile), maxPending, wait);
    }

    private static String value(Function<String, String> property, String key) {
        String value = property.apply(key);
        return value == null ? "" : value.strip();
    }

    private static boolean bool(Function<String, String> property, String key) {
        String text = value(property, key);
        if (text.isEmpty() || text.equalsIgnoreCase("false")) {
            return false;
        }
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        throw new InvalidSettingException(env(key) + " = '" + text + "' must be true or false");
    }

    private static int integer(Function<String, String> property, String key, int min, int max) {
        String text = value(property, key);
        try {
            int number = Integer.parseInt(text);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the allowed range
        }
        throw new InvalidSettingException(env(key) + " = '" + text + "' must be an integer from " + min + " to " + max);
    }

    private static Duration duration(Function<String, String> property, String key, Duration min, Duration max) {
        String text = value(property, key);
        try {
            Duration value = Durations.parse(text);
            if (value.compareTo(min) >= 0 && value.compareTo(max) <= 0) {
                return value;
            }
        } catch (IllegalArgumentException ignored) {
            // reported below with the allowed range
        }
        throw new InvalidSettingException(env(key) + " = '" + text + "' must be a duration from "
                + Durations.format(min) + " to " + Durations.format(max));
    }

    private static String env(String key) {
        return dev.cubeguardian.WorkerSettings.environmentName(key);
    }
}
