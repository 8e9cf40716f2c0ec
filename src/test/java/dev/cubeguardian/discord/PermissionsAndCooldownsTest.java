package dev.cubeguardian.discord;

import dev.cubeguardian.testing.HandClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.config.InvalidSettingException;
import dev.cubeguardian.discord.Permissions.Action;
import java.time.Duration;
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

    private static Duration waitFor(Cooldowns cooldowns, String user) {
        return cooldowns.take(user).remaining();
    }

    @Test
    void aUserWaitsOutTheCooldownOthersDoNot() {
        HandClock clock = new HandClock();
        Cooldowns cooldowns = new Cooldowns(clock, Duration.ofSeconds(10));
        assertEquals(Duration.ZERO, waitFor(cooldowns, "a"));
        clock.advance(Duration.ofSeconds(4));
        assertEquals(Duration.ofSeconds(6), waitFor(cooldowns, "a"));
        assertEquals(Duration.ZERO, waitFor(cooldowns, "b"));
        clock.advance(Duration.ofSeconds(6));
        assertEquals(Duration.ZERO, waitFor(cooldowns, "a"), "free again at exactly the cooldown");
        assertEquals(Duration.ofSeconds(10), waitFor(cooldowns, "a"));
    }

    @Test
    void aZeroCooldownNeverWaits() {
        Cooldowns cooldowns = new Cooldowns(new HandClock(), Duration.ZERO);
        assertEquals(Duration.ZERO, waitFor(cooldowns, "a"));
        assertEquals(Duration.ZERO, waitFor(cooldowns, "a"));
    }

    @Test
    void aTurnGivenBackFreesTheUserAtOnceButNeverATurnTakenSince() {
        HandClock clock = new HandClock();
        Cooldowns cooldowns = new Cooldowns(clock, Duration.ofSeconds(10));
        Cooldowns.Turn first = cooldowns.take("a");
        assertTrue(first.taken());
        Cooldowns.Turn refused = cooldowns.take("a");
        assertFalse(refused.taken());
        cooldowns.giveBack(refused);
        assertEquals(Duration.ofSeconds(10), waitFor(cooldowns, "a"), "a refused try has nothing to give back");
        cooldowns.giveBack(first);
        Cooldowns.Turn second = cooldowns.take("a");
        assertTrue(second.taken(), "the turn given back no longer counts");

        clock.advance(Duration.ofSeconds(10));
        Cooldowns.Turn third = cooldowns.take("a");
        cooldowns.giveBack(second);
        assertEquals(Duration.ofSeconds(10), waitFor(cooldowns, "a"), "an old turn given back late leaves the newer one");
        assertTrue(third.taken());
    }
}
