package dev.cubeguardian.discord.bus;

import java.time.Instant;
import java.util.List;

/**
 * One host from the retained {@code bridge/info}.
 *
 * @param gameStop the host stops its game over RCON before shutting down (v1.1 {@code rcon} in bridge/info):
 *                 a delayed shutdown counts down in the game, and the card follows it
 * @param nextSchedule the next time of each of its schedule entries (v1.1 {@code next_schedule}); empty without a schedule
 */
public record HostInfo(String id, String name, List<String> capabilities, String service, boolean gameStop,
        List<Scheduled> nextSchedule) {

    /** One schedule entry's next firing; {@code at} is null when it never comes. */
    public record Scheduled(String action, Instant at) {
    }

    public HostInfo {
        nextSchedule = nextSchedule == null ? List.of() : List.copyOf(nextSchedule);
    }

    public HostInfo(String id, String name, List<String> capabilities, String service, boolean gameStop) {
        this(id, name, capabilities, service, gameStop, List.of());
    }

    public HostInfo(String id, String name, List<String> capabilities, String service) {
        this(id, name, capabilities, service, false);
    }

    public boolean can(String action) {
        return capabilities.contains(action);
    }

    /** The soonest next time of its entries with this action; null when none comes. */
    public Instant nextScheduled(String action) {
        return nextSchedule.stream().filter(s -> s.action().equals(action) && s.at() != null).map(Scheduled::at)
                .min(Instant::compareTo).orElse(null);
    }
}
