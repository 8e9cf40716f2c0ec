package dev.cubeguardian.discord;

import dev.cubeguardian.discord.command.Commands;
import dev.cubeguardian.discord.command.IdleCommand;
import dev.cubeguardian.discord.command.RestartCommand;
import dev.cubeguardian.discord.command.ServerCommand;
import dev.cubeguardian.discord.command.StopCommand;
import java.util.Locale;
import net.dv8tion.jda.api.interactions.DiscordLocale;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandGroupData;

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
            if (command instanceof IdleCommand) {
                // /server idle on|off: a group, so "on" and "off" read as words and hours belongs to off only
                SubcommandGroupData idle = new SubcommandGroupData(command.name(), EN.get("command.idle"))
                        .setDescriptionLocalization(DiscordLocale.FRENCH, FR.get("command.idle"));
                idle.addSubcommands(subcommand(IdleCommand.ON, "command.idle.on"),
                        subcommand(IdleCommand.OFF, "command.idle.off").addOptions(
                                option(OptionType.INTEGER, IdleCommand.OPTION_HOURS).setRequiredRange(1, IdleCommand.MAX_HOURS)));
                idle.getSubcommands().forEach(SlashCommands::addHost);
                server.addSubcommandGroups(idle);
                continue;
            }
            SubcommandData sub = subcommand(command.name(), "command." + command.name());
            if (command instanceof StopCommand) {
                sub.addOptions(option(OptionType.INTEGER, StopCommand.OPTION_DELAY).setRequiredRange(0, StopCommand.MAX_DELAY),
                        option(OptionType.BOOLEAN, StopCommand.OPTION_FORCE));
            }
            if (command instanceof RestartCommand) {
                sub.addOptions(option(OptionType.BOOLEAN, RestartCommand.OPTION_FORCE, "option.force_restart"));
            }
            addHost(sub);
            server.addSubcommands(sub);
        }
        return server;
    }

    private static SubcommandData subcommand(String name, String key) {
        return new SubcommandData(name, EN.get(key)).setDescriptionLocalization(DiscordLocale.FRENCH, FR.get(key));
    }

    private static void addHost(SubcommandData sub) {
        sub.addOptions(option(OptionType.STRING, ServerCommand.OPTION_HOST).setAutoComplete(true));
    }

    private static OptionData option(OptionType type, String name) {
        return option(type, name, "option." + name);
    }

    private static OptionData option(OptionType type, String name, String key) {
        return new OptionData(type, name, EN.get(key), false).setDescriptionLocalization(DiscordLocale.FRENCH, FR.get(key));
    }
}
