package dev.cubeguardian.shutdown;

import dev.cubeguardian.command.Command;
import dev.cubeguardian.command.CommandExchange;
import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.config.SshSettings;
import org.apache.camel.Exchange;

/**
 * Makes the remote command from the host's own templates. The only value that ever enters it
 * is the delay, an integer the parser has already range-checked: no text from a client does.
 * The reboot command (v1.1) is taken as the inventory has it, with nothing filled in.
 */
public final class ShutdownCommandBuilder {

    /** The remote command, kept for the result's details after the body becomes the SSH output. */
    public static final String REMOTE_COMMAND = "CubeGuardianRemoteCommand";

    private final Inventory inventory;

    public ShutdownCommandBuilder(Inventory inventory) {
        this.inventory = inventory;
    }

    public void shutdown(Exchange exchange) {
        Command command = CommandExchange.command(exchange);
        use(exchange, shutdownCommand(ssh(command), command.delayMinutes() + backstopMinutes(command)));
    }

    /**
     * With a graceful game stop, a delayed shutdown of the host itself is scheduled this much
     * later than asked: the worker stops the game and shuts the host down at the asked time, and
     * the host's own schedule only acts if the worker could not (it was restarted, say).
     */
    private int backstopMinutes(Command command) {
        if (command.delayMinutes() == 0) {
            return 0;
        }
        return inventory.host(command.host()).flatMap(h -> h.minecraft()).flatMap(m -> m.rcon())
                .filter(rcon -> rcon.stopGame())
                .map(rcon -> (int) ((rcon.stopTimeout().toSeconds() + 59) / 60))
                .orElse(0);
    }

    public void cancel(Exchange exchange) {
        use(exchange, ssh(CommandExchange.command(exchange)).cancelCommand());
    }

    public void reboot(Exchange exchange) {
        use(exchange, ssh(CommandExchange.command(exchange)).rebootCommand());
    }

    private static void use(Exchange exchange, String remoteCommand) {
        exchange.setProperty(REMOTE_COMMAND, remoteCommand);
        exchange.getMessage().setBody(remoteCommand);
    }

    static String shutdownCommand(SshSettings ssh, int delayMinutes) {
        if (delayMinutes == 0) {
            return ssh.shutdownNowCommand();
        }
        return ssh.shutdownCommand().replace(SshSettings.DELAY_PLACEHOLDER, Integer.toString(delayMinutes));
    }

    private SshSettings ssh(Command command) {
        return inventory.host(command.host()).flatMap(h -> h.ssh()).orElseThrow();
    }
}
