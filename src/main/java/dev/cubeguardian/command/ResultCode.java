package dev.cubeguardian.command;

/** The stable result codes of API v1. Clients match on these; never rename one. */
public enum ResultCode {
    WOL_SENT(true),
    SHUTDOWN_SCHEDULED(true),
    SHUTDOWN_SENT(true),
    SHUTDOWN_CANCELLED(true),
    CHECKED(true),
    /** v1.1: an idle command changed (or confirmed) the host's idle shutdown setting. */
    IDLE_UPDATED(true),
    /** v1.1: the host's reboot command ran; the host is then followed until it is online again. */
    REBOOT_SENT(true),
    INVALID_COMMAND(false),
    UNKNOWN_HOST(false),
    UNKNOWN_ACTION(false),
    COMMAND_EXPIRED(false),
    PLAYERS_ONLINE(false),
    /** v1.1: a shutdown without force while the player count cannot be read. */
    PLAYERS_UNKNOWN(false),
    BUSY(false),
    SSH_AUTH_FAILED(false),
    SSH_HOST_KEY_REJECTED(false),
    SSH_UNREACHABLE(false),
    SSH_TIMEOUT(false),
    SSH_COMMAND_FAILED(false),
    WOL_FAILED(false),
    PROBE_FAILED(false),
    INTERNAL_ERROR(false);

    private final boolean success;

    ResultCode(boolean success) {
        this.success = success;
    }

    public boolean success() {
        return success;
    }
}
