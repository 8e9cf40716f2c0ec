package dev.cubeguardian.command;

import java.text.MessageFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/** Human text of results and events, in the configured locale (bundle {@code messages}). */
public final class Messages {

    private final ResourceBundle bundle;
    private final Locale locale;
    /** Parsed once per key: every result and event is formatted from a handful of patterns. */
    private final Map<String, MessageFormat> formats = new ConcurrentHashMap<>();

    public Messages(Locale locale) {
        this.locale = locale;
        this.bundle = ResourceBundle.getBundle("messages", locale, ResourceBundle.Control.getNoFallbackControl(
                ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    public Locale locale() {
        return locale;
    }

    /** Formats the key; a variant key ({@code CODE.variant}) missing from the bundle falls back to the code's own text. */
    public String format(String key, List<Object> args) {
        // MessageFormat is not thread-safe: each caller formats with its own copy of the parsed one
        MessageFormat format = (MessageFormat) formats.computeIfAbsent(key, this::parse).clone();
        return format.format(args.toArray());
    }

    private MessageFormat parse(String key) {
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException missing) {
            int dot = key.indexOf('.');
            pattern = dot > 0 ? bundle.getString(key.substring(0, dot)) : key;
        }
        return new MessageFormat(pattern, locale);
    }
}
