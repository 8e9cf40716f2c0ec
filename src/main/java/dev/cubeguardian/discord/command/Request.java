package dev.cubeguardian.discord.command;

import java.util.Locale;
import java.util.Set;

/**
 * One user's request, whether typed as a slash command or clicked as a button.
 *
 * @param host the host option, or null to use the default host
 * @param delayMinutes only for stop
 * @param force only for stop and restart
 * @param idleOn only for idle: on (true) or off (false)
 * @param idleHours only for idle off: for how many hours, or null until turned on again
 */
public record Request(String userId, Set<String> roleIds, Locale locale, String host, int delayMinutes, boolean force,
        boolean idleOn, Integer idleHours) {

    public Request {
        roleIds = Set.copyOf(roleIds);
    }

    public Request(String userId, Set<String> roleIds, Locale locale, String host, int delayMinutes, boolean force) {
        this(userId, roleIds, locale, host, delayMinutes, force, false, null);
    }
}
