package dev.cubeguardian.cli;

import java.text.MessageFormat;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The client's own texts, from {@code cli_messages*.properties}, in the language the worker
 * uses too: {@code CUBEGUARDIAN_LOCALE}, {@code en} (the default) or {@code fr}.
 */
final class CliTexts {

    static final String LOCALE_VARIABLE = "CUBEGUARDIAN_LOCALE";
    static final CliTexts ENGLISH = new CliTexts(Locale.ENGLISH);
    static final CliTexts FRENCH = new CliTexts(Locale.FRENCH);

    private static final String BUNDLE = "cli_messages";

    private final Locale locale;
    private final ResourceBundle bundle;

    private CliTexts(Locale locale) {
        this.locale = locale;
        this.bundle = ResourceBundle.getBundle(BUNDLE, locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /** The worker's rule: en or fr in any case; unset or empty is en; anything else is a usage error (in English). */
    static CliTexts from(Map<String, String> env) throws CliFailure {
        String value = env.get(LOCALE_VARIABLE);
        String language = value == null ? "" : value.toLowerCase(Locale.ROOT);
        return switch (language) {
            case "", "en" -> ENGLISH;
            case "fr" -> FRENCH;
            default -> throw CliFailure.usage(ENGLISH.get("locale.unsupported", value));
        };
    }

    Locale locale() {
        return locale;
    }

    /** Always formatted, so '' is one apostrophe whether or not there are arguments. */
    String get(String key, Object... args) {
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException e) {
            throw new IllegalStateException("no text '" + key + "' in " + BUNDLE + " for " + locale, e);
        }
        // numbers as they are: 86400 s, not "86,400" or "86 400"
        Object[] written = Arrays.stream(args).map(a -> a instanceof Number ? String.valueOf(a) : a).toArray();
        return new MessageFormat(pattern, locale).format(written);
    }
}
