package dev.cubeguardian.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the SSH command templates. They are run on the host as root, so the rules are strict:
 * one line, and no braces except the one placeholder we fill in ourselves with a number. A
 * stray {@code {name}} is almost always a typo for {@code {delay_minutes}} that would otherwise
 * reach the shell verbatim.
 */
final class CommandTemplates {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^{}]*}");

    private CommandTemplates() {
    }

    /**
     * @param delayAllowed whether {@link SshSettings#DELAY_PLACEHOLDER} may appear
     * @throws IllegalArgumentException describing the first problem
     */
    static void check(String command, boolean delayAllowed) {
        if (command.isBlank()) {
            throw new IllegalArgumentException("must not be blank");
        }
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw new IllegalArgumentException(
                        "must be a single line without newline, NUL or other control characters");
            }
        }
        Matcher m = PLACEHOLDER.matcher(command);
        while (m.find()) {
            String found = m.group();
            if (!found.equals(SshSettings.DELAY_PLACEHOLDER)) {
                throw new IllegalArgumentException("unknown placeholder " + found
                        + " (the only placeholder is " + SshSettings.DELAY_PLACEHOLDER + ", in shutdown-command)");
            }
            if (!delayAllowed) {
                throw new IllegalArgumentException("takes no placeholders ("
                        + SshSettings.DELAY_PLACEHOLDER + " only applies to shutdown-command)");
            }
        }
        String rest = PLACEHOLDER.matcher(command).replaceAll("");
        if (rest.indexOf('{') >= 0 || rest.indexOf('}') >= 0) {
            throw new IllegalArgumentException("has an unmatched '{' or '}' (braces are reserved for "
                    + SshSettings.DELAY_PLACEHOLDER + ")");
        }
    }
}
