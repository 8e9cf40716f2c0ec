package dev.cubeguardian.discord.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cubeguardian.discord.Permissions;
import dev.cubeguardian.discord.ProgressRenderer;
import dev.cubeguardian.discord.Texts;
import dev.cubeguardian.discord.bus.CommandBus;
import dev.cubeguardian.discord.bus.HostInfo;

/**
 * {@code /server stop [delay_minutes] [force]}: shut the host down, now or later. With players
 * online (and no force) the worker refuses; the card then asks whether to stop anyway.
 */
public final class StopCommand extends ServerCommand {

    public static final String OPTION_DELAY = "delay_minutes";
    public static final String OPTION_FORCE = "force";
    public static final int MAX_DELAY = 1440;

    public StopCommand(BotContext context) {
        super(context);
    }

    @Override
    public String name() {
        return "stop";
    }

    @Override
    public Permissions.Action permission() {
        return Permissions.Action.STOP;
    }

    @Override
    protected void execute(Request request, HostInfo host, Texts texts, Responder out, Runnable ranNothing)
            throws InterruptedException {
        ObjectNode payload = payload(CommandBus.newId());
        payload.put("delay_minutes", request.delayMinutes());
        payload.put("force", request.force());
        requestedBy(payload, request.userId());
        follow(host, "shutdown", payload,
                new ProgressRenderer(texts, host, "shutdown", request.userId()).withDelay(request.delayMinutes()), out,
                ranNothing);
    }
}
