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
     * Takes the user's turn if the cooldown has passed.
     *
     * @return {@link Duration#ZERO} when the turn was taken, else how long the user must still wait
     */
    public Duration tryAcquire(String userId) {
        Instant now = clock.instant();
        Duration[] wait = {Duration.ZERO};
        lastUse.compute(userId, (user, last) -> {
            if (last != null && now.isBefore(last.plus(cooldown))) {
                wait[0] = Duration.between(now, last.plus(cooldown));
                return last;
            }
            return now;
        });
        return wait[0];
    }
}
