package dev.cubeguardian.shutdown;

import dev.cubeguardian.command.Command;
import dev.cubeguardian.command.CommandExchange;
import dev.cubeguardian.command.CommandRefusedException;
import dev.cubeguardian.command.Outcome;
import dev.cubeguardian.command.ResultCode;
import dev.cubeguardian.command.ResultFactory;
import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.ssh.SshOutput;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.Exchange;

/** Reads what the remote shutdown, cancel or reboot command left and says how it went. */
public final class ShutdownResults {

    private final Inventory inventory;
    private final Clock clock;

    public ShutdownResults(Inventory inventory, Clock clock) {
        this.inventory = inventory;
        this.clock = clock;
    }

    public Outcome shutdown(Exchange exchange) {
        Command command = CommandExchange.command(exchange);
        SshOutput output = exchange.getMessage().getBody(SshOutput.class);
        String remote = exchange.getProperty(ShutdownCommandBuilder.REMOTE_COMMAND, String.class);
        // "shutdown now" often takes the SSH server down before it can send an exit status
        boolean now = command.delayMinutes() == 0;
        requireSuccess(command, output, remote, now);
        Map<String, Object> details = details(remote, output);
        details.put("delay_minutes", command.delayMinutes());
        if (now) {
            return Outcome.of(ResultCode.SHUTDOWN_SENT, details, name(command));
        }
        details.put("scheduled_for", ResultFactory.TIMESTAMP.format(
                clock.instant().plusSeconds(60L * command.delayMinutes())));
        return Outcome.of(ResultCode.SHUTDOWN_SCHEDULED, details, name(command), command.delayMinutes());
    }

    public Outcome cancel(Exchange exchange) {
        Command command = CommandExchange.command(exchange);
        SshOutput output = exchange.getMessage().getBody(SshOutput.class);
        String remote = exchange.getProperty(ShutdownCommandBuilder.REMOTE_COMMAND, String.class);
        requireSuccess(command, output, remote, false);
        return Outcome.of(ResultCode.SHUTDOWN_CANCELLED, details(remote, output), name(command));
    }

    /** A reboot, like a shutdown now, may take the SSH server down before it sends an exit status. */
    public Outcome reboot(Exchange exchange) {
        Command command = CommandExchange.command(exchange);
        SshOutput output = exchange.getMessage().getBody(SshOutput.class);
        String remote = exchange.getProperty(ShutdownCommandBuilder.REMOTE_COMMAND, String.class);
        requireSuccess(command, output, remote, true);
        return Outcome.of(ResultCode.REBOOT_SENT, details(remote, output), name(command));
    }

    private void requireSuccess(Command command, SshOutput output, String remote, boolean nullExitIsSuccess) {
        Integer exit = output.exitStatus();
        boolean ok = exit == null ? nullExitIsSuccess : exit == 0;
        if (!ok) {
            throw new CommandRefusedException(Outcome.of(ResultCode.SSH_COMMAND_FAILED, details(remote, output),
                    name(command), exit == null ? "none" : exit));
        }
    }

    private static Map<String, Object> details(String remote, SshOutput output) {
        return Outcome.details("command", remote, "exit_status", output.exitStatus(),
                "stdout", output.stdout(), "stderr", output.stderr());
    }

    private String name(Command command) {
        return inventory.host(command.host()).map(h -> h.displayName()).orElse(command.host());
    }
}
