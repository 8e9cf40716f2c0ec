package dev.cubeguardian.state;

import java.util.Locale;

/** The states of API v1's {@code <base>/<host>/state}; the wire name is the lower-case name. */
public enum HostState {
    OFF, WAKING, STARTING, ONLINE, STOPPING, UNREACHABLE, UNKNOWN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
