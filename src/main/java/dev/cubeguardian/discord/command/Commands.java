package dev.cubeguardian.discord.command;

import java.util.List;
import java.util.Optional;

/** The one registration list: every {@code /server} subcommand the bot has. */
public final class Commands {

    public static final String ROOT = "server";

    private final List<ServerCommand> all;

    public Commands(BotContext context) {
        all = List.of(new StartCommand(context), new StopCommand(context), new CancelCommand(context),
                new StatusCommand(context), new IdleCommand(context), new RestartCommand(context));
    }

    public List<ServerCommand> all() {
        return all;
    }

    public Optional<ServerCommand> named(String name) {
        return all.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
