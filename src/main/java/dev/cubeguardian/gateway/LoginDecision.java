package dev.cubeguardian.gateway;

import dev.cubeguardian.config.GatewaySettings;
import dev.cubeguardian.config.GatewaySettings.WakeOn;
import dev.cubeguardian.state.GatewayView;
import dev.cubeguardian.state.HostState;
import java.time.Clock;
import java.time.Duration;

/**
 * What happens to a player who logs in while the real server is not online: the outcome of the
 * {@code gateway_login} event, whether a wake goes out, and what the player is told.
 */
final class LoginDecision {

    /** Before the host's first start-up was seen, a guess: a small server boots in about this long. */
    static final Duration FIRST_STARTUP_GUESS = Duration.ofSeconds(90);

    /**
     * @param outcome  the event's outcome: wake_requested, starting, not_allowed or cooldown
     * @param reason   why not allowed when it is not the allow list (wake_on_never, stopping); else null
     * @param wake     whether this login sends the wake
     * @param kickKey  the text the player is disconnected with (gateway_messages)
     * @param comeBack when to come back, for the texts that say it; null for the others
     */
    record Answer(String outcome, String reason, boolean wake, String kickKey, Duration comeBack) {
    }

    private final GatewaySettings settings;
    private final WakeCooldown cooldown;
    private final Clock clock;

    LoginDecision(GatewaySettings settings, WakeCooldown cooldown, Clock clock) {
        this.settings = settings;
        this.cooldown = cooldown;
        this.clock = clock;
    }

    /** {@code shownState}: the host's state, or unreachable when it says online but could not be reached. */
    Answer decide(GatewayView view, HostState shownState, String player) {
        Duration startup = view.startupEstimate().orElse(FIRST_STARTUP_GUESS);
        if (shownState == HostState.STOPPING) {
            return new Answer("not_allowed", "stopping", false, "kick.stopping", null);
        }
        if (shownState == HostState.WAKING || shownState == HostState.STARTING) {
            Duration elapsed = view.wakeStartedAt() == null ? Duration.ZERO
                    : Duration.between(view.wakeStartedAt(), clock.instant());
            return new Answer("starting", null, false, "kick.starting", remaining(startup, elapsed));
        }
        if (!settings.allows(player)) {
            return new Answer("not_allowed", null, false, "kick.not_allowed", null);
        }
        if (settings.wakeOn() == WakeOn.NEVER) {
            return new Answer("not_allowed", "wake_on_never", false, "kick.wake_on_never", null);
        }
        if (!cooldown.tryClaim()) {
            Duration since = cooldown.sinceLastWake();
            return new Answer("cooldown", null, false, "kick.cooldown", remaining(startup, since == null ? Duration.ZERO : since));
        }
        return new Answer("wake_requested", null, true, "kick.wake_requested", startup);
    }

    private static Duration remaining(Duration startup, Duration elapsed) {
        Duration left = startup.minus(elapsed);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
