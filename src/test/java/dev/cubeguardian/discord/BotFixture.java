package dev.cubeguardian.discord;

import static org.awaitility.Awaitility.await;

import dev.cubeguardian.discord.bus.CommandBus;
import dev.cubeguardian.it.MosquittoBroker;
import dev.cubeguardian.it.MqttProbeClient;
import dev.cubeguardian.it.WorkerUnderTest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import net.dv8tion.jda.api.entities.MessageEmbed;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What the bot's ITs run against: a real Mosquitto, the real worker running the demo host, and
 * the bot as `cubeguardian discord` builds it minus the gateway. Closes all of it, newest first.
 */
final class BotFixture implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String STARTER_ROLE = "900000000000000001";
    static final String ADMIN = "222";

    private final List<AutoCloseable> open = new ArrayList<>();
    private final MosquittoBroker broker;
    private CommandBus bus;

    BotFixture() throws Exception {
        broker = keep(new MosquittoBroker().start());
    }

    <T extends AutoCloseable> T keep(T closeable) {
        open.add(closeable);
        return closeable;
    }

    MosquittoBroker broker() {
        return broker;
    }

    /** The bot's own MQTT client, once {@link #bot} has started it. */
    CommandBus bus() {
        return bus;
    }

    MqttProbeClient probe(String filter) throws Exception {
        return keep(new MqttProbeClient(broker.url(), filter));
    }

    void demoWorker(String players) throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("cubeguardian.mqtt.url", broker.url());
        settings.put("cubeguardian.mqtt.client-id", "dbot-" + UUID.randomUUID().toString().substring(0, 8));
        settings.put("cubeguardian.demo.boot-seconds", "2");
        settings.put("cubeguardian.demo.players", players);
        settings.put("cubeguardian.monitor.fast-interval", "200ms");
        settings.put("cubeguardian.monitor.steady-interval", "2s");
        settings.put("cubeguardian.monitor.down-confirmations", "2");
        keep(new WorkerUnderTest(settings).start());
    }

    DiscordListener bot(Map<String, String> extra) throws Exception {
        return bot(extra, Clock.systemUTC());
    }

    /**
     * Start allowed to a role, stop and cancel to one user; no cooldown unless {@code extra} sets
     * one (most tests send commands back to back). Returns once the bot knows the demo host.
     */
    DiscordListener bot(Map<String, String> extra, Clock clock) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("CUBEGUARDIAN_MQTT_URL", broker.url());
        env.put("CUBEGUARDIAN_DISCORD_START_ROLES", STARTER_ROLE);
        env.put("CUBEGUARDIAN_DISCORD_STOP_USERS", ADMIN);
        env.put("CUBEGUARDIAN_DISCORD_CANCEL_USERS", ADMIN);
        env.put("CUBEGUARDIAN_DISCORD_COOLDOWN", "0s");
        env.putAll(extra);
        DiscordSettings settings = DiscordSettings.load(env, false);
        CommandBus started = keep(new CommandBus(settings.mqttUrl(), settings.mqttClientId(), null, null, null,
                settings.baseTopic()).start());
        await().atMost(WAIT).until(() -> started.connected() && started.workerOnline() && started.host("demo").isPresent()
                && started.state("demo").isPresent());
        bus = started;
        return keep(new DiscordBot(settings, started, clock)).listener();
    }

    /** Wakes the demo host behind the bot's back and waits until the bot has seen it online. */
    void demoOnline(MqttProbeClient client) throws Exception {
        client.publish("cubeguardian/demo/cmd/wake", "{\"id\":\"warm-up\"}");
        await().atMost(WAIT).until(() -> bus.state("demo").get().path("state").asText().equals("online"));
    }

    static void awaitFinal(FakeDiscord.Seen seen, String titleFragment) {
        awaitCard(seen, "a card titled '" + titleFragment + "'",
                () -> seen.lastEmbed() != null && seen.lastEmbed().getTitle().contains(titleFragment));
    }

    /** Waits until {@code done}; on timeout says what the user saw instead. */
    static void awaitCard(FakeDiscord.Seen seen, String what, Callable<Boolean> done) {
        try {
            await().atMost(WAIT).until(done);
        } catch (ConditionTimeoutException e) {
            MessageEmbed last = seen.lastEmbed();
            throw new AssertionError("no " + what + " within " + WAIT.toSeconds() + " s; the user saw "
                    + (last == null ? "no card" : "'" + last.getTitle() + "': " + seen.steps()) + ", reply " + seen.reply, e);
        }
    }

    static void awaitRefusal(FakeDiscord.Seen seen) {
        await().atMost(WAIT).until(() -> seen.ephemeral != null);
    }

    @Override
    public void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }
}
