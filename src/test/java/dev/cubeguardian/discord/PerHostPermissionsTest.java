package dev.cubeguardian.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.config.InvalidSettingException;
import dev.cubeguardian.discord.Permissions.Action;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The per-host keys ({@code <action>.host-roles}, {@code <action>.host-users}): what they grant, and what they refuse at start. */
class PerHostPermissionsTest {

    private static Permissions permissions(Map<String, String> env) {
        return DiscordSettings.load(env, false).permissions();
    }

    private static String refusal(String variable, String value) {
        return assertThrows(InvalidSettingException.class, () -> permissions(Map.of(variable, value))).getMessage();
    }

    @Test
    void aRoleForOneHostGrantsThatHostOnlyAndAddsToTheAllHostsLists() {
        Permissions p = permissions(Map.of(
                "CUBEGUARDIAN_DISCORD_RESTART_HOST_ROLES", "modded:111; vanilla:*",
                "CUBEGUARDIAN_DISCORD_STOP_USERS", "42",
                "CUBEGUARDIAN_DISCORD_STOP_HOST_USERS", "nas:77"));
        assertTrue(p.allows(Action.RESTART, "modded", "1", Set.of("111")));
        assertFalse(p.allows(Action.RESTART, "vanilla-2", "1", Set.of("111")), "another host, even with a similar name");
        assertFalse(p.allows(Action.RESTART, "nas", "1", Set.of("111")));
        assertTrue(p.allows(Action.RESTART, "vanilla", "1", Set.of()), "* on one host is everyone on that host");
        assertFalse(p.allows(Action.RESTART, "1", Set.of("111")), "no all-hosts grant");
        assertTrue(p.allowsSomewhere(Action.RESTART, "1", Set.of("111")));
        assertTrue(p.allows(Action.STOP, "pve", "42", Set.of()), "the all-hosts list still holds everywhere");
        assertTrue(p.allows(Action.STOP, "nas", "77", Set.of()));
        assertFalse(p.allows(Action.STOP, "pve", "77", Set.of()));
    }

    @Test
    void aPerHostStatusListEndsTheOpenDefaultOfStatus() {
        Permissions p = permissions(Map.of("CUBEGUARDIAN_DISCORD_STATUS_HOST_ROLES", "pve:5"));
        assertFalse(p.allows(Action.STATUS, "nas", "1", Set.of()));
        assertTrue(p.allows(Action.STATUS, "pve", "1", Set.of("5")));
    }

    @Test
    void malformedPerHostEntriesStopTheBotNamingTheVariable() {
        assertEquals("CUBEGUARDIAN_DISCORD_RESTART_HOST_ROLES: 'modded' is not host:ids (for example pve:112233445566778899)",
                refusal("CUBEGUARDIAN_DISCORD_RESTART_HOST_ROLES", "modded"));
        assertEquals("CUBEGUARDIAN_DISCORD_START_HOST_USERS: 'Big Server' is not a host id (a-z, 0-9, _ and -, at most 63 characters)",
                refusal("CUBEGUARDIAN_DISCORD_START_HOST_USERS", "Big Server:1"));
        assertEquals("CUBEGUARDIAN_DISCORD_IDLE_HOST_ROLES: host 'pve' is listed twice",
                refusal("CUBEGUARDIAN_DISCORD_IDLE_HOST_ROLES", "pve:1; pve:2"));
        assertTrue(refusal("CUBEGUARDIAN_DISCORD_STOP_HOST_USERS", "pve:bob").contains("'bob' is not a Discord id"));
        assertTrue(refusal("CUBEGUARDIAN_DISCORD_STOP_HOST_USERS", "pve:*").contains("CUBEGUARDIAN_DISCORD_STOP_HOST_USERS"),
                "* is for roles only");
    }
}
