package dev.cubeguardian.discord;

import dev.cubeguardian.discord.bus.CommandBus;
import dev.cubeguardian.discord.command.BotContext;
import dev.cubeguardian.discord.command.Commands;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Everything of the bot except the gateway connection: commands, listener, executor. */
public final class DiscordBot implements AutoCloseable {

    private final ExecutorService executor;
    private final Commands commands;
    private final DiscordListener listener;

    public DiscordBot(DiscordSettings settings, CommandBus bus, Clock clock) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread thread = new Thread(r, "discord-work-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        executor = Executors.newCachedThreadPool(threads);
        commands = new Commands(BotContext.of(settings, bus, new Cooldowns(clock, settings.cooldown())));
        listener = new DiscordListener(commands, bus, settings.defaultLocale(), executor);
    }

    public Commands commands() {
        return commands;
    }

    public DiscordListener listener() {
        return listener;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
