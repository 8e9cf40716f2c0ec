package dev.cubeguardian.discord;

import java.util.List;

/** What one message shows, already localized; {@code DiscordListener} turns it into an embed and buttons. */
public record Card(String title, List<String> lines, Tone tone, List<Field> fields, List<Action> buttons, String footer) {

    public Card {
        lines = List.copyOf(lines);
        fields = List.copyOf(fields);
        buttons = List.copyOf(buttons);
    }

    /** The embed colour follows the host's state or the outcome. */
    public enum Tone {
        PENDING(0xF1C40F), SUCCESS(0x2ECC71), FAILURE(0xE74C3C), STOPPING(0xE67E22), OFF(0x95A5A6), INFO(0x5865F2),
        WARNING(0xE67E22);

        private final int rgb;

        Tone(int rgb) {
            this.rgb = rgb;
        }

        public int rgb() {
            return rgb;
        }
    }

    public enum Style {
        PRIMARY, SUCCESS, DANGER, SECONDARY
    }

    public record Field(String name, String value, boolean inline) {
    }

    /** A button: its id is {@code action:host:userId} (plus {@code :argument} for a forced stop). */
    public record Action(String id, String label, Style style) {
    }

    public String description() {
        return String.join("\n", lines);
    }

    /** The last line, the newest step of a progress card. */
    public String lastLine() {
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
