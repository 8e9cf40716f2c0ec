package dev.cubeguardian.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Ids per cooldown window (the gateway's wake): never one id for two wakes the cooldown let through. */
class DerivedIdsWindowTest {

    private static final Instant AT = Instant.parse("2026-12-03T10:15:20.250Z");

    @Test
    void aCooldownOfAMinuteOrMoreKeepsTheMinutesId() {
        assertEquals("gw-lobby-202612031015", DerivedIds.ofWindow("gw", "lobby", AT, Duration.ofMinutes(1)));
        assertEquals(DerivedIds.of("gw", "lobby", null, AT), DerivedIds.ofWindow("gw", "lobby", AT, Duration.ofMinutes(5)));
    }

    @Test
    void twoWakesACooldownUnderAMinuteApartInOneMinuteGetTwoIds() {
        Duration cooldown = Duration.ofSeconds(10);
        String first = DerivedIds.ofWindow("gw", "lobby", AT, cooldown);
        assertEquals("gw-lobby-202612031015-2", first);
        assertNotEquals(first, DerivedIds.ofWindow("gw", "lobby", AT.plus(cooldown), cooldown));
        // two members of a share group asking within one window ask for one wake
        assertEquals(first, DerivedIds.ofWindow("gw", "lobby", AT.plusSeconds(5), cooldown));
    }

    @Test
    void everyPairOfInstantsACooldownApartGetsTwoIds() {
        for (long cooldownMs : new long[] {0, 1, 7, 999, 1500, 10_000, 59_999}) {
            Duration cooldown = Duration.ofMillis(cooldownMs);
            for (long t = 0; t < 180_000; t += 137) {
                Instant a = AT.plusMillis(t);
                Instant b = a.plusMillis(Math.max(1, cooldownMs));
                assertNotEquals(DerivedIds.ofWindow("gw", "h", a, cooldown), DerivedIds.ofWindow("gw", "h", b, cooldown),
                        cooldownMs + " ms at +" + t);
            }
        }
    }

    @Test
    void aLongHostIdStillGivesAtMost64Characters() {
        String id = DerivedIds.ofWindow("gw", "h".repeat(80), AT, Duration.ofMillis(1));
        assertTrue(id.length() <= DerivedIds.MAX_ID, id);
    }
}
