package dev.cubeguardian.shutdown;

import dev.cubeguardian.command.Action;
import dev.cubeguardian.command.Command;
import dev.cubeguardian.command.CommandExchange;
import dev.cubeguardian.command.CommandRefusedException;
import dev.cubeguardian.command.Outcome;
import dev.cubeguardian.command.ResultCode;
import dev.cubeguardian.config.HostConfig;
import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.config.MinecraftSettings;
import dev.cubeguardian.probe.MinecraftPinger;
import dev.cubeguardian.probe.ProbeFailedException;
import dev.cubeguardian.probe.ServiceStatus;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * Refuses a shutdown (or a reboot, v1.1) while players are online, unless the command says {@code force}. Players
 * are counted by a probe made now, never taken from an older state. The guard fails closed: when
 * the count cannot be read (the server does not answer, answers without a player count, or its
 * name does not resolve) nobody can say the world is empty, so it is {@code PLAYERS_UNKNOWN}.
 */
public final class PlayersOnlineGuard {

    private final Inventory inventory;
    private final MinecraftPinger pinger;

    public PlayersOnlineGuard(Inventory inventory, MinecraftPinger pinger) {
        this.inventory = inventory;
        this.pinger = pinger;
    }

    public void check(Exchange exchange) {
        Command command = CommandExchange.command(exchange);
        HostConfig host = inventory.host(command.host()).orElseThrow();
        if (command.force() || host.minecraft().isEmpty()) {
            return;
        }
        MinecraftSettings minecraft = host.minecraft().get();
        ServiceStatus status;
        try {
            status = pinger.ping(minecraft.address(), minecraft.port(), minecraft.timeout());
        } catch (ProbeFailedException cannotCount) {
            throw playersUnknown(host, command, "probe_failed");
        }
        if (!status.reachable()) {
            throw playersUnknown(host, command, "unreachable");
        }
        if (status.playersOnline() == null) {
            // a legacy ping or a bare TCP answer: the server is there, its players are not known
            throw playersUnknown(host, command, "no_player_count");
        }
        int online = status.playersOnline();
        if (online > 0) {
            Map<String, Object> details = Outcome.details("players_online", online, "players", status.players());
            throw new CommandRefusedException(reboot(command)
                    ? Outcome.variant(ResultCode.PLAYERS_ONLINE, "reboot", details, online, host.displayName())
                    : Outcome.of(ResultCode.PLAYERS_ONLINE, details, online, host.displayName()));
        }
    }

    /** The same refusal for a reboot, with a text that says "restart" (the details are the same). */
    private static CommandRefusedException playersUnknown(HostConfig host, Command command, String reason) {
        String variant = reboot(command) ? "reboot_" + reason : reason;
        return new CommandRefusedException(Outcome.variant(ResultCode.PLAYERS_UNKNOWN, variant,
                Outcome.details("reason", reason), host.displayName()));
    }

    private static boolean reboot(Command command) {
        return command.action() == Action.REBOOT;
    }
}
