package dev.cubeguardian.command;

import java.util.Locale;
import java.util.Optional;

/** The command actions of API v1 (and {@code idle}, {@code reboot} of v1.1); the topic level is the lower-case name. */
public enum Action {
    WAKE, SHUTDOWN, CANCEL, CHECK, IDLE, REBOOT;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    public static Optional<Action> fromWireName(String level) {
        for (Action action : values()) {
            if (action.wireName().equals(level)) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }

    /** Default time to live when the command carries no ttl_s: waking late is harmless, shutting down (or restarting) late is not. */
    public int defaultTtlSeconds() {
        return this == WAKE || this == CHECK ? 300 : 60;
    }

    public boolean needsSsh() {
        return this == SHUTDOWN || this == CANCEL || this == REBOOT;
    }
}
