package dev.cubeguardian.discord;

import static dev.cubeguardian.discord.BotFixture.WAIT;
import static dev.cubeguardian.discord.BotFixture.awaitFinal;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.it.MqttProbeClient;
import dev.cubeguardian.it.WorkerUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.interactions.DiscordLocale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /server idle against a real Mosquitto and the real worker, with a host whose inventory has idle shutdown. */
class DiscordIdleIT {

    private static final String KEEPER = "888";

    @TempDir
    Path dir;

    private BotFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new BotFixture();
        Path hosts = dir.resolve("hosts.yaml");
        Files.writeString(hosts, "hosts:\n  demo:\n    name: Demo server\n    mac: \"aabbccddee31\"\n    address: 127.0.0.1\n"
                + "    wol: {broadcast: 127.0.0.1, port: 9}\n    probe: {method: tcp, port: 9, timeout: 1s}\n"
                + "    idle: {enabled: true, after: 24h}\n");
        fixture.keep(new WorkerUnderTest(Map.of("cubeguardian.mqtt.url", fixture.broker().url(),
                "cubeguardian.mqtt.client-id", "idle-bot-it", "cubeguardian.hosts-file", hosts.toString())).start());
    }

    @AfterEach
    void closeAll() throws Exception {
        fixture.close();
    }

    @Test
    void idleOffForFourHoursShowsOffUntilWhenAndTheStatusCardSaysSo() throws Exception {
        MqttProbeClient commands = fixture.probe("cubeguardian/+/cmd/+");
        DiscordListener listener = fixture.bot(Map.of("CUBEGUARDIAN_DISCORD_IDLE_USERS", KEEPER));
        FakeDiscord.Seen seen = new FakeDiscord.Seen();

        listener.onSlashCommandInteraction(FakeDiscord.slash("idle", "off", KEEPER, List.of(), DiscordLocale.ENGLISH_US,
                Map.of("hours", 4), seen));
        awaitFinal(seen, "is off");

        MqttProbeClient.Received published = commands.await(m -> m.topic().equals("cubeguardian/demo/cmd/idle"), WAIT);
        assertEquals(false, published.json().get("enabled").asBoolean(true));
        assertEquals(240, published.json().get("for_minutes").asInt());
        MessageEmbed card = seen.lastEmbed();
        assertEquals("Idle shutdown of Demo server is off", card.getTitle());
        long until = Long.parseLong(card.getDescription().replaceAll(".*<t:([0-9]+):f>.*", "$1"));
        long expected = Instant.now().plusSeconds(4 * 3600).getEpochSecond();
        assertTrue(Math.abs(until - expected) < 60, card.getDescription());
        assertEquals("✅ off until <t:" + until + ":f> (<t:" + until + ":R>)", card.getDescription());

        await().atMost(WAIT).until(() -> fixture.bus().state("demo").get().at("/idle/enabled").asBoolean(true) == false);
        FakeDiscord.Seen status = new FakeDiscord.Seen();
        listener.onSlashCommandInteraction(FakeDiscord.slash("status", KEEPER, List.of(), DiscordLocale.ENGLISH_US, Map.of(), status));
        await().atMost(WAIT).until(() -> status.lastEmbed() != null);
        assertTrue(status.lastEmbed().getFields().stream().anyMatch(f -> f.getName().equals("Idle shutdown")
                && f.getValue().equals("off until <t:" + until + ":f> (<t:" + until + ":R>)")), status.lastEmbed().getFields().toString());
    }

    @Test
    void aMemberWithoutTheIdleRightIsRefusedAndNothingIsPublished() throws Exception {
        MqttProbeClient commands = fixture.probe("cubeguardian/+/cmd/+");
        DiscordListener listener = fixture.bot(Map.of("CUBEGUARDIAN_DISCORD_IDLE_USERS", KEEPER));
        FakeDiscord.Seen seen = new FakeDiscord.Seen();

        listener.onSlashCommandInteraction(FakeDiscord.slash("idle", "on", "999", List.of(), DiscordLocale.ENGLISH_US,
                Map.of("host", "demo"), seen));
        BotFixture.awaitRefusal(seen);
        Thread.sleep(500);

        assertEquals("⛔ You are not allowed to switch the idle shutdown. Ask an admin to add your role to the bot’s configuration.",
                seen.reply);
        assertEquals(List.of(), commands.all(m -> true));
    }
}
