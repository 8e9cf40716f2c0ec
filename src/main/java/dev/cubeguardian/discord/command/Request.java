package dev.cubeguardian.discord.command;

import java.util.Locale;
import java.util.Set;

/**
 * One user's request, whether typed as a slash command or clicked as a button.
 *
 * @param host the host option, or null to use the default host
 * @param delayMinutes only for stop
 * @param force only for stop
 */
public record Request(String userId, Set<String> roleIds, Locale locale, String host, int delayMinutes, boolean force) {

    public Request {
        roleIds = Set.copyOf(roleIds);
    }
}
