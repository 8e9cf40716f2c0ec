package dev.cubeguardian.discord;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import dev.cubeguardian.discord.bus.CommandBus;
import dev.cubeguardian.it.MosquittoBroker;
import dev.cubeguardian.it.MqttProbeClient;
import dev.cubeguardian.it.WorkerUnderTest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import net.dv8tion.jda.api.OnlineStatus;
import net.dv8tion.jda.api.entities.Activity;
import net.dv8tion.jda.api.managers.Presence;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * The bot's activity and its notifications channel, wired the way `cubeguardian discord` wires
 * them, fed by a real worker through a real broker: only JDA's Presence and the channel are fakes.
 */
class DiscordPresenceIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void presenceFollowsTheMainHostAndTheChannelHearsStateChanges() throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker().start();
                WorkerUnderTest worker = new WorkerUnderTest(Map.of(
                        "cubeguardian.mqtt.url", broker.url(),
                        "cubeguardian.mqtt.client-id", "presence-it",
                        "cubeguardian.demo.boot-seconds", "2",
                        "cubeguardian.monitor.fast-interval", "200ms")).start();
                MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/#");
                CommandBus bus = new CommandBus(broker.url(), "presence-bot", null, null, null, "cubeguardian").start()) {
            Presence presence = mock(Presence.class);
            List<Card> channel = new CopyOnWriteArrayList<>();
            Texts texts = Texts.of(Locale.ENGLISH);
            bus.addListener(new PresenceUpdater(bus, presence, texts, null));
            bus.addListener(new Notifications(bus, texts, channel::add));
            await().atMost(WAIT).until(() -> bus.connected() && bus.state("demo").isPresent());

            client.publish("cubeguardian/demo/cmd/wake", "{\"id\":\"p-1\"}");

            // the activity ends on the online main host, and the channel was told of each state change
            ArgumentCaptor<Activity> activity = ArgumentCaptor.forClass(Activity.class);
            await().atMost(WAIT).untilAsserted(() -> {
                verify(presence, atLeastOnce()).setPresence(eq(OnlineStatus.ONLINE), activity.capture());
                assertTrue(activity.getValue().getName().contains("online"), activity.getValue().getName());
            });
            verify(presence, atLeastOnce()).setPresence(eq(OnlineStatus.IDLE), any(Activity.class));
            await().atMost(WAIT).until(() -> channel.stream().anyMatch(card -> card.title().contains("online")));
            assertTrue(channel.stream().anyMatch(card -> card.title().contains("waking") || card.description().contains("waking")
                    || card.title().toLowerCase(Locale.ROOT).contains("wak")), channel.toString());
        }
    }
}
