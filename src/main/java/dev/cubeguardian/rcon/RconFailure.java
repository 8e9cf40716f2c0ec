package dev.cubeguardian.rcon;

/** An RCON exchange that did not work, with the health it shows. The password is never in the message. */
public final class RconFailure extends Exception {

    private final RconHealth health;

    RconFailure(RconHealth health, String message, Throwable cause) {
        super(message, cause, false, false);
        this.health = health;
    }

    public RconHealth health() {
        return health;
    }
}
