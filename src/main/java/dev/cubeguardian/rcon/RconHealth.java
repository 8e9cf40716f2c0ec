package dev.cubeguardian.rcon;

/** How RCON answered, as {@code service.rcon} in checks and states says it. */
public enum RconHealth {
    OK("ok"), AUTH_FAILED("auth_failed"), UNREACHABLE("unreachable");

    private final String wireName;

    RconHealth(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
