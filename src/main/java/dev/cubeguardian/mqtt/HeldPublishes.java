package dev.cubeguardian.mqtt;

import java.util.ArrayList;
import java.util.List;

/**
 * A per-thread hold on outgoing messages: what a thread publishes inside {@link #publishAfter}
 * is sent, in order, only once the work is over. A round of checks is answered this way: its
 * answers reach the disk in one commit at the end of the work, and none may be seen by a client
 * before that commit (a kill -9 in between would otherwise run an answered id again).
 */
final class HeldPublishes {

    /** What this thread published while held; null when nothing holds it. */
    private static final ThreadLocal<List<Runnable>> HELD = new ThreadLocal<>();

    private HeldPublishes() {
    }

    /**
     * Runs {@code work}, then sends what it published from this thread, in order, also when the
     * work fails (what it answered before failing is on its way out either way). Nested calls
     * join the outer hold.
     */
    static void publishAfter(Runnable work) {
        if (HELD.get() != null) {
            work.run();
            return;
        }
        List<Runnable> held = new ArrayList<>();
        HELD.set(held);
        try {
            work.run();
        } finally {
            HELD.remove();
            held.forEach(Runnable::run);
        }
    }

    /** Keeps {@code send} for later when this thread is held, and says so; false: send it now. */
    static boolean hold(Runnable send) {
        List<Runnable> held = HELD.get();
        if (held == null) {
            return false;
        }
        held.add(send);
        return true;
    }
}
