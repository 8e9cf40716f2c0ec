package dev.cubeguardian.discord;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** One cooldown per user across the commands that publish something. */
public final class Cooldowns {

    private final Clock clock;
    private final Duration cooldown;
    private final ConcurrentMap<String, Instant> lastUse = new ConcurrentHashMap<>();

    public Cooldowns(Clock clock, Duration cooldown) {
        this.clock = clock;
        this.cooldown = cooldown;
    }

    /**
     * A user's try for a turn.
     *
     * @param remaining {@link Duration#ZERO} when the turn was taken, else how long the user must still wait
     * @param takenAt when the turn was taken, null when it was not
     */
    public record Turn(String userId, Duration remaining, Instant takenAt) {
        public boolean taken() {
            return takenAt != null;
        }
    }

    /** Takes the user's turn if the cooldown has passed. */
    public Turn take(String userId) {
        Instant now = clock.instant();
        Duration[] wait = {Duration.ZERO};
        lastUse.compute(userId, (user, last) -> {
            if (last != null && now.isBefore(last.plus(cooldown))) {
                wait[0] = Duration.between(now, last.plus(cooldown));
                return last;
            }
            return now;
        });
        return wait[0].isZero() ? new Turn(userId, Duration.ZERO, now) : new Turn(userId, wait[0], null);
    }

    /**
     * Gives a taken turn back, for a command that turned out to run nothing: the user's next
     * command need not wait for it. A turn taken since (the cooldown may have passed meanwhile) is kept.
     */
    public void giveBack(Turn turn) {
        if (turn.taken()) {
            lastUse.remove(turn.userId(), turn.takenAt());
        }
    }
}
