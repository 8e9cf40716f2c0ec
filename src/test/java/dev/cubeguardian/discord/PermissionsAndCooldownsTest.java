package dev.cubeguardian.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.config.InvalidSettingException;
import dev.cubeguardian.discord.Permissions.Action;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PermissionsAndCooldownsTest {

    private static Permissions permissions(Map<String, String> env) {
        return DiscordSettings.load(env, false).permissions();
    }

    @Test
    void unsetStatusIsOpenAndTheOthersClosed() {
        Permissions p = permissions(Map.of());
        assertTrue(p.allows(Action.STATUS, "1", Set.of()));
        for (Action a : List.of(Action.START, Action.STOP, Action.CANCEL)) {
            assertFalse(p.allows(a, "1", Set.of("2")), a.name());
        }
    }

    @Test
    void rolesOrUsersAllowAndStopCanBeStricterThanStart() {
        Permissions p = permissions(Map.of("CUBEGUARDIAN_DISCORD_START_ROLES", "10, 11", "CUBEGUARDIAN_DISCORD_STOP_USERS", "99",
                "CUBEGUARDIAN_DISCORD_STATUS_ROLES", "10"));
        assertTrue(p.allows(Action.START, "1", Set.of("5", "11")));
        assertFalse(p.allows(Action.START, "1", Set.of("5")));
        assertFalse(p.allows(Action.STOP, "1", Set.of("10")));
        assertTrue(p.allows(Action.STOP, "99", Set.of()));
        assertFalse(p.allows(Action.STATUS, "1", Set.of()), "a configured status list replaces the open default");
    }

    @Test
    void aStarLetsEveryoneAndBadIdsAreRefused() {
        assertTrue(permissions(Map.of("CUBEGUARDIAN_DISCORD_START_ROLES", "*")).allows(Action.START, "1", Set.of()));
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> permissions(Map.of("CUBEGUARDIAN_DISCORD_STOP_USERS", "bob")));
        assertEquals("CUBEGUARDIAN_DISCORD_STOP_USERS: 'bob' is not a Discord id", e.getMessage());
        assertThrows(InvalidSettingException.class, () -> permissions(Map.of("CUBEGUARDIAN_DISCORD_STOP_USERS", "*")));
    }

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        Instant now = Instant.parse("2026-11-25T16:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aUserWaitsOutTheCooldownOthersDoNot() {
        HandClock clock = new HandClock();
        Cooldowns cooldowns = new Cooldowns(clock, Duration.ofSeconds(10));
        assertEquals(Duration.ZERO, cooldowns.tryAcquire("a"));
        clock.now = clock.now.plusSeconds(4);
        assertEquals(Duration.ofSeconds(6), cooldowns.tryAcquire("a"));
        assertEquals(Duration.ZERO, cooldowns.tryAcquire("b"));
        clock.now = clock.now.plusSeconds(6);
        assertEquals(Duration.ZERO, cooldowns.tryAcquire("a"), "free again at exactly the cooldown");
        assertEquals(Duration.ofSeconds(10), cooldowns.tryAcquire("a"));
    }

    @Test
    void aZeroCooldownNeverWaits() {
        Cooldowns cooldowns = new Cooldowns(new HandClock(), Duration.ZERO);
        assertEquals(Duration.ZERO, cooldowns.tryAcquire("a"));
        assertEquals(Duration.ZERO, cooldowns.tryAcquire("a"));
    }
}
