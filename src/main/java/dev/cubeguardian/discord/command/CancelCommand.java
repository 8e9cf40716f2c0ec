package dev.cubeguardian.discord.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cubeguardian.discord.Permissions;
import dev.cubeguardian.discord.ProgressRenderer;
import dev.cubeguardian.discord.Texts;
import dev.cubeguardian.discord.bus.CommandBus;
import dev.cubeguardian.discord.bus.HostInfo;

/** {@code /server cancel}: call off a scheduled shutdown. */
public final class CancelCommand extends ServerCommand {

    public CancelCommand(BotContext context) {
        super(context);
    }

    @Override
    public String name() {
        return "cancel";
    }

    @Override
    public Permissions.Action permission() {
        return Permissions.Action.CANCEL;
    }

    @Override
    protected void execute(Request request, HostInfo host, Texts texts, Responder out, Runnable ranNothing)
            throws InterruptedException {
        ObjectNode payload = payload(CommandBus.newId());
        requestedBy(payload, request.userId());
        follow(host, "cancel", payload, new ProgressRenderer(texts, host, "cancel", request.userId()), out, ranNothing);
    }
}
