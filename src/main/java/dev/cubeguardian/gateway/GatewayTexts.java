package dev.cubeguardian.gateway;

import dev.cubeguardian.i18n.TextBundle;
import java.time.Duration;
import java.util.Locale;

/** What players read at the gateway, in the worker's locale (bundle {@code gateway_messages}). */
final class GatewayTexts {

    private final TextBundle bundle;

    GatewayTexts(Locale locale) {
        this.bundle = new TextBundle("gateway_messages", locale);
    }

    String text(String key, Object... args) {
        return bundle.text(key, args);
    }

    /**
     * "in about 40 seconds", "in about 3 minutes": rounded up, so a player who comes back at
     * that time finds it up rather than still starting.
     */
    String comeBackIn(Duration wait) {
        long seconds = Math.max(0, wait.toSeconds());
        if (seconds <= 5) {
            return text("wait.moment");
        }
        long tens = (seconds + 9) / 10 * 10;
        if (tens < 60) {
            return text("wait.seconds", tens);
        }
        // 51 to 59 s round up to a minute: "in about a minute", not "in about 60 seconds"
        long minutes = (seconds + 59) / 60;
        return minutes == 1 ? text("wait.minute") : text("wait.minutes", minutes);
    }
}
