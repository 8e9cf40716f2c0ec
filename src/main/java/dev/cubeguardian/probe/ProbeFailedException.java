package dev.cubeguardian.probe;

/**
 * A probe could not be carried out at all (as opposed to carried out and answered "no"): the
 * address does not resolve or is not an address, or no way of pinging exists on this machine.
 */
public class ProbeFailedException extends Exception {

    public ProbeFailedException(String message) {
        super(message);
    }

    public ProbeFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
