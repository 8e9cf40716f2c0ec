package dev.cubeguardian.discord.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cubeguardian.discord.Permissions;
import dev.cubeguardian.discord.ProgressRenderer;
import dev.cubeguardian.discord.Texts;
import dev.cubeguardian.discord.bus.CommandBus;
import dev.cubeguardian.discord.bus.HostInfo;

/**
 * {@code /server restart [force]}: reboot the host and follow it until it is online again. With
 * players online (and no force) the worker refuses; the card then asks whether to restart anyway,
 * as for a stop. Offered only on hosts whose bridge/info announces {@code reboot}.
 */
public final class RestartCommand extends ServerCommand {

    public static final String OPTION_FORCE = "force";

    public RestartCommand(BotContext context) {
        super(context);
    }

    @Override
    public String name() {
        return "restart";
    }

    @Override
    public Permissions.Action permission() {
        return Permissions.Action.RESTART;
    }

    @Override
    public String capability() {
        return "reboot";
    }

    @Override
    protected void execute(Request request, HostInfo host, Texts texts, Responder out, Runnable ranNothing)
            throws InterruptedException {
        ObjectNode payload = payload(CommandBus.newId());
        payload.put("force", request.force());
        requestedBy(payload, request.userId());
        follow(host, "reboot", payload, new ProgressRenderer(texts, host, "reboot", request.userId()), out, ranNothing);
    }
}
