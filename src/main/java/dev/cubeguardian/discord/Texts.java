package dev.cubeguardian.discord;

import java.text.MessageFormat;
import java.time.Duration;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/** The user-facing texts of the bot, from {@code discord_messages*.properties}: English and French. */
public final class Texts {

    private static final String BUNDLE = "discord_messages";
    private static final ResourceBundle.Control NO_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private final Locale locale;
    private final ResourceBundle bundle;

    private Texts(Locale locale) {
        this.locale = locale;
        this.bundle = ResourceBundle.getBundle(BUNDLE, locale, NO_FALLBACK);
    }

    public static Texts of(Locale locale) {
        return new Texts(supported(locale));
    }

    /** The bot speaks the user's language when it is English or French, else the configured default. */
    public static Locale pick(String discordLocaleTag, Locale fallback) {
        if (discordLocaleTag == null) {
            return fallback;
        }
        String language = Locale.forLanguageTag(discordLocaleTag).getLanguage();
        return switch (language) {
            case "fr" -> Locale.FRENCH;
            case "en" -> Locale.ENGLISH;
            default -> fallback;
        };
    }

    static Locale supported(Locale locale) {
        return "fr".equals(locale.getLanguage()) ? Locale.FRENCH : Locale.ENGLISH;
    }

    public Locale locale() {
        return locale;
    }

    public String get(String key, Object... args) {
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException e) {
            throw new IllegalStateException("no text '" + key + "' in " + BUNDLE + " for " + locale, e);
        }
        return args.length == 0 ? pattern : new MessageFormat(pattern, locale).format(args);
    }

    /** "41 s", "2 min 13 s", "1 h 5 min". */
    public String duration(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return get("duration.s", seconds);
        }
        if (seconds < 3600) {
            return seconds % 60 == 0 ? get("duration.m", seconds / 60) : get("duration.ms", seconds / 60, seconds % 60);
        }
        return get("duration.hm", seconds / 3600, (seconds % 3600) / 60);
    }
}
