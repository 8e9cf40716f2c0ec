package dev.cubeguardian.discord;

import static dev.cubeguardian.discord.BotFixture.WAIT;
import static dev.cubeguardian.discord.BotFixture.awaitFinal;
import static dev.cubeguardian.client.WorkerInfos.host;
import static dev.cubeguardian.client.WorkerInfos.v1;
import static dev.cubeguardian.client.WorkerInfos.worker;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.client.HostEntries;
import dev.cubeguardian.discord.bus.HostInfo;
import dev.cubeguardian.client.WorkerInfos;
import dev.cubeguardian.it.MqttProbeClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.interactions.DiscordLocale;
import net.dv8tion.jda.api.interactions.commands.Command;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bot with several workers under one base topic (v1.1), against a real Mosquitto, Discord
 * faked at JDA's interfaces. The workers are stand-ins: the test publishes their retained
 * bridge/workers/<id>/state and info and the host states itself, as mqtt-api.md says a worker does.
 */
class DiscordWorkersIT {

    private static final String W = "cubeguardian/bridge/workers/";
    private static final String MEMBER = "444";

    private BotFixture fixture;
    private MqttProbeClient workers;
    private DiscordListener listener;

    @BeforeEach
    void start() throws Exception {
        fixture = new BotFixture();
        workers = fixture.probe("cubeguardian/+/cmd/+");
        announce("east", "online", worker("east", null, "active", host("demo", "Demo server"), host("pve", "Proxmox")));
        announce("mc-a", "offline", worker("mc-a", "mc", "active", host("vanilla", "Vanilla")));
        announce("mc-b", "online", worker("mc-b", "mc", "standby", host("vanilla", "Vanilla")));
        announce("west", "offline", worker("west", null, "active", host("nas", "NAS")));
        for (String host : List.of("demo", "pve", "vanilla", "nas")) {
            workers.publishRetained("cubeguardian/" + host + "/state", "{\"v\":1,\"host\":\"" + host + "\",\"state\":\"off\"}");
        }
        listener = fixture.bot(Map.of());
        await().atMost(WAIT).until(() -> fixture.bus().workers().size() == 4 && fixture.bus().state("nas").isPresent());
    }

    @AfterEach
    void closeAll() throws Exception {
        fixture.close();
    }

    private void announce(String id, String state, String info) throws Exception {
        workers.publishRetained(W + id + "/state", state);
        workers.publishRetained(W + id + "/info", info);
    }

    private List<String> offered(String subcommand, String typed) {
        List<Command.Choice> choices = new ArrayList<>();
        listener.onCommandAutoCompleteInteraction(FakeDiscord.autocomplete(null, subcommand, MEMBER,
                List.of(BotFixture.STARTER_ROLE), typed, choices));
        return choices.stream().map(Command.Choice::getAsString).toList();
    }

    private MessageEmbed status(String host) {
        FakeDiscord.Seen seen = new FakeDiscord.Seen();
        listener.onSlashCommandInteraction(FakeDiscord.slash("status", MEMBER, List.of(), DiscordLocale.ENGLISH_US,
                Map.of("host", host), seen));
        awaitFinal(seen, "(" + host + ")");
        return seen.lastEmbed();
    }

    private static String field(MessageEmbed card, String name) {
        return card.getFields().stream().filter(f -> name.equals(f.getName())).map(MessageEmbed.Field::getValue).findFirst()
                .orElse(null);
    }

    /** Waits until the bot has read everything published before: a sentinel worker's host, published last, is known. */
    private void awaitBotCaughtUp(String sentinel) throws Exception {
        announce(sentinel, "online", worker(sentinel, null, "active", host(sentinel + "-host", "Sentinel")));
        await().atMost(WAIT).until(() -> fixture.bus().host(sentinel + "-host").isPresent());
    }

    @Test
    void autocompleteOffersTheHostsOfEveryWorkerOnce() {
        assertEquals(List.of("demo", "pve", "vanilla", "nas"), offered("start", ""));
        assertEquals(List.of("vanilla"), offered("start", "van"), "the active and its standby announce it: once");
    }

    @Test
    void statusShowsEachWorkersAvailability() {
        MessageEmbed card = status("pve");

        assertEquals("🟢 `east`: online, active · 2 hosts\n"
                + "🔴 `mc-a`: offline, active, group `mc` · 1 host\n"
                + "🟢 `mc-b`: online, standby, group `mc` · 1 host\n"
                + "🔴 `west`: offline, active · 1 host", field(card, "Workers"));
        assertFalse(card.getDescription().contains("offline"), card.getDescription());
    }

    @Test
    void aHostOfAnOfflineWorkerIsShownAsSuch() throws Exception {
        MessageEmbed nas = status("nas");
        assertTrue(nas.getDescription().endsWith("⚠ Every CubeGuardian worker that announces this host is offline: this state "
                + "may be out of date."), nas.getDescription());
        assertFalse(status("vanilla").getDescription().contains("⚠"), "its standby is online");

        FakeDiscord.Seen start = new FakeDiscord.Seen();
        listener.onSlashCommandInteraction(FakeDiscord.slash("start", MEMBER, List.of(BotFixture.STARTER_ROLE),
                DiscordLocale.ENGLISH_US, Map.of("host", "nas"), start));
        BotFixture.awaitCard(start, "the worker-offline card", () -> start.lastEmbed() != null
                && start.lastEmbed().getDescription().contains("offline"));
        assertEquals("📡 The CubeGuardian worker is offline, so nothing was sent. Try again when it is back.",
                start.lastEmbed().getDescription());
        assertEquals("Could not start NAS", start.lastEmbed().getTitle());

        FakeDiscord.Seen vanilla = new FakeDiscord.Seen();
        listener.onSlashCommandInteraction(FakeDiscord.slash("start", MEMBER, List.of(BotFixture.STARTER_ROLE),
                DiscordLocale.ENGLISH_US, Map.of("host", "vanilla"), vanilla));
        assertNotNull(workers.await(m -> m.topic().equals("cubeguardian/vanilla/cmd/wake"), WAIT), "its standby takes it");
        assertEquals(List.of(), workers.all(m -> m.topic().equals("cubeguardian/nas/cmd/wake")), "nothing sent to nas");
    }

    @Test
    void v1BridgeInfoAndWorkerInfosTogether() throws Exception {
        workers.publishRetained("cubeguardian/bridge/state", "online");
        workers.publishRetained("cubeguardian/bridge/info", v1(host("legacy", "Legacy box"), host("pve", "Proxmox")));
        await().atMost(WAIT).until(() -> fixture.bus().host("legacy").isPresent());

        assertEquals(List.of("legacy", "pve", "demo", "vanilla", "nas"), offered("start", ""));
        assertTrue(field(status("legacy"), "Workers").startsWith("🟢 the worker without an id: online · 2 hosts\n🟢 `east`"));
    }

    @Test
    void aClearedWorkerInfoRemovesThatWorker() throws Exception {
        workers.publishRetained(W + "west/info", "");
        await().atMost(WAIT).until(() -> fixture.bus().host("nas").isEmpty());

        assertEquals(List.of("demo", "pve", "vanilla"), offered("start", ""));
        assertFalse(field(status("pve"), "Workers").contains("west"));
    }

    @Test
    void hostileWorkerInfosNeitherCrashNorHangTheBotNorShowBadHostIds() throws Exception {
        announce("malformed", "online", "{\"worker_id\":\"malformed\",\"hosts\":[{\"id\":\"evil\"");
        announce("big", "online", WorkerInfos.padded("big", 1024 * 1024));
        announce("many", "online", WorkerInfos.manyHosts("many", 100_000));
        announce("odd", "online", worker("odd", null, "active", WorkerInfos.badHosts()));
        announce("liar", "online", worker("east", null, "active", host("stolen", "Stolen")));
        for (String level : List.of("EVIL", "x".repeat(200), "a.b", "%2B", "$SYS", "a b", "*")) {
            announce(level, "online", worker(level, null, "active", host("evil", "Evil")));
        }
        announce("east", "online", "{\"worker_id\":\"east\",\"hosts\":[");
        awaitBotCaughtUp("sentinel");

        assertEquals(List.of("demo", "pve", "vanilla", "sentinel-host", "nas"), offered("start", ""),
                "the good infos are still the ones shown, east's included");
        assertEquals("🟢 `east`: online, active · 2 hosts", field(status("pve"), "Workers").lines().findFirst().orElse(""));
        assertTrue(fixture.bus().hosts().stream().map(HostInfo::id).allMatch(id -> HostEntries.HOST_ID.matcher(id).matches()));

        // a worker under the byte bound with 30 000 hosts: the bot keeps a thousand, and still answers at once
        announce("many", "online", WorkerInfos.manyHosts("many", 30_000));
        await().atMost(WAIT).until(() -> fixture.bus().hosts().size() == 5 + HostEntries.MAX_HOSTS);
        assertEquals(HostChoices.MAX, offered("start", "h").size());
        assertEquals(List.of("h999"), offered("start", "h999"));

        // a bot started now reads all of it retained at once
        fixture.close();
        BotFixture second = new BotFixture();
        fixture = second;
        MqttProbeClient again = second.probe("cubeguardian/+/cmd/+");
        workers = again;
        announce("east", "online", worker("east", null, "active", host("demo", "Demo server")));
        workers.publishRetained("cubeguardian/demo/state", "{\"v\":1,\"host\":\"demo\",\"state\":\"off\"}");
        announce("odd", "online", worker("odd", null, "active", WorkerInfos.badHosts()));
        announce("big", "online", WorkerInfos.padded("big", 1024 * 1024));
        listener = second.bot(Map.of());
        assertEquals(List.of("demo"), offered("start", ""));
    }
}
