package dev.cubeguardian.discord;

import dev.cubeguardian.discord.bus.CommandBus;
import dev.cubeguardian.discord.bus.HostInfo;
import dev.cubeguardian.discord.command.IdleCommand;
import dev.cubeguardian.discord.command.Commands;
import dev.cubeguardian.discord.command.Request;
import dev.cubeguardian.discord.command.Responder;
import dev.cubeguardian.discord.command.ServerCommand;
import dev.cubeguardian.discord.command.StopCommand;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import net.dv8tion.jda.api.entities.ISnowflake;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.DiscordLocale;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.interactions.callbacks.IReplyCallback;
import net.dv8tion.jda.api.interactions.commands.Command;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.requests.RestAction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only class that sees JDA's interaction events: it turns them into {@link Request}s and
 * {@link Responder}s and hands the work to the executor, so JDA's event thread never waits.
 */
public final class DiscordListener extends ListenerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(DiscordListener.class);

    private final Commands commands;
    private final CommandBus bus;
    private final Locale defaultLocale;
    private final Executor executor;

    public DiscordListener(Commands commands, CommandBus bus, Locale defaultLocale, Executor executor) {
        this.commands = commands;
        this.bus = bus;
        this.defaultLocale = defaultLocale;
        this.executor = executor;
    }

    @Override
    public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
        if (!Commands.ROOT.equals(event.getName())) {
            return;
        }
        Optional<ServerCommand> command = commands.named(commandName(event.getSubcommandGroup(), event.getSubcommandName()));
        if (command.isEmpty()) {
            return;
        }
        OptionMapping host = event.getOption(ServerCommand.OPTION_HOST);
        OptionMapping delay = event.getOption(StopCommand.OPTION_DELAY);
        OptionMapping force = event.getOption(StopCommand.OPTION_FORCE);
        OptionMapping hours = event.getOption(IdleCommand.OPTION_HOURS);
        Request request = new Request(event.getUser().getId(), roles(event.getMember()), locale(event.getUserLocale()),
                host == null ? null : host.getAsString(), delay == null ? 0 : delay.getAsInt(),
                force != null && force.getAsBoolean(), IdleCommand.ON.equals(event.getSubcommandName()),
                hours == null ? null : hours.getAsInt());
        executor.execute(() -> run(command.get(), request, new InteractionResponder(event, event::deferReply)));
    }

    @Override
    public void onButtonInteraction(ButtonInteractionEvent event) {
        String[] parts = event.getComponentId().split(":");
        if (parts.length < 3) {
            return;
        }
        String action = parts[0];
        String host = parts[1];
        String owner = parts[2];
        Locale locale = locale(event.getUserLocale());
        String user = event.getUser().getId();
        Optional<ServerCommand> command = commands.named(switch (action) {
            case "start" -> "start";
            case "stop", "forcestop" -> "stop";
            case "forcerestart" -> "restart";
            case "refresh" -> "status";
            default -> "";
        });
        if (command.isEmpty()) {
            return;
        }
        if (!user.equals(owner)) {
            event.reply(Texts.of(locale).get("deny.not_your_button")).setEphemeral(true).queue();
            return;
        }
        int delay = action.equals("forcestop") && parts.length > 3 ? parseDelay(parts[3]) : 0;
        Request request = new Request(user, roles(event.getMember()), locale, host, delay, action.startsWith("force"));
        executor.execute(() -> run(command.get(), request, new InteractionResponder(event, event::deferEdit)));
    }

    @Override
    public void onCommandAutoCompleteInteraction(CommandAutoCompleteInteractionEvent event) {
        if (!Commands.ROOT.equals(event.getName()) || !ServerCommand.OPTION_HOST.equals(event.getFocusedOption().getName())) {
            return;
        }
        // only the hosts this member may use this subcommand on: what they may not do is not offered
        Optional<ServerCommand> command = commands.named(commandName(event.getSubcommandGroup(), event.getSubcommandName()));
        List<HostInfo> usable = command.map(c -> c.usableHosts(bus.hosts(), event.getUser().getId(), roles(event.getMember())))
                .orElse(List.of());
        event.replyChoices(HostChoices.matching(usable, event.getFocusedOption().getValue()).stream()
                .map(c -> new Command.Choice(c.label(), c.value())).toList()).queue();
    }

    /** {@code /server idle on} and {@code /server idle off} are the idle command; the others are their subcommand. */
    private static String commandName(String group, String subcommand) {
        return group != null ? group : subcommand;
    }

    private static void run(ServerCommand command, Request request, Responder responder) {
        try {
            command.handle(request, responder);
        } catch (RuntimeException e) {
            LOG.error("/server {} failed", command.name(), e);
        }
    }

    private static int parseDelay(String text) {
        try {
            return Math.max(0, Math.min(StopCommand.MAX_DELAY, Integer.parseInt(text)));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private Locale locale(DiscordLocale locale) {
        return Texts.pick(locale == null ? null : locale.getLocale(), defaultLocale);
    }

    private static Set<String> roles(Member member) {
        return member == null ? Set.of() : member.getRoles().stream().map(ISnowflake::getId).collect(Collectors.toSet());
    }

    private static void edit(InteractionHook hook, Card card) {
        hook.editOriginal(JdaCards.edit(card)).queue(null, e -> LOG.warn("Cannot edit the reply: {}", e.getMessage()));
    }

    /** Answers one interaction; slash commands and buttons differ only in how the wait is acknowledged. */
    private static final class InteractionResponder implements Responder {

        private final IReplyCallback event;
        private final Supplier<RestAction<InteractionHook>> acknowledgement;

        InteractionResponder(IReplyCallback event, Supplier<RestAction<InteractionHook>> acknowledgement) {
            this.event = event;
            this.acknowledgement = acknowledgement;
        }

        @Override
        public void deny(String text) {
            event.reply(text).setEphemeral(true).queue();
        }

        @Override
        public void acknowledge() {
            acknowledgement.get().queue();
        }

        @Override
        public void show(Card card) {
            edit(event.getHook(), card);
        }
    }
}
