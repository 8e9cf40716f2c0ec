package dev.cubeguardian.discord;

import static dev.cubeguardian.discord.BotFixture.ADMIN;
import static dev.cubeguardian.discord.BotFixture.STARTER_ROLE;
import static dev.cubeguardian.discord.BotFixture.WAIT;
import static dev.cubeguardian.discord.BotFixture.awaitFinal;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.it.MqttProbeClient;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.dv8tion.jda.api.components.buttons.Button;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.interactions.DiscordLocale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bot end to end, minus Discord: a real Mosquitto, the real worker running the demo host,
 * the bot's real MQTT client and commands; only JDA's interaction events and hooks are faked.
 */
class DiscordBotIT {

    private static final Pattern COMMAND_ID = Pattern.compile("discord-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private BotFixture fixture;

    @BeforeEach
    void startBroker() throws Exception {
        fixture = new BotFixture();
    }

    @AfterEach
    void closeAll() throws Exception {
        fixture.close();
    }

    @Test
    void startShowsEveryStepFromPacketSentToOnlineAndPublishesTheCommandWithIdAndRequester() throws Exception {
        fixture.demoWorker("");
        MqttProbeClient commands = fixture.probe("cubeguardian/+/cmd/+");
        DiscordListener listener = fixture.bot(Map.of());
        FakeDiscord.Seen seen = new FakeDiscord.Seen();

        listener.onSlashCommandInteraction(FakeDiscord.slash("start", "111", List.of(STARTER_ROLE), DiscordLocale.ENGLISH_US,
                Map.of(), seen));
        awaitFinal(seen, "is online");

        assertEquals("deferReply", seen.calls.get(0), "the reply is deferred before anything else");
        assertNull(seen.reply);
        List<String> steps = seen.steps();
        assertEquals(4, steps.size(), "edits: " + steps);
        assertEquals("📨 Sending the command…", steps.get(0));
        assertEquals("✅ Magic packet sent", steps.get(1));
        assertTrue(steps.get(2).matches("✅ Host up \\([0-9]+ s\\)"), steps.get(2));
        assertTrue(steps.get(3).matches("✅ Minecraft 1\\.21\\.4 online, 0/20 players \\([0-9]+ s\\)"), steps.get(3));
        MessageEmbed last = seen.lastEmbed();
        assertEquals("Demo server is online", last.getTitle());
        assertEquals(Card.Tone.SUCCESS.rgb(), last.getColorRaw());
        assertEquals(String.join("\n", steps.subList(1, 4)), last.getDescription(), "one line per step, kept");

        MqttProbeClient.Received published = commands.await(m -> m.topic().equals("cubeguardian/demo/cmd/wake"), WAIT);
        String id = published.json().get("id").asText();
        assertTrue(COMMAND_ID.matcher(id).matches(), id);
        assertEquals("{\"id\":\"" + id + "\",\"requested_by\":\"discord:111\"}", published.text());
        assertEquals("Command " + id, last.getFooter().getText());
        assertEquals(1, commands.all(m -> true).size(), "exactly one command published");
    }

    @Test
    void aUserWithoutTheRoleGetsAnEphemeralRefusalAndNothingIsPublished() throws Exception {
        fixture.demoWorker("");
        MqttProbeClient commands = fixture.probe("cubeguardian/+/cmd/+");
        DiscordListener listener = fixture.bot(Map.of());
        FakeDiscord.Seen seen = new FakeDiscord.Seen();
        FakeDiscord.Seen french = new FakeDiscord.Seen();

        listener.onSlashCommandInteraction(FakeDiscord.slash("start", "333", List.of("123"), DiscordLocale.ENGLISH_UK,
                Map.of(), seen));
        // stop is stricter: the role that may start may not stop
        listener.onSlashCommandInteraction(FakeDiscord.slash("stop", "111", List.of(STARTER_ROLE), DiscordLocale.FRENCH,
                Map.of(), french));
        await().atMost(WAIT).until(() -> seen.ephemeral != null && french.ephemeral != null);
        Thread.sleep(1000);

        assertEquals("⛔ You are not allowed to start the server. Ask an admin to add your role to the bot’s configuration.",
                seen.reply);
        assertTrue(seen.ephemeral);
        assertEquals(List.of("reply"), seen.calls, "no deferred reply, no edits");
        assertEquals("⛔ Vous n’avez pas le droit d’arrêter le serveur. Demandez à un admin d’ajouter votre rôle à la "
                + "configuration du bot.", french.reply);
        assertTrue(french.ephemeral);
        assertEquals(List.of(), commands.all(m -> true), "nothing published");
    }

    @Test
    void stopWithPlayersOnlineAsksForConfirmationAndStopAnywayForcesIt() throws Exception {
        fixture.demoWorker("alice,bob");
        MqttProbeClient client = fixture.probe("cubeguardian/#");
        DiscordListener listener = fixture.bot(Map.of());
        client.publish("cubeguardian/demo/cmd/wake", "{\"id\":\"warm-up\"}");
        client.await(m -> m.topic().equals("cubeguardian/demo/state") && m.json().path("state").asText().equals("online"), WAIT);
        await().atMost(WAIT).until(() -> fixture.bus().state("demo").get().path("state").asText().equals("online"));
        FakeDiscord.Seen seen = new FakeDiscord.Seen();

        listener.onSlashCommandInteraction(FakeDiscord.slash("stop", ADMIN, List.of(), DiscordLocale.ENGLISH_US, Map.of(), seen));
        awaitFinal(seen, "Players are online");

        MessageEmbed confirm = seen.lastEmbed();
        assertEquals("Players are online on Demo server", confirm.getTitle());
        assertEquals("2 players are online: alice, bob.\nStop anyway? They will be disconnected.", confirm.getDescription());
        List<Button> buttons = seen.lastButtons();
        assertEquals(1, buttons.size());
        assertEquals("forcestop:demo:" + ADMIN + ":0", buttons.get(0).getCustomId());
        assertEquals("Stop anyway", buttons.get(0).getLabel());
        MqttProbeClient.Received first = client.await(m -> m.topic().equals("cubeguardian/demo/cmd/shutdown"), WAIT);
        String firstId = first.json().get("id").asText();
        assertEquals("{\"id\":\"" + firstId + "\",\"delay_minutes\":0,\"force\":false,\"requested_by\":\"discord:" + ADMIN
                + "\"}", first.text());

        // someone else cannot press it
        FakeDiscord.Seen intruder = new FakeDiscord.Seen();
        listener.onButtonInteraction(FakeDiscord.button(buttons.get(0).getCustomId(), "111", List.of(STARTER_ROLE),
                DiscordLocale.ENGLISH_US, intruder));
        assertTrue(intruder.ephemeral);
        assertTrue(intruder.reply.startsWith("⛔ These buttons belong to"), intruder.reply);

        FakeDiscord.Seen pressed = new FakeDiscord.Seen();
        listener.onButtonInteraction(FakeDiscord.button(buttons.get(0).getCustomId(), ADMIN, List.of(),
                DiscordLocale.ENGLISH_US, pressed));
        awaitFinal(pressed, "is off");

        assertEquals("deferEdit", pressed.calls.get(0));
        List<String> steps = pressed.steps();
        assertEquals("✅ Shutdown command sent", steps.get(1), steps.toString());
        assertTrue(steps.get(steps.size() - 1).matches("✅ Powered off \\([0-9]+ s\\)"), steps.toString());
        assertEquals(Card.Tone.OFF.rgb(), pressed.lastEmbed().getColorRaw());
        List<MqttProbeClient.Received> shutdowns = client.all(m -> m.topic().equals("cubeguardian/demo/cmd/shutdown"));
        assertEquals(2, shutdowns.size());
        JsonNode forced = shutdowns.get(1).json();
        assertTrue(forced.get("force").asBoolean());
        assertFalse(forced.get("id").asText().equals(firstId), "a fresh id");
        assertEquals("discord:" + ADMIN, forced.get("requested_by").asText());
    }

    @Test
    void cancelAfterAScheduledShutdownShowsTheShutdownCancelledAndTheHostStaysOn() throws Exception {
        fixture.demoWorker("");
        MqttProbeClient client = fixture.probe("cubeguardian/#");
        DiscordListener listener = fixture.bot(Map.of());
        fixture.demoOnline(client);
        FakeDiscord.Seen scheduled = new FakeDiscord.Seen();
        listener.onSlashCommandInteraction(FakeDiscord.slash("stop", ADMIN, List.of(), DiscordLocale.ENGLISH_US,
                Map.of("delay_minutes", 5), scheduled));
        awaitFinal(scheduled, "scheduled");
        assertEquals("Use /server cancel to call it off.", scheduled.steps().get(scheduled.steps().size() - 1));
        FakeDiscord.Seen seen = new FakeDiscord.Seen();

        listener.onSlashCommandInteraction(FakeDiscord.slash("cancel", ADMIN, List.of(), DiscordLocale.ENGLISH_US, Map.of(),
                seen));
        awaitFinal(seen, "cancelled");

        assertEquals("deferReply", seen.calls.get(0));
        assertEquals(List.of("📨 Sending the command…", "✅ Scheduled shutdown cancelled"), seen.steps());
        MessageEmbed last = seen.lastEmbed();
        assertEquals("Shutdown of Demo server cancelled", last.getTitle());
        assertEquals("✅ Scheduled shutdown cancelled", last.getDescription(), "the sending line is replaced, not kept");
        assertEquals(Card.Tone.SUCCESS.rgb(), last.getColorRaw());
        assertEquals(List.of(), seen.lastButtons());
        MqttProbeClient.Received published = client.await(m -> m.topic().equals("cubeguardian/demo/cmd/cancel"), WAIT);
        String id = published.json().get("id").asText();
        assertTrue(COMMAND_ID.matcher(id).matches(), id);
        assertEquals("{\"id\":\"" + id + "\",\"requested_by\":\"discord:" + ADMIN + "\"}", published.text());
        assertEquals("Command " + id, last.getFooter().getText());
        // what the card says is what the worker did: it answered SHUTDOWN_CANCELLED and called the countdown off
        JsonNode result = client.await(m -> m.topic().equals("cubeguardian/demo/result/cancel")
                && id.equals(m.json().path("id").asText()), WAIT).json();
        assertEquals("SHUTDOWN_CANCELLED", result.get("code").asText());
        assertTrue(result.get("success").asBoolean());
        JsonNode ended = client.await(m -> m.topic().equals("cubeguardian/demo/event")
                && m.json().path("type").asText().equals("completed") && m.json().path("action").asText().equals("shutdown"),
                WAIT).json();
        assertEquals("CANCELLED", ended.get("code").asText());
        assertEquals(id, ended.get("cancelled_by").asText());
        assertEquals("online", fixture.bus().state("demo").get().path("state").asText());
    }

    @Test
    void statusSpeaksFrenchToAFrenchUser() throws Exception {
        fixture.demoWorker("");
        DiscordListener listener = fixture.bot(Map.of());
        FakeDiscord.Seen seen = new FakeDiscord.Seen();

        listener.onSlashCommandInteraction(FakeDiscord.slash("status", "444", List.of(), DiscordLocale.FRENCH,
                Map.of("host", "demo"), seen));
        await().atMost(WAIT).until(() -> seen.lastEmbed() != null);

        MessageEmbed status = seen.lastEmbed();
        assertEquals("Demo server (demo)", status.getTitle());
        assertEquals("Le serveur est **éteint**.", status.getDescription());
        assertEquals(List.of("Depuis", "Service"), status.getFields().stream().map(MessageEmbed.Field::getName).toList());
        assertEquals("Minecraft ne répond pas", status.getFields().get(1).getValue());
        assertEquals(List.of("Démarrer", "Arrêter", "Actualiser"), seen.lastButtons().stream().map(Button::getLabel).toList());
        assertEquals(List.of("start:demo:444", "stop:demo:444", "refresh:demo:444"),
                seen.lastButtons().stream().map(Button::getCustomId).toList());
    }

    @Test
    void aCommandWithoutAResultGetsATimeoutReplyAndALostBrokerIsSaidSo() throws Exception {
        // no worker: a retained bridge that claims one, so the command is published and never answered
        MqttProbeClient fake = fixture.probe("cubeguardian/+/cmd/+");
        fake.publishRetained("cubeguardian/bridge/state", "online");
        fake.publishRetained("cubeguardian/bridge/info", "{\"version\":\"x\",\"api_version\":1,\"hosts\":[{\"id\":\"demo\","
                + "\"name\":\"Demo server\",\"capabilities\":[\"wake\",\"check\",\"shutdown\",\"cancel\"],\"service\":\"minecraft\"}]}");
        fake.publishRetained("cubeguardian/demo/state", "{\"v\":1,\"host\":\"demo\",\"state\":\"off\"}");
        DiscordListener listener = fixture.bot(Map.of("CUBEGUARDIAN_DISCORD_RESULT_TIMEOUT", "1s"));
        FakeDiscord.Seen seen = new FakeDiscord.Seen();

        listener.onSlashCommandInteraction(FakeDiscord.slash("start", "111", List.of(STARTER_ROLE), DiscordLocale.ENGLISH_US,
                Map.of(), seen));
        awaitFinal(seen, "Could not start");

        assertEquals("⏱ No answer from the CubeGuardian worker within 1 s. The command may still run.",
                seen.steps().get(seen.steps().size() - 1));
        assertEquals(Card.Tone.FAILURE.rgb(), seen.lastEmbed().getColorRaw());
        assertNotNull(fake.await(m -> m.topic().equals("cubeguardian/demo/cmd/wake"), WAIT));

        fixture.broker().stop(true);
        await().atMost(WAIT).until(() -> !fixture.bus().connected());
        FakeDiscord.Seen cutOff = new FakeDiscord.Seen();
        listener.onSlashCommandInteraction(FakeDiscord.slash("start", "111", List.of(STARTER_ROLE), DiscordLocale.ENGLISH_US,
                Map.of(), cutOff));
        awaitFinal(cutOff, "Could not start");
        assertEquals("📡 The bot cannot reach the MQTT broker right now, so nothing was sent. Try again in a moment.",
                cutOff.lastEmbed().getDescription());
    }
}
