package dev.cubeguardian.state;

import java.time.Duration;

/**
 * How hosts are watched: probe intervals while something is changing and while it is steady,
 * how many probes in a row must agree before a host is believed to have gone down, how often
 * the retained state is republished, and when an unanswered wake is sent again.
 */
public record LifecycleSettings(
        Duration fastInterval,
        Duration steadyInterval,
        int downConfirmations,
        Duration stateRefresh,
        Duration wakeResendAfter,
        int probeThreads) {
}
