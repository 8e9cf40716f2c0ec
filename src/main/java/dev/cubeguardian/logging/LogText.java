package dev.cubeguardian.logging;

/**
 * Client-supplied text as it may appear in a log line: a topic level, an id, a name. A client
 * decides how long these are (a topic may have 65,535 bytes: 60 KB of log per message was
 * measured), so each is cut to a fixed length and control characters are made visible: a
 * client cannot flood the log nor forge a line of its own.
 */
public final class LogText {

    public static final int MAX_CHARS = 80;

    private LogText() {
    }

    public static String of(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        int shown = Math.min(text.length(), MAX_CHARS);
        StringBuilder out = new StringBuilder(shown + 24);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        if (text.length() > MAX_CHARS) {
            out.append("…(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }
}
