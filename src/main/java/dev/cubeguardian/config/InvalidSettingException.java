package dev.cubeguardian.config;

/**
 * A setting the worker cannot start with (an environment variable, a key file, a secret file).
 * Like {@link InventoryException}, it is reported as one line and the worker exits.
 */
public class InvalidSettingException extends RuntimeException {

    public InvalidSettingException(String message) {
        super(message);
    }

    public InvalidSettingException(String message, Throwable cause) {
        super(message, cause);
    }
}
