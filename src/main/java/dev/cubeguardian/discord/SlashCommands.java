package dev.cubeguardian.discord;

import dev.cubeguardian.discord.command.Commands;
import dev.cubeguardian.discord.command.ServerCommand;
import dev.cubeguardian.discord.command.StopCommand;
import java.util.Locale;
import net.dv8tion.jda.api.interactions.DiscordLocale;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;

/** The {@code /server} command as registered with Discord, descriptions in English and French. */
public final class SlashCommands {

    private static final Texts EN = Texts.of(Locale.ENGLISH);
    private static final Texts FR = Texts.of(Locale.FRENCH);

    private SlashCommands() {
    }

    public static SlashCommandData server(Commands commands) {
        SlashCommandData server = net.dv8tion.jda.api.interactions.commands.build.Commands
                .slash(Commands.ROOT, EN.get("command.server"))
                .setDescriptionLocalization(DiscordLocale.FRENCH, FR.get("command.server"))
                .setContexts(InteractionContextType.GUILD);
        for (ServerCommand command : commands.all()) {
            String key = "command." + command.name();
            SubcommandData sub = new SubcommandData(command.name(), EN.get(key))
                    .setDescriptionLocalization(DiscordLocale.FRENCH, FR.get(key));
            if (command instanceof StopCommand) {
                sub.addOptions(option(OptionType.INTEGER, StopCommand.OPTION_DELAY).setRequiredRange(0, StopCommand.MAX_DELAY),
                        option(OptionType.BOOLEAN, StopCommand.OPTION_FORCE));
            }
            sub.addOptions(option(OptionType.STRING, ServerCommand.OPTION_HOST).setAutoComplete(true));
            server.addSubcommands(sub);
        }
        return server;
    }

    private static OptionData option(OptionType type, String name) {
        String key = "option." + name;
        return new OptionData(type, name, EN.get(key), false).setDescriptionLocalization(DiscordLocale.FRENCH, FR.get(key));
    }
}
