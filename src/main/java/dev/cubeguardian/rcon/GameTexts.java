package dev.cubeguardian.rcon;

import dev.cubeguardian.i18n.TextBundle;
import java.time.Duration;
import java.util.Locale;

/** What the worker says in the game, in its locale (bundle {@code game_messages}). */
final class GameTexts {

    private final TextBundle bundle;

    GameTexts(Locale locale) {
        this.bundle = new TextBundle("game_messages", locale);
    }

    String text(String key, Object... args) {
        return bundle.text(key, args);
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
        if (seconds == 1) {
            return text("shutdown.in.second");
        }
        return text("shutdown.in.seconds", seconds);
    }
}
