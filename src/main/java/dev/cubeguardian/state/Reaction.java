package dev.cubeguardian.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a host's tracker wants done after it learned something: events to publish (in order),
 * whether its retained state changed, and whether to send the magic packets again or start an
 * idle shutdown.
 */
public final class Reaction {

    private final List<Map<String, Object>> events = new ArrayList<>();
    private boolean stateChanged;
    private boolean stateMessageChanged;
    private boolean resendWake;
    private boolean idleShutdown;

    Map<String, Object> event(String type) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        events.add(event);
        return event;
    }

    /** The state value stayed, but the retained state message says something new (shutdown_at). */
    void stateMessageChanged() {
        stateMessageChanged = true;
    }

    public boolean isStateMessageChanged() {
        return stateMessageChanged || stateChanged;
    }

    void stateChanged() {
        stateChanged = true;
    }

    void resendWake() {
        resendWake = true;
    }

    void idleShutdown() {
        idleShutdown = true;
    }

    public List<Map<String, Object>> events() {
        return events;
    }

    public boolean isStateChanged() {
        return stateChanged;
    }

    public boolean isResendWake() {
        return resendWake;
    }

    public boolean isIdleShutdown() {
        return idleShutdown;
    }
}
