package dev.cubeguardian.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cubeguardian.discord.bus.HostInfo;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ProgressRendererTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HostInfo PVE = new HostInfo("pve", "Proxmox", List.of("wake", "check", "shutdown", "cancel"),
            "minecraft");
    private static final String ONLINE_STATE = "{\"state\":\"online\",\"service\":{\"reachable\":true,\"version\":\"1.21.4\","
            + "\"players_online\":0,\"players_max\":20,\"players\":[]}}";

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static List<String> wakeStory(Locale locale) throws Exception {
        ProgressRenderer renderer = new ProgressRenderer(Texts.of(locale), PVE, "wake", "42");
        renderer.sending("c-1");
        renderer.onResult(json("{\"id\":\"c-1\",\"action\":\"wake\",\"success\":true,\"code\":\"WOL_SENT\"}"));
        assertNull(renderer.onEvent(json("{\"type\":\"progress\",\"action\":\"wake\",\"phase\":\"packet_sent\",\"elapsed_s\":0}"), null));
        renderer.onEvent(json("{\"type\":\"progress\",\"action\":\"wake\",\"phase\":\"host_up\",\"elapsed_s\":41}"), null);
        assertNull(renderer.onEvent(json("{\"type\":\"player_joined\",\"player\":\"x\"}"), null));
        assertFalse(renderer.finished());
        Card done = renderer.onEvent(json("{\"type\":\"completed\",\"action\":\"wake\",\"code\":\"ONLINE\",\"success\":true,"
                + "\"elapsed_s\":133}"), json(ONLINE_STATE));
        assertTrue(renderer.finished());
        assertEquals(Card.Tone.SUCCESS, done.tone());
        return List.of(done.title(), done.description(), done.footer());
    }

    @Test
    void aWakeReadsFromPacketToOnlineInEnglish() throws Exception {
        assertEquals(List.of("Proxmox is online",
                "✅ Magic packet sent\n✅ Host up (41 s)\n✅ Minecraft 1.21.4 online, 0/20 players (2 min 13 s)",
                "Command c-1"), wakeStory(Locale.ENGLISH));
    }

    @Test
    void aWakeReadsFromPacketToOnlineInFrench() throws Exception {
        assertEquals(List.of("Proxmox est en ligne",
                "✅ Paquet magique envoyé\n✅ Machine démarrée (41 s)\n✅ Minecraft 1.21.4 en ligne, 0/20 joueurs (2 min 13 s)",
                "Commande c-1"), wakeStory(Locale.FRENCH));
    }

    @Test
    void aFailedResultEndsWithTheWorkersMessage() throws Exception {
        ProgressRenderer renderer = new ProgressRenderer(Texts.of(Locale.ENGLISH), PVE, "shutdown", "42");
        renderer.sending("c-2");
        Card card = renderer.onResult(json("{\"success\":false,\"code\":\"SSH_UNREACHABLE\",\"message\":\"Cannot reach pve over SSH\"}"));
        assertTrue(renderer.finished());
        assertEquals(Card.Tone.FAILURE, card.tone());
        assertEquals("Could not stop Proxmox", card.title());
        assertEquals("❌ Cannot reach pve over SSH", card.description());
    }

    @Test
    void playersOnlineAsksToStopAnywayWithAForceButton() throws Exception {
        ProgressRenderer renderer = new ProgressRenderer(Texts.of(Locale.FRENCH), PVE, "shutdown", "42").withDelay(5);
        Card card = renderer.onResult(json("{\"success\":false,\"code\":\"PLAYERS_ONLINE\",\"details\":{\"players_online\":1,"
                + "\"players\":[\"alice\"]}}"));
        assertEquals("Des joueurs sont connectés sur Proxmox", card.title());
        assertEquals("1 joueur est connecté : alice.\nArrêter quand même ? Ils seront déconnectés.", card.description());
        assertEquals(List.of(new Card.Action("forcestop:pve:42:5", "Arrêter quand même", Card.Style.DANGER)), card.buttons());
    }

    @Test
    void playersUnknownAlsoAsksToStopAnywaySayingWhyNobodyCanTell() throws Exception {
        ProgressRenderer renderer = new ProgressRenderer(Texts.of(Locale.ENGLISH), PVE, "shutdown", "42").withDelay(0);
        Card card = renderer.onResult(json("{\"success\":false,\"code\":\"PLAYERS_UNKNOWN\",\"details\":{\"reason\":\"unreachable\"}}"));
        assertTrue(renderer.finished());
        assertEquals(Card.Tone.WARNING, card.tone());
        assertEquals("Cannot tell who is playing on Proxmox", card.title());
        assertEquals("The Minecraft server does not answer, so nobody can say whether players are online.\n"
                + "Stop anyway? Anyone still playing will be disconnected.", card.description());
        assertEquals(List.of(new Card.Action("forcestop:pve:42:0", "Stop anyway", Card.Style.DANGER)), card.buttons());
    }

    @Test
    void aScheduledShutdownEndsAtTheResult() throws Exception {
        ProgressRenderer renderer = new ProgressRenderer(Texts.of(Locale.ENGLISH), PVE, "shutdown", "42");
        Card card = renderer.onResult(json("{\"success\":true,\"code\":\"SHUTDOWN_SCHEDULED\",\"details\":{\"delay_minutes\":5,"
                + "\"scheduled_for\":\"2026-11-25T16:12:00.412Z\"}}"));
        assertTrue(renderer.finished());
        assertEquals("✅ Shutdown in 5 min, at <t:1795623120:t>\nUse /server cancel to call it off.", card.description());
    }

    @Test
    void aScheduledShutdownOfAHostThatStopsItsGameIsFollowedThroughTheCountdownInGame() throws Exception {
        HostInfo rcon = new HostInfo("pve", "Proxmox", List.of("wake", "check", "shutdown", "cancel"), "minecraft", true);
        ProgressRenderer renderer = new ProgressRenderer(Texts.of(Locale.ENGLISH), rcon, "shutdown", "42");
        renderer.sending("s-1");
        renderer.onResult(json("{\"success\":true,\"code\":\"SHUTDOWN_SCHEDULED\",\"details\":{\"delay_minutes\":5,"
                + "\"scheduled_for\":\"2026-11-25T16:12:00.412Z\"}}"));
        assertFalse(renderer.finished(), "the card follows the countdown");
        renderer.onEvent(json("{\"type\":\"progress\",\"action\":\"shutdown\",\"phase\":\"warning_sent\",\"remaining_s\":60}"), null);
        renderer.onEvent(json("{\"type\":\"progress\",\"action\":\"shutdown\",\"phase\":\"game_saved\"}"), null);
        renderer.onEvent(json("{\"type\":\"progress\",\"action\":\"shutdown\",\"phase\":\"game_stop_failed\","
                + "\"reason\":\"stop_timeout\"}"), null);
        renderer.onEvent(json("{\"type\":\"progress\",\"action\":\"shutdown\",\"phase\":\"command_sent\"}"), null);
        Card done = renderer.onEvent(json("{\"type\":\"completed\",\"action\":\"shutdown\",\"code\":\"OFFLINE\","
                + "\"success\":true,\"elapsed_s\":20}"), null);
        assertTrue(renderer.finished());
        assertEquals(List.of("✅ Shutdown in 5 min, at <t:1795623120:t>", "Use /server cancel to call it off.",
                "🔔 Players warned in the game: 1 min left", "💾 World saved",
                "⚠ The game did not stop in time: shutting down anyway", "✅ Shutdown command sent", "✅ Powered off (20 s)"),
                List.of(done.description().split("\n")));
    }

    @Test
    void aCountdownLongerThanDiscordLetsACardBeEditedEndsAtTheResult() throws Exception {
        HostInfo rcon = new HostInfo("pve", "Proxmox", List.of("shutdown"), "minecraft", true);
        ProgressRenderer renderer = new ProgressRenderer(Texts.of(Locale.ENGLISH), rcon, "shutdown", "42");
        renderer.onResult(json("{\"success\":true,\"code\":\"SHUTDOWN_SCHEDULED\",\"details\":{\"delay_minutes\":30}}"));
        assertTrue(renderer.finished());
    }

    @Test
    void timeoutsAndAnUnreachableBrokerAreSaidPlainly() {
        ProgressRenderer renderer = new ProgressRenderer(Texts.of(Locale.ENGLISH), PVE, "cancel", "42");
        renderer.sending("c-3");
        assertEquals("⏱ No answer from the CubeGuardian worker within 30 s. The command may still run.",
                renderer.resultTimeout(java.time.Duration.ofSeconds(30)).lastLine());
        ProgressRenderer cut = new ProgressRenderer(Texts.of(Locale.FRENCH), PVE, "wake", "42");
        cut.sending("c-4");
        Card card = cut.unavailable(false);
        assertEquals("📡 Le worker CubeGuardian est hors ligne : rien n’a été envoyé. Réessayez quand il sera revenu.",
                card.description());
        assertEquals("Impossible de démarrer Proxmox", card.title());
    }

    @Test
    void statusShowsServiceVersionPlayersMotdAndSince() throws Exception {
        JsonNode state = json("{\"state\":\"online\",\"since\":\"2026-11-25T16:07:41.120Z\",\"service\":{\"reachable\":true,"
                + "\"version\":\"1.21.4\",\"players_online\":2,\"players_max\":20,\"players\":[\"alice\",\"bob\"],\"motd\":\"Hi\"}}");
        Card card = StatusRenderer.render(Texts.of(Locale.ENGLISH), PVE, state, true, "42");
        assertEquals("Proxmox (pve)", card.title());
        assertEquals("The server is **online**.", card.description());
        assertEquals(List.of(new Card.Field("Since", "<t:1795622861:R>", true), new Card.Field("Service", "Minecraft 1.21.4", true),
                new Card.Field("Players", "2/20: alice, bob", false), new Card.Field("MOTD", "Hi", false)), card.fields());
        assertEquals(Card.Tone.SUCCESS, card.tone());
        assertEquals(List.of("start:pve:42", "stop:pve:42", "refresh:pve:42"), card.buttons().stream().map(Card.Action::id).toList());
    }

    @Test
    void notificationsAndPresenceAreLocalized() throws Exception {
        Card state = Notifications.render(Texts.of(Locale.FRENCH), "Proxmox", json("{\"type\":\"state\",\"from\":\"waking\",\"to\":\"starting\"}"));
        assertEquals("Proxmox est en démarrage", state.title());
        assertEquals("en réveil → en démarrage", state.description());
        Card idle = Notifications.render(Texts.of(Locale.ENGLISH), "Proxmox",
                json("{\"type\":\"idle_warning\",\"idle_s\":900,\"shutdown_in_s\":120}"));
        assertEquals("Nobody has played on Proxmox for 15 min: it will shut down in 2 min unless someone joins.", idle.description());
        assertNull(Notifications.render(Texts.of(Locale.ENGLISH), "Proxmox", json("{\"type\":\"players\"}")));
        assertEquals("Proxmox: online, 2/20 players", PresenceText.of(Texts.of(Locale.ENGLISH), "Proxmox",
                json("{\"state\":\"online\",\"service\":{\"reachable\":true,\"players_online\":2,\"players_max\":20}}"), true));
        assertEquals("Proxmox : éteint", PresenceText.of(Texts.of(Locale.FRENCH), "Proxmox", json("{\"state\":\"off\"}"), true));
    }
}
