package dev.cubeguardian.discord;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.discord.bus.BusMessage;
import dev.cubeguardian.discord.bus.CommandBus;
import dev.cubeguardian.discord.bus.HostInfo;
import java.util.Objects;
import java.util.function.Consumer;
import net.dv8tion.jda.api.OnlineStatus;
import net.dv8tion.jda.api.entities.Activity;
import net.dv8tion.jda.api.managers.Presence;

/** Keeps the bot's activity on the main host: "demo: online, 2/20 players". */
public final class PresenceUpdater implements Consumer<BusMessage> {

    private final CommandBus bus;
    private final Presence presence;
    private final Texts texts;
    private final String configuredMainHost;
    private String shown;

    public PresenceUpdater(CommandBus bus, Presence presence, Texts texts, String configuredMainHost) {
        this.bus = bus;
        this.presence = presence;
        this.texts = texts;
        this.configuredMainHost = configuredMainHost;
    }

    @Override
    public synchronized void accept(BusMessage message) {
        HostInfo main = mainHost();
        if (main == null) {
            return;
        }
        JsonNode state = bus.state(main.id()).orElse(null);
        String text = PresenceText.of(texts, main.name(), state, bus.workerOnline(main.id()) && bus.connected());
        if (Objects.equals(text, shown)) {
            return;
        }
        shown = text;
        boolean online = state != null && state.path("state").asText().equals("online");
        presence.setPresence(online ? OnlineStatus.ONLINE : OnlineStatus.IDLE, Activity.customStatus(text));
    }

    private HostInfo mainHost() {
        if (configuredMainHost != null) {
            return bus.host(configuredMainHost).orElse(new HostInfo(configuredMainHost, configuredMainHost,
                    java.util.List.of(), null));
        }
        return bus.hosts().isEmpty() ? null : bus.hosts().get(0);
    }
}
