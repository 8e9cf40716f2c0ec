package dev.cubeguardian.discord;

import static dev.cubeguardian.discord.BotFixture.WAIT;
import static dev.cubeguardian.discord.BotFixture.awaitFinal;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.it.MqttProbeClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.dv8tion.jda.api.interactions.DiscordLocale;
import net.dv8tion.jda.api.interactions.commands.Command;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-host permissions and /server restart against a real Mosquitto. The worker side of reboot is
 * not on this branch: a few lines of this test answer cmd/reboot as mqtt-api.md says the worker
 * does (REBOOT_SENT, then progress and completed events). A stand-in, to be replaced by the
 * real worker in an end-to-end test after the merge.
 */
class DiscordHostPermissionsIT {

    private static final String FRIENDS = "900000000000000007";
    private static final String FRIEND = "555";
    private static final String INFO = "{\"version\":\"x\",\"api_version\":\"1.1\",\"hosts\":["
            + "{\"id\":\"demo\",\"name\":\"Demo server\",\"capabilities\":[\"wake\",\"check\",\"shutdown\",\"cancel\",\"reboot\"],"
            + "\"service\":\"minecraft\"},"
            + "{\"id\":\"vanilla\",\"name\":\"Vanilla\",\"capabilities\":[\"wake\",\"check\",\"shutdown\",\"cancel\",\"reboot\"],"
            + "\"service\":\"minecraft\"},"
            + "{\"id\":\"nas\",\"name\":\"nas\",\"capabilities\":[\"wake\",\"check\"],\"service\":null}]}";

    private BotFixture fixture;
    private MqttProbeClient worker;
    private DiscordListener listener;

    @BeforeEach
    void start() throws Exception {
        fixture = new BotFixture();
        // the stand-in worker: retained bridge, info and states; it sees every command
        worker = fixture.probe("cubeguardian/+/cmd/+");
        worker.publishRetained("cubeguardian/bridge/state", "online");
        worker.publishRetained("cubeguardian/bridge/info", INFO);
        for (String host : List.of("demo", "vanilla", "nas")) {
            worker.publishRetained("cubeguardian/" + host + "/state", "{\"v\":1,\"host\":\"" + host + "\",\"state\":\"online\"}");
        }
        // friends may restart and start the demo host only; nobody has all-hosts restart rights
        listener = fixture.bot(Map.of("CUBEGUARDIAN_DISCORD_RESTART_HOST_ROLES", "demo:" + FRIENDS,
                "CUBEGUARDIAN_DISCORD_START_HOST_ROLES", "demo:" + FRIENDS + "; nas:" + FRIENDS));
    }

    @AfterEach
    void closeAll() throws Exception {
        fixture.close();
    }

    @Test
    void aMemberWithoutTheRoleForThisHostCannotRestartItByTypingItsName() throws Exception {
        FakeDiscord.Seen seen = new FakeDiscord.Seen();

        listener.onSlashCommandInteraction(FakeDiscord.slash("restart", FRIEND, List.of(FRIENDS), DiscordLocale.ENGLISH_US,
                Map.of("host", "vanilla", "force", true), seen));
        BotFixture.awaitRefusal(seen);
        Thread.sleep(1000);

        assertEquals("⛔ You are not allowed to restart the server on Vanilla. Ask an admin to add your role to the bot’s "
                + "configuration.", seen.reply);
        assertTrue(seen.ephemeral);
        assertEquals(List.of("reply"), seen.calls, "refused before anything was acknowledged or sent");
        assertEquals(List.of(), worker.all(m -> true), "nothing published");
    }

    @Test
    void autocompleteOffersOnlyTheHostsTheMemberMayUseForThatSubcommand() {
        List<Command.Choice> restart = new ArrayList<>();
        List<Command.Choice> start = new ArrayList<>();
        List<Command.Choice> stranger = new ArrayList<>();

        listener.onCommandAutoCompleteInteraction(FakeDiscord.autocomplete(null, "restart", FRIEND, List.of(FRIENDS), "", restart));
        listener.onCommandAutoCompleteInteraction(FakeDiscord.autocomplete(null, "start", FRIEND, List.of(FRIENDS), "", start));
        listener.onCommandAutoCompleteInteraction(FakeDiscord.autocomplete(null, "restart", "666", List.of("1"), "", stranger));

        assertEquals(List.of("demo"), restart.stream().map(Command.Choice::getAsString).toList());
        assertEquals(List.of("demo", "nas"), start.stream().map(Command.Choice::getAsString).toList());
        assertEquals(List.of(), stranger);
    }

    @Test
    void restartIsRefusedOnAHostThatDoesNotAnnounceRebootAndNothingIsPublished() throws Exception {
        FakeDiscord.Seen seen = new FakeDiscord.Seen();
        // all-hosts restart for this user: only nas's capabilities stop it
        DiscordListener admin = fixture.bot(Map.of("CUBEGUARDIAN_DISCORD_RESTART_USERS", "777"));

        admin.onSlashCommandInteraction(FakeDiscord.slash("restart", "777", List.of(), DiscordLocale.ENGLISH_US,
                Map.of("host", "nas"), seen));
        BotFixture.awaitRefusal(seen);
        Thread.sleep(500);

        assertEquals("⛔ nas does not offer this: the worker cannot restart the server there.", seen.reply);
        assertEquals(List.of(), worker.all(m -> true), "nothing published");
    }

    @Test
    void restartFollowsTheRebootUntilTheHostIsOnlineAgain() throws Exception {
        FakeDiscord.Seen seen = new FakeDiscord.Seen();

        listener.onSlashCommandInteraction(FakeDiscord.slash("restart", FRIEND, List.of(FRIENDS), DiscordLocale.ENGLISH_US,
                Map.of(), seen));
        MqttProbeClient.Received command = worker.await(m -> m.topic().equals("cubeguardian/demo/cmd/reboot"), WAIT);
        String id = command.json().get("id").asText();
        assertEquals("{\"id\":\"" + id + "\",\"force\":false,\"requested_by\":\"discord:" + FRIEND + "\"}", command.text());

        // the stand-in worker answers as the contract says
        worker.publish("cubeguardian/demo/result/reboot", "{\"v\":1,\"id\":\"" + id + "\",\"host\":\"demo\",\"action\":\"reboot\","
                + "\"success\":true,\"code\":\"REBOOT_SENT\",\"message\":\"Restart of Demo server started\",\"error\":null}");
        for (String phase : List.of("command_sent", "went_down", "host_up", "service_up")) {
            worker.publish("cubeguardian/demo/event", event(id, "\"type\":\"progress\",\"phase\":\"" + phase + "\",\"elapsed_s\":3"));
        }
        worker.publish("cubeguardian/demo/event", event(id, "\"type\":\"completed\",\"success\":true,\"code\":\"ONLINE\",\"elapsed_s\":12"));
        awaitFinal(seen, "online again");

        assertEquals("Demo server is online again", seen.lastEmbed().getTitle());
        assertEquals(List.of("✅ Restart command sent", "✅ Host went down (3 s)", "✅ Host up (3 s)", "✅ Demo server online (12 s)"),
                List.of(seen.lastEmbed().getDescription().split("\n")));
        assertEquals(Card.Tone.SUCCESS.rgb(), seen.lastEmbed().getColorRaw());
    }

    @Test
    void restartWithPlayersOnlineAsksToRestartAnywayAndThatForcesIt() throws Exception {
        FakeDiscord.Seen seen = new FakeDiscord.Seen();
        listener.onSlashCommandInteraction(FakeDiscord.slash("restart", FRIEND, List.of(FRIENDS), DiscordLocale.ENGLISH_US,
                Map.of("host", "demo"), seen));
        String id = worker.await(m -> m.topic().equals("cubeguardian/demo/cmd/reboot"), WAIT).json().get("id").asText();
        worker.publish("cubeguardian/demo/result/reboot", "{\"v\":1,\"id\":\"" + id + "\",\"host\":\"demo\",\"action\":\"reboot\","
                + "\"success\":false,\"code\":\"PLAYERS_ONLINE\",\"message\":\"2 players\",\"details\":{\"players_online\":1,"
                + "\"players\":[\"alice\"]},\"error\":{\"code\":\"PLAYERS_ONLINE\",\"message\":\"2 players\"}}");
        awaitFinal(seen, "Players are online");
        assertEquals("1 player is online: alice.\nRestart anyway? They will be disconnected.", seen.lastEmbed().getDescription());
        assertEquals("forcerestart:demo:" + FRIEND, seen.lastButtons().get(0).getCustomId());
        assertEquals("Restart anyway", seen.lastButtons().get(0).getLabel());

        FakeDiscord.Seen pressed = new FakeDiscord.Seen();
        listener.onButtonInteraction(FakeDiscord.button("forcerestart:demo:" + FRIEND, FRIEND, List.of(FRIENDS),
                DiscordLocale.ENGLISH_US, pressed));
        await().atMost(WAIT).until(() -> worker.all(m -> m.topic().equals("cubeguardian/demo/cmd/reboot")).size() == 2);
        assertTrue(worker.all(m -> m.topic().equals("cubeguardian/demo/cmd/reboot")).get(1).json().get("force").asBoolean());
    }

    private static String event(String id, String fields) {
        return "{\"v\":1,\"host\":\"demo\",\"action\":\"reboot\",\"id\":\"" + id + "\"," + fields + "}";
    }
}
