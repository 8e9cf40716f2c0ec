package dev.cubeguardian.rcon;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the answer to {@code list}: "There are 2 of a max of 20 players online: alice, bob"
 * (1.13 and later), "There are 2/20 players online:\nalice, bob" (earlier). Only the names after
 * the first colon are taken; colour codes are stripped.
 */
final class PlayerList {

    private static final Pattern FORMATTING = Pattern.compile("\u00A7.?", Pattern.DOTALL);
    private static final Pattern SEPARATOR = Pattern.compile("[,\\s]+");

    private PlayerList() {
    }

    /** The names; null when the answer is not a player list (another language, a plugin's own format). */
    static List<String> parse(String answer) {
        String text = FORMATTING.matcher(answer).replaceAll("");
        int colon = text.indexOf(':');
        if (colon < 0 || !text.substring(0, colon).matches("(?s).*\\d.*")) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (String name : SEPARATOR.split(text.substring(colon + 1).strip())) {
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }
}
