package dev.cubeguardian.rcon;

import java.text.MessageFormat;
import java.time.Duration;
import java.util.Locale;
import java.util.ResourceBundle;

/** What the worker says in the game, in its locale (bundle {@code game_messages}). */
final class GameTexts {

    private final ResourceBundle bundle;
    private final Locale locale;

    GameTexts(Locale locale) {
        this.locale = locale;
        this.bundle = ResourceBundle.getBundle("game_messages", locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    String text(String key, Object... args) {
        return new MessageFormat(bundle.getString(key), locale).format(args);
    }

    /** "Server shutting down in 5 minutes", "... in 1 minute", "... in 10 seconds". */
    String shuttingDownIn(Duration remaining) {
        long seconds = Math.max(0, Math.round(remaining.toMillis() / 1000.0));
        if (seconds == 0) {
            return text("shutdown.now");
        }
        if (seconds % 60 == 0) {
            return seconds == 60 ? text("shutdown.in.minute") : text("shutdown.in.minutes", seconds / 60);
        }
        return text("shutdown.in.seconds", seconds);
    }
}
