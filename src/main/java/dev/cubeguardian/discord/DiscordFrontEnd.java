package dev.cubeguardian.discord;

import dev.cubeguardian.config.InvalidSettingException;
import dev.cubeguardian.discord.bus.CommandBus;
import java.time.Clock;
import java.util.EnumSet;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.channel.concrete.TextChannel;
import net.dv8tion.jda.api.exceptions.InvalidTokenException;
import net.dv8tion.jda.api.requests.GatewayIntent;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Discord front-end: {@code java -jar cubeguardian.jar discord}. */
public final class DiscordFrontEnd {

    private static final Logger LOG = LoggerFactory.getLogger(DiscordFrontEnd.class);

    private DiscordFrontEnd() {
    }

    /** @return the process exit status */
    public static int run(String[] args) {
        DiscordSettings settings;
        try {
            settings = DiscordSettings.fromEnvironment(System.getenv());
        } catch (InvalidSettingException e) {
            System.err.println("cubeguardian discord: cannot start: " + e.getMessage());
            return 2;
        }
        LOG.info("Starting the Discord front-end ({})", settings);
        CommandBus bus;
        try {
            bus = new CommandBus(settings.mqttUrl(), settings.mqttClientId(), settings.mqttUsername(),
                    settings.mqttPasswordFile(), settings.mqttCaFile(), settings.baseTopic()).start();
        } catch (MqttException | InvalidSettingException e) {
            System.err.println("cubeguardian discord: cannot use the MQTT broker " + settings.mqttUrl() + ": " + e.getMessage());
            return 2;
        }
        DiscordBot bot = new DiscordBot(settings, bus, Clock.systemUTC());
        JDA jda;
        try {
            // slash commands and buttons need no gateway intent (JDA keeps the guild, role and
            // channel caches that permissions and the notifications channel use without one)
            jda = JDABuilder.createLight(settings.token(), EnumSet.noneOf(GatewayIntent.class))
                    .addEventListeners(bot.listener())
                    .build();
            jda.awaitReady();
        } catch (InvalidTokenException e) {
            System.err.println("cubeguardian discord: Discord refused the bot token (check DISCORD_TOKEN / DISCORD_TOKEN_FILE)");
            bus.close();
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            bus.close();
            return 1;
        }
        if (!register(jda, bot, settings)) {
            jda.shutdown();
            bus.close();
            return 2;
        }
        Texts texts = Texts.of(settings.defaultLocale());
        PresenceUpdater presence = new PresenceUpdater(bus, jda.getPresence(), texts, settings.mainHost());
        bus.addListener(presence);
        if (settings.notifyChannelId() != null) {
            TextChannel channel = jda.getTextChannelById(settings.notifyChannelId());
            if (channel == null) {
                LOG.warn("Notifications channel {} not found (is the bot in its server, can it see it?): no notifications",
                        settings.notifyChannelId());
            } else {
                bus.addListener(new Notifications(bus, texts, card -> channel.sendMessageEmbeds(JdaCards.embed(card))
                        .queue(null, e -> LOG.warn("Cannot post to the notifications channel: {}", e.getMessage()))));
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            jda.shutdown();
            bot.close();
            bus.close();
        }, "discord-shutdown"));
        try {
            jda.awaitShutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** One updateCommands call: guild commands (instant) with a guild id, else global ones. */
    private static boolean register(JDA jda, DiscordBot bot, DiscordSettings settings) {
        if (settings.guildId() == null) {
            jda.updateCommands().addCommands(SlashCommands.server(bot.commands())).queue(
                    ok -> LOG.info("Registered /server globally (Discord may take up to an hour to show it)"),
                    e -> LOG.error("Cannot register /server: {}", e.getMessage()));
            return true;
        }
        Guild guild = jda.getGuildById(settings.guildId());
        if (guild == null) {
            System.err.println("cubeguardian discord: the bot is not in the guild " + settings.guildId()
                    + " (invite it first, see docs/discord.md)");
            return false;
        }
        guild.updateCommands().addCommands(SlashCommands.server(bot.commands())).queue(
                ok -> LOG.info("Registered /server in {}", guild.getName()),
                e -> LOG.error("Cannot register /server in {}: {}", guild.getName(), e.getMessage()));
        return true;
    }
}
