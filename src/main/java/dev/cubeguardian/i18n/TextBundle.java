package dev.cubeguardian.i18n;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * One properties bundle of human text in the worker's locale, formatted with MessageFormat.
 * No fallback to the JVM's default locale: the worker's setting decides, not the machine's.
 */
public final class TextBundle {

    private final ResourceBundle bundle;
    private final Locale locale;

    public TextBundle(String name, Locale locale) {
        this.locale = locale;
        this.bundle = ResourceBundle.getBundle(name, locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    public String text(String key, Object... args) {
        return new MessageFormat(bundle.getString(key), locale).format(args);
    }
}
