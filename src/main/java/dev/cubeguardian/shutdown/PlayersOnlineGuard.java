package dev.cubeguardian.shutdown;

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
import org.apache.camel.Exchange;

/**
 * Refuses a shutdown while players are online, unless the command says {@code force}. Players
 * are counted by a probe made now, never taken from an older state.
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
            // the game's name does not resolve: there is no server to have players on
            return;
        }
        int online = status.playersOnline() == null ? 0 : status.playersOnline();
        if (status.reachable() && online > 0) {
            throw new CommandRefusedException(Outcome.of(ResultCode.PLAYERS_ONLINE,
                    Outcome.details("players_online", online, "players", status.players()),
                    online, host.displayName()));
        }
    }
}
