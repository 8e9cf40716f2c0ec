package dev.cubeguardian.discord;

import dev.cubeguardian.testing.HandClock;

import static dev.cubeguardian.discord.BotFixture.ADMIN;
import static dev.cubeguardian.discord.BotFixture.STARTER_ROLE;
import static dev.cubeguardian.discord.BotFixture.WAIT;
import static dev.cubeguardian.discord.BotFixture.awaitFinal;
import static dev.cubeguardian.discord.BotFixture.awaitRefusal;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.it.MqttProbeClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.dv8tion.jda.api.interactions.DiscordLocale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-user cooldown as a user meets it, end to end like {@link DiscordBotIT}, at the default
 * 10 s. The bot's clock is moved by hand, so the time it tells the user is exact.
 */
class DiscordCooldownIT {

    private static final Map<String, String> TEN_SECONDS = Map.of("CUBEGUARDIAN_DISCORD_COOLDOWN", "10s");
    private static final String COOLDOWN_6S = "⏳ Not so fast: try again in 6 s.";

    private final HandClock clock = new HandClock();
    private BotFixture fixture;

    @BeforeEach
    void startBroker() throws Exception {
        fixture = new BotFixture();
    }

    @AfterEach
    void closeAll() throws Exception {
        fixture.close();
    }

    /** Like {@link BotFixture#awaitFinal}, but a refusal ends the wait too, so the test says so at once. */
    private static void awaitFinalOrRefusal(FakeDiscord.Seen seen, String titleFragment) {
        BotFixture.awaitCard(seen, "refusal or card titled '" + titleFragment + "'", () -> seen.reply != null
                || seen.lastEmbed() != null && seen.lastEmbed().getTitle().contains(titleFragment));
    }

    private static List<String> commandTopics(MqttProbeClient client) {
        return client.all(m -> m.topic().contains("/cmd/")).stream().map(MqttProbeClient.Received::topic).toList();
    }

    @Test
    void aSecondCommandWithinTheCooldownIsRefusedWithTheTimeLeftAndAcceptedOnceItIsOver() throws Exception {
        fixture.demoWorker("");
        MqttProbeClient client = fixture.probe("cubeguardian/#");
        DiscordListener listener = fixture.bot(TEN_SECONDS, clock);
        FakeDiscord.Seen start = new FakeDiscord.Seen();
        listener.onSlashCommandInteraction(FakeDiscord.slash("start", ADMIN, List.of(STARTER_ROLE), DiscordLocale.ENGLISH_US,
                Map.of(), start));
        awaitFinal(start, "is online");

        clock.advance(Duration.ofSeconds(4));
        FakeDiscord.Seen early = new FakeDiscord.Seen();
        listener.onSlashCommandInteraction(FakeDiscord.slash("stop", ADMIN, List.of(STARTER_ROLE), DiscordLocale.ENGLISH_US,
                Map.of("delay_minutes", 5), early));
        awaitRefusal(early);
        assertEquals(COOLDOWN_6S, early.reply, "one cooldown across commands: a stop after a start waits too");
        assertTrue(early.ephemeral);
        assertEquals(List.of("reply"), early.calls, "no deferred reply, no edits");
        // status publishes nothing, so the cooldown does not hold it back
        FakeDiscord.Seen status = new FakeDiscord.Seen();
        listener.onSlashCommandInteraction(FakeDiscord.slash("status", ADMIN, List.of(STARTER_ROLE), DiscordLocale.ENGLISH_US,
                Map.of(), status));
        await().atMost(WAIT).until(() -> status.lastEmbed() != null);
        assertNull(status.reply);

        clock.advance(Duration.ofSeconds(6));
        FakeDiscord.Seen later = new FakeDiscord.Seen();
        listener.onSlashCommandInteraction(FakeDiscord.slash("stop", ADMIN, List.of(STARTER_ROLE), DiscordLocale.ENGLISH_US,
                Map.of("delay_minutes", 5), later));
        awaitFinal(later, "scheduled");
        assertEquals("Shutdown of Demo server scheduled", later.lastEmbed().getTitle());
        assertEquals(List.of("cubeguardian/demo/cmd/wake", "cubeguardian/demo/cmd/shutdown"), commandTopics(client),
                "the refused stop was never published");
    }

    @Test
    void stopAnywayAnswersTheBotsQuestionAtOnceButPressingItTwiceIsHeldBack() throws Exception {
        fixture.demoWorker("alice,bob");
        MqttProbeClient client = fixture.probe("cubeguardian/#");
        DiscordListener listener = fixture.bot(TEN_SECONDS, clock);
        fixture.demoOnline(client);
        FakeDiscord.Seen asked = new FakeDiscord.Seen();
        listener.onSlashCommandInteraction(FakeDiscord.slash("stop", ADMIN, List.of(), DiscordLocale.ENGLISH_US, Map.of(), asked));
        awaitFinal(asked, "Players are online");
        String button = asked.lastButtons().get(0).getCustomId();

        // the clock has not moved: the refused stop ran nothing, so it leaves no cooldown to wait out
        FakeDiscord.Seen pressed = new FakeDiscord.Seen();
        listener.onButtonInteraction(FakeDiscord.button(button, ADMIN, List.of(), DiscordLocale.ENGLISH_US, pressed));
        // the forced stop going out is the point here, not how the demo host's SSH then fares
        await().atMost(WAIT).until(() -> pressed.reply != null
                || client.all(m -> m.topic().equals("cubeguardian/demo/cmd/shutdown") && m.json().path("force").asBoolean()).size() == 1);
        assertNull(pressed.reply);
        assertEquals("deferEdit", pressed.calls.get(0));
        clock.advance(Duration.ofSeconds(4));
        FakeDiscord.Seen again = new FakeDiscord.Seen();
        listener.onButtonInteraction(FakeDiscord.button(button, ADMIN, List.of(), DiscordLocale.ENGLISH_US, again));
        awaitRefusal(again);

        assertEquals(COOLDOWN_6S, again.reply, "the forced stop went out: it starts the cooldown");
        assertTrue(again.ephemeral);
        assertEquals(2, client.all(m -> m.topic().equals("cubeguardian/demo/cmd/shutdown")).size(), "the question, the forced stop");
    }

    @Test
    void aCommandTheBotCouldNotSendCanBeRetriedAtOnce() throws Exception {
        fixture.demoWorker("");
        DiscordListener listener = fixture.bot(TEN_SECONDS, clock);
        fixture.broker().stop(true);
        await().atMost(WAIT).until(() -> !fixture.bus().connected());

        for (int attempt = 1; attempt <= 2; attempt++) {
            FakeDiscord.Seen seen = new FakeDiscord.Seen();
            listener.onSlashCommandInteraction(FakeDiscord.slash("start", ADMIN, List.of(STARTER_ROLE), DiscordLocale.FRENCH,
                    Map.of(), seen));
            awaitFinalOrRefusal(seen, "Impossible de démarrer");
            // the reply invites a retry ("nothing was sent, try again in a moment"): the cooldown must not refuse it
            assertNull(seen.reply, "attempt " + attempt);
            assertEquals("📡 Le bot ne joint pas le broker MQTT pour le moment : rien n’a été envoyé. Réessayez dans un instant.",
                    seen.lastEmbed().getDescription(), "attempt " + attempt);
        }
    }
}
