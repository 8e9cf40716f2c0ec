package dev.cubeguardian.discord.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cubeguardian.discord.Permissions;
import dev.cubeguardian.discord.ProgressRenderer;
import dev.cubeguardian.discord.Texts;
import dev.cubeguardian.discord.bus.CommandBus;
import dev.cubeguardian.discord.bus.HostInfo;

/**
 * {@code /server idle on} and {@code /server idle off [hours]}: switch the host's idle shutdown
 * ("keep the server up tonight"). Offered only on hosts whose bridge/info announces {@code idle}.
 */
public final class IdleCommand extends ServerCommand {

    public static final String ON = "on";
    public static final String OFF = "off";
    public static final String OPTION_HOURS = "hours";
    /** The worker takes at most 10080 minutes (mqtt-api.md, cmd/idle): a week. */
    public static final int MAX_HOURS = 168;

    public IdleCommand(BotContext context) {
        super(context);
    }

    @Override
    public String name() {
        return "idle";
    }

    @Override
    public Permissions.Action permission() {
        return Permissions.Action.IDLE;
    }

    @Override
    public String capability() {
        return "idle";
    }

    @Override
    protected void execute(Request request, HostInfo host, Texts texts, Responder out, Runnable ranNothing)
            throws InterruptedException {
        ObjectNode payload = payload(CommandBus.newId());
        payload.put("enabled", request.idleOn());
        if (!request.idleOn() && request.idleHours() != null) {
            payload.put("for_minutes", request.idleHours() * 60);
        }
        requestedBy(payload, request.userId());
        follow(host, "idle", payload, new ProgressRenderer(texts, host, "idle", request.userId()), out, ranNothing);
    }

    /** Discord enforces the range while typing; checked again here, before anything is sent. */
    @Override
    protected String problem(Request request, Texts texts) {
        Integer hours = request.idleHours();
        if (hours == null) {
            return null;
        }
        if (request.idleOn()) {
            return texts.get("deny.idle_hours_on");
        }
        return hours >= 1 && hours <= MAX_HOURS ? null : texts.get("deny.idle_hours", MAX_HOURS, hours);
    }
}
