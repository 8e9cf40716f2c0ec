package dev.cubeguardian.state;

import dev.cubeguardian.probe.ServiceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the gateway needs to know of a host, read in one go: its state, how its game last
 * looked when it answered, and how long it usually takes to start.
 *
 * @param lastAnswer      the latest status the real server gave (version, maximum, icon); null
 *                        when none was seen since the worker started
 * @param startupEstimate the median of the last start-ups; empty before the first one
 * @param wakeStartedAt   when the wake under way was sent; null when none is
 */
public record GatewayView(HostState state, ServiceStatus lastAnswer, Optional<Duration> startupEstimate,
                          Instant wakeStartedAt) {

    /** Waking or starting: the player should come back later, and no new wake is needed. */
    public boolean starting() {
        return state == HostState.WAKING || state == HostState.STARTING;
    }
}
