package dev.cubeguardian.discord;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.discord.bus.HostInfo;
import java.time.Instant;
import java.util.List;

/** How a host's idle shutdown setting reads, from IDLE_UPDATED details or the state's {@code idle} (pure). */
public final class IdleCards {

    private IdleCards() {
    }

    /** "on", "off until <time>" or "off until turned on again"; until is shown in each reader's own zone. */
    public static String setting(Texts texts, JsonNode idle) {
        if (idle.path("enabled").asBoolean(true)) {
            return texts.get("idle.on");
        }
        Instant until = ProgressRenderer.instant(idle.path("until").asText(null));
        return until == null ? texts.get("idle.off")
                : texts.get("idle.off_until", "<t:" + until.getEpochSecond() + ":f>", "<t:" + until.getEpochSecond() + ":R>");
    }

    /** The card that answers /server idle: the new setting, as the worker now has it. */
    static Card updated(Texts texts, HostInfo host, JsonNode details, String footer) {
        boolean on = details.path("enabled").asBoolean(true);
        return new Card(texts.get(on ? "title.idle.on" : "title.idle.off", host.name()), List.of("✅ " + setting(texts, details)),
                Card.Tone.SUCCESS, List.of(), List.of(), footer);
    }
}
