package dev.cubeguardian.discord.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.discord.Permissions;
import dev.cubeguardian.discord.StatusRenderer;
import dev.cubeguardian.discord.Texts;
import dev.cubeguardian.discord.bus.HostInfo;

/**
 * {@code /server status}: the host's retained state, with Start, Stop and Refresh buttons, and
 * with several workers (v1.1) each one's availability.
 */
public final class StatusCommand extends ServerCommand {

    public StatusCommand(BotContext context) {
        super(context);
    }

    @Override
    public String name() {
        return "status";
    }

    @Override
    public Permissions.Action permission() {
        return Permissions.Action.STATUS;
    }

    @Override
    protected boolean publishes() {
        return false;
    }

    @Override
    protected void execute(Request request, HostInfo host, Texts texts, Responder out, Runnable ranNothing) {
        JsonNode state = context.bus().state(host.id()).orElse(null);
        out.show(StatusRenderer.render(texts, host, state, context.bus().workerOnline(host.id()), context.bus().workers(),
                request.userId()));
    }
}
