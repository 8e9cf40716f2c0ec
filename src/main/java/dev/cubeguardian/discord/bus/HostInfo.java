package dev.cubeguardian.discord.bus;

import java.util.List;

/**
 * One host from the retained {@code bridge/info}.
 *
 * @param gameStop the host stops its game over RCON before shutting down (v1.1 {@code rcon} in bridge/info):
 *                 a delayed shutdown counts down in the game, and the card follows it
 */
public record HostInfo(String id, String name, List<String> capabilities, String service, boolean gameStop) {

    public HostInfo(String id, String name, List<String> capabilities, String service) {
        this(id, name, capabilities, service, false);
    }

    public boolean can(String action) {
        return capabilities.contains(action);
    }
}
