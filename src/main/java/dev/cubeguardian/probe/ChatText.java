package dev.cubeguardian.probe;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/** Flattens a Minecraft chat component (the server's MOTD) to plain text. */
public final class ChatText {

    // Servers nest "extra" a few levels deep at most; a hostile status could nest far deeper.
    private static final int MAX_DEPTH = 32;
    // A section sign starts a two-character formatting code; a dangling one at the end goes too.
    private static final Pattern FORMATTING = Pattern.compile("\u00A7.?", Pattern.DOTALL);

    private ChatText() {
    }

    /** Plain text of a component: a JSON string, object, or array of components; trimmed, codes stripped. */
    public static String toPlainText(JsonNode component) {
        if (component == null || component.isNull() || component.isMissingNode()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        append(component, text, 0);
        return stripFormatting(text.toString()).trim();
    }

    public static String stripFormatting(String text) {
        return text == null ? null : FORMATTING.matcher(text).replaceAll("");
    }

    private static void append(JsonNode node, StringBuilder text, int depth) {
        if (depth > MAX_DEPTH || node == null) {
            return;
        }
        if (node.isValueNode()) {
            if (!node.isNull()) {
                text.append(node.asText());
            }
        } else if (node.isArray()) {
            node.forEach(child -> append(child, text, depth + 1));
        } else if (node.isObject()) {
            if (node.hasNonNull("text")) {
                text.append(node.get("text").asText());
            } else if (node.hasNonNull("translate")) {
                // No translation tables here: the key followed by its arguments is the most
                // informative plain text we can give.
                text.append(node.get("translate").asText());
                JsonNode with = node.get("with");
                if (with != null && with.isArray()) {
                    with.forEach(arg -> {
                        text.append(' ');
                        append(arg, text, depth + 1);
                    });
                }
            }
            JsonNode extra = node.get("extra");
            if (extra != null && extra.isArray()) {
                extra.forEach(child -> append(child, text, depth + 1));
            }
        }
    }
}
