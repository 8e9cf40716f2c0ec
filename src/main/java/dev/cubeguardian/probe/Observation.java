package dev.cubeguardian.probe;

import java.time.Instant;

/**
 * One probe of a host and its game service. {@code service} is null for a host without a
 * {@code minecraft} section; then the host answering is all "online" means.
 */
public record Observation(HostReachability host, ServiceStatus service, Instant at) {

    /** How alive the host looks: 0 nothing answers, 1 the host answers but the game does not, 2 everything answers. */
    public int level() {
        boolean serviceUp = service != null && service.reachable();
        // a game that answers proves the host is up, even where ICMP is filtered
        boolean hostUp = host.reachable() || serviceUp;
        if (!hostUp) {
            return 0;
        }
        return service == null || serviceUp ? 2 : 1;
    }
}
