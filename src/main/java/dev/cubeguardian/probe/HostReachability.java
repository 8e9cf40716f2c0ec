package dev.cubeguardian.probe;

import java.util.Objects;

/**
 * Whether a host answered a probe.
 *
 * @param reachable whether the host answered
 * @param method    "icmp" or "tcp": how it was asked (icmp also when the ping binary was
 *                  missing and the JDK's own reachability check stood in for it)
 * @param latencyMs round trip in milliseconds rounded to 0.1 ms; null when unreachable
 */
public record HostReachability(boolean reachable, String method, Double latencyMs) {

    public static final String ICMP = "icmp";
    public static final String TCP = "tcp";

    public HostReachability {
        Objects.requireNonNull(method, "method");
        if (!reachable && latencyMs != null) {
            throw new IllegalArgumentException("an unreachable host has no latency");
        }
    }

    public static HostReachability reachable(String method, double latencyMs) {
        return new HostReachability(true, method, roundToTenth(latencyMs));
    }

    public static HostReachability unreachable(String method) {
        return new HostReachability(false, method, null);
    }

    static double nanosToMillis(long nanos) {
        return nanos / 1_000_000.0;
    }

    // Sub-0.1 ms digits are noise at the scale of a homelab LAN and only make dashboards jitter.
    static double roundToTenth(double millis) {
        return Math.round(millis * 10.0) / 10.0;
    }
}
