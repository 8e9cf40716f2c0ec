package dev.cubeguardian.command;

import org.apache.camel.Exchange;

/** Where a command travels on its exchange while the action routes work on the body. */
public final class CommandExchange {

    public static final String COMMAND = "CubeGuardianCommand";
    public static final String REPLY = "CubeGuardianReply";
    /** The result as published, for the steps that follow up on it. */
    public static final String RESULT = "CubeGuardianResult";
    /** Header read by {@code toD: direct:cmd-${header.CubeGuardianAction}}. */
    public static final String ACTION_HEADER = "CubeGuardianAction";
    /** The host id, for steps that also run outside a command (magic packets sent again). */
    public static final String HOST_HEADER = "CubeGuardianHost";
    /** The probe a round of checks shares ({@link CheckRounds}), given to each check of the round. */
    public static final String SHARED_PROBE = "CubeGuardianSharedProbe";
    /** True on one check of each round: the host's monitor learns from the round's probe once. */
    public static final String SHARED_PROBE_FIRST = "CubeGuardianSharedProbeFirst";

    private CommandExchange() {
    }

    public static Command command(Exchange exchange) {
        return exchange.getProperty(COMMAND, Command.class);
    }

    public static ReplyAddress reply(Exchange exchange) {
        return exchange.getProperty(REPLY, ReplyAddress.class);
    }
}
