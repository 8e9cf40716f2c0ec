package dev.cubeguardian.discord.command;

import dev.cubeguardian.discord.Cooldowns;
import dev.cubeguardian.discord.DiscordSettings;
import dev.cubeguardian.discord.Permissions;
import dev.cubeguardian.discord.bus.CommandBus;
import java.time.Duration;

/** What every command needs. */
public record BotContext(CommandBus bus, Permissions permissions, Cooldowns cooldowns, String mainHost,
        Duration resultTimeout, Duration followTimeout) {

    public static BotContext of(DiscordSettings settings, CommandBus bus, Cooldowns cooldowns) {
        return new BotContext(bus, settings.permissions(), cooldowns, settings.mainHost(), settings.resultTimeout(),
                settings.followTimeout());
    }
}
