package dev.cubeguardian.discord;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.discord.bus.BusMessage;
import dev.cubeguardian.discord.bus.CommandBus;
import dev.cubeguardian.discord.bus.HostInfo;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The notifications channel: every host's state changes and idle-shutdown warnings, in the
 * configured default language. Pure apart from the sink it is given.
 */
public final class Notifications implements Consumer<BusMessage> {

    private final CommandBus bus;
    private final Texts texts;
    private final Consumer<Card> channel;

    public Notifications(CommandBus bus, Texts texts, Consumer<Card> channel) {
        this.bus = bus;
        this.texts = texts;
        this.channel = channel;
    }

    @Override
    public void accept(BusMessage message) {
        if (message instanceof BusMessage.Event event) {
            Card card = render(texts, hostName(event.host()), event.json());
            if (card != null) {
                channel.accept(card);
            }
        }
    }

    private String hostName(String id) {
        return bus.host(id).map(HostInfo::name).orElse(id);
    }

    /** The card for one event, or null for the types that are not announced. */
    public static Card render(Texts texts, String hostName, JsonNode event) {
        switch (event.path("type").asText("")) {
            case "state" -> {
                String to = event.path("to").asText("unknown");
                return new Card(texts.get("notify.state", hostName, StatusRenderer.stateName(texts, to)),
                        List.of(texts.get("notify.state_line", StatusRenderer.stateName(texts, event.path("from").asText("unknown")),
                                StatusRenderer.stateName(texts, to))),
                        StatusRenderer.tone(to), List.of(), List.of(), null);
            }
            case "idle_warning" -> {
                return new Card(texts.get("notify.idle_title", hostName),
                        List.of(texts.get("notify.idle_warning", hostName,
                                texts.duration(Duration.ofSeconds(event.path("idle_s").asLong())),
                                texts.duration(Duration.ofSeconds(event.path("shutdown_in_s").asLong())))),
                        Card.Tone.WARNING, List.of(), List.of(), null);
            }
            case "idle_cancelled" -> {
                return new Card(texts.get("notify.idle_title", hostName), List.of(texts.get("notify.idle_cancelled", hostName)),
                        Card.Tone.SUCCESS, List.of(), List.of(), null);
            }
            default -> {
                return null;
            }
        }
    }
}
