package dev.cubeguardian.command;

/**
 * Ends a command early with a known outcome (players online, SSH failures, ...). The error
 * route turns it into the command's result; anything else thrown becomes INTERNAL_ERROR.
 */
public class CommandRefusedException extends RuntimeException {

    private final transient Outcome outcome;

    public CommandRefusedException(Outcome outcome) {
        super(outcome.code().name(), null, false, false);
        this.outcome = outcome;
    }

    public Outcome outcome() {
        return outcome;
    }
}
