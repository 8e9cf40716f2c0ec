package dev.cubeguardian.discord.bus;

import java.util.List;

/** One host from the retained {@code bridge/info}. */
public record HostInfo(String id, String name, List<String> capabilities, String service) {

    public boolean can(String action) {
        return capabilities.contains(action);
    }
}
