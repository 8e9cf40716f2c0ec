package dev.cubeguardian.discord;

import dev.cubeguardian.discord.bus.HostInfo;
import java.util.List;
import java.util.Locale;

/**
 * Autocomplete for the {@code host} option: the announced hosts (v1 {@code bridge/info} and every
 * worker's info, each host once) whose id or name matches what was typed.
 */
public final class HostChoices {

    /** Discord shows at most 25 choices. */
    public static final int MAX = 25;

    public record Choice(String label, String value) {
    }

    private HostChoices() {
    }

    public static List<Choice> matching(List<HostInfo> hosts, String typed) {
        String query = typed == null ? "" : typed.trim().toLowerCase(Locale.ROOT);
        return hosts.stream()
                .filter(h -> h.id().contains(query) || h.name().toLowerCase(Locale.ROOT).contains(query))
                .sorted((a, b) -> Boolean.compare(!a.id().startsWith(query), !b.id().startsWith(query)))
                .limit(MAX)
                .map(h -> new Choice(h.name().equals(h.id()) ? h.id() : h.name() + " (" + h.id() + ")", h.id()))
                .toList();
    }
}
