package dev.cubeguardian.discord.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cubeguardian.discord.Permissions;
import dev.cubeguardian.discord.ProgressRenderer;
import dev.cubeguardian.discord.Texts;
import dev.cubeguardian.discord.bus.CommandBus;
import dev.cubeguardian.discord.bus.HostInfo;

/** {@code /server start}: wake the host and follow it until its game is online. */
public final class StartCommand extends ServerCommand {

    public StartCommand(BotContext context) {
        super(context);
    }

    @Override
    public String name() {
        return "start";
    }

    @Override
    public Permissions.Action permission() {
        return Permissions.Action.START;
    }

    @Override
    protected void execute(Request request, HostInfo host, Texts texts, Responder out, Runnable ranNothing)
            throws InterruptedException {
        ObjectNode payload = payload(CommandBus.newId());
        requestedBy(payload, request.userId());
        follow(host, "wake", payload, new ProgressRenderer(texts, host, "wake", request.userId()), out, ranNothing);
    }
}
