package dev.cubeguardian.command;

import dev.cubeguardian.testing.HandClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandLedgerTest {

    /** A clock the test moves by hand. */

    private static final Instant START = Instant.parse("2026-11-25T16:07:00.123Z");

    private final HandClock clock = new HandClock(START);

    private static CommandResult result(String id) {
        return new CommandResult(1, id, "pve", "wake", true, "WOL_SENT", "Magic packet sent to AA:BB:CC:DD:EE:FF",
                "2026-11-25T16:07:00.123Z", 3, Map.of(), null, null);
    }

    @Test
    void findReturnsTheRecordedResult() {
        // Given
        CommandLedger ledger = new CommandLedger(clock, 100);
        CommandResult first = result("c-42");

        // When
        ledger.record("pve", "wake", "c-42", first);

        // Then
        assertEquals(first, ledger.find("pve", "wake", "c-42").orElseThrow());
        assertEquals(1, ledger.size());
    }

    @Test
    void nothingIsFoundInAnEmptyLedger() {
        assertEquals(Optional.empty(), new CommandLedger(clock, 100).find("pve", "wake", "c-42"));
    }

    @Test
    void sameIdForAnotherActionHostOrWithOtherCaseIsNotADuplicate() {
        // Given
        CommandLedger ledger = new CommandLedger(clock, 100);
        ledger.record("pve", "wake", "c-42", result("c-42"));

        // Then
        assertEquals(Optional.empty(), ledger.find("pve", "shutdown", "c-42"));
        assertEquals(Optional.empty(), ledger.find("nas", "wake", "c-42"));
        assertEquals(Optional.empty(), ledger.find("pve", "wake", "C-42"));
        assertEquals(Optional.empty(), ledger.find("pve", "wake", "c-43"));
    }

    @Test
    void keysDoNotCollideWhenLevelsAreConcatenated() {
        // Given: host "a" + action "bc" must not be the same key as host "ab" + action "c"
        CommandLedger ledger = new CommandLedger(clock, 100);
        ledger.record("a", "bc", "x", result("x"));

        // Then
        assertEquals(Optional.empty(), ledger.find("ab", "c", "x"));
        assertEquals(Optional.empty(), ledger.find("a", "b", "cx"));
    }

    @Test
    void resultIsKeptForTenMinutesInclusive() {
        // Given
        CommandLedger ledger = new CommandLedger(clock, 100);
        ledger.record("pve", "wake", "c-42", result("c-42"));

        // When
        clock.advance(Duration.ofMinutes(10));

        // Then
        assertTrue(ledger.find("pve", "wake", "c-42").isPresent());
    }

    @Test
    void resultIsForgottenJustAfterTenMinutes() {
        // Given
        CommandLedger ledger = new CommandLedger(clock, 100);
        ledger.record("pve", "wake", "c-42", result("c-42"));

        // When
        clock.advance(Duration.ofMinutes(10).plusMillis(1));

        // Then
        assertEquals(Optional.empty(), ledger.find("pve", "wake", "c-42"));
        assertEquals(0, ledger.size());
    }

    @Test
    void onlyExpiredEntriesArePurged() {
        // Given
        CommandLedger ledger = new CommandLedger(clock, 100);
        ledger.record("pve", "wake", "old", result("old"));
        clock.advance(Duration.ofMinutes(6));
        ledger.record("pve", "wake", "new", result("new"));

        // When
        clock.advance(Duration.ofMinutes(5));

        // Then
        assertEquals(Optional.empty(), ledger.find("pve", "wake", "old"));
        assertTrue(ledger.find("pve", "wake", "new").isPresent());
        assertEquals(1, ledger.size());
    }

    @Test
    void capacityEvictsOldestFirst() {
        // Given
        CommandLedger ledger = new CommandLedger(clock, 3);
        for (String id : new String[] {"a", "b", "c"}) {
            ledger.record("pve", "wake", id, result(id));
            clock.advance(Duration.ofSeconds(1));
        }

        // When
        ledger.record("pve", "wake", "d", result("d"));

        // Then
        assertEquals(3, ledger.size());
        assertEquals(Optional.empty(), ledger.find("pve", "wake", "a"));
        assertTrue(ledger.find("pve", "wake", "b").isPresent());
        assertTrue(ledger.find("pve", "wake", "c").isPresent());
        assertTrue(ledger.find("pve", "wake", "d").isPresent());

        // When
        ledger.record("pve", "wake", "e", result("e"));

        // Then
        assertEquals(Optional.empty(), ledger.find("pve", "wake", "b"));
        assertTrue(ledger.find("pve", "wake", "e").isPresent());
        assertEquals(3, ledger.size());
    }

    @Test
    void capacityOfOneKeepsTheLatest() {
        CommandLedger ledger = new CommandLedger(clock, 1);
        ledger.record("pve", "wake", "a", result("a"));
        ledger.record("pve", "wake", "b", result("b"));
        assertEquals(1, ledger.size());
        assertEquals(Optional.empty(), ledger.find("pve", "wake", "a"));
        assertEquals("b", ledger.find("pve", "wake", "b").orElseThrow().id());
    }

    @Test
    void recordingTheSameKeyAgainReplacesTheResult() {
        CommandLedger ledger = new CommandLedger(clock, 10);
        ledger.record("pve", "wake", "a", result("a"));
        CommandResult second = result("a");
        ledger.record("pve", "wake", "a", second);
        assertEquals(1, ledger.size());
        assertEquals(second, ledger.find("pve", "wake", "a").orElseThrow());
    }

    static final String BUG_RERECORD_ORDER = "BUG: CommandLedger.record() re-puts an existing key into the"
            + " LinkedHashMap, which keeps the key's ORIGINAL insertion position while giving it a new recordedAt."
            + " purgeExpired() stops at the first non-expired entry in iteration order, so an older entry behind the"
            + " re-recorded one is never purged and find() still answers it as a duplicate after more than 10 minutes"
            + " (and capacity eviction drops the re-recorded, newest entry first). Fix: entries.remove(key) before"
            + " put, or have find() check the entry's own age.";

    @Test
    void entryOlderThanTenMinutesIsForgottenEvenBehindARecordedAgainKey() {
        // Given: "a" at t0, "b" at t0+1 min, "a" again at t0+2 min
        CommandLedger ledger = new CommandLedger(clock, 100);
        ledger.record("pve", "wake", "a", result("a"));
        clock.advance(Duration.ofMinutes(1));
        ledger.record("pve", "wake", "b", result("b"));
        clock.advance(Duration.ofMinutes(1));
        ledger.record("pve", "wake", "a", result("a"));

        // When: t0 + 11.5 min, "b" is 10.5 min old, "a" is 9.5 min old
        clock.advance(Duration.ofSeconds(9 * 60 + 30));

        // Then
        assertEquals(Optional.empty(), ledger.find("pve", "wake", "b"));
        assertTrue(ledger.find("pve", "wake", "a").isPresent());
    }

    @Test
    void capacityEvictsTheOldestRecordNotARecordedAgainKey() {
        // Given: capacity 2, "a", "b", then "a" again (now the newest)
        CommandLedger ledger = new CommandLedger(clock, 2);
        ledger.record("pve", "wake", "a", result("a"));
        clock.advance(Duration.ofSeconds(1));
        ledger.record("pve", "wake", "b", result("b"));
        clock.advance(Duration.ofSeconds(1));
        ledger.record("pve", "wake", "a", result("a"));
        clock.advance(Duration.ofSeconds(1));

        // When
        ledger.record("pve", "wake", "c", result("c"));

        // Then: "b" was the oldest record
        assertEquals(Optional.empty(), ledger.find("pve", "wake", "b"));
        assertTrue(ledger.find("pve", "wake", "a").isPresent());
        assertTrue(ledger.find("pve", "wake", "c").isPresent());
    }

    @Test
    void aFloodOfUniqueIdsIsBoundedInBytesNotOnlyInEntries() {
        // Given a ledger of 1 MiB that could hold a million entries by count
        CommandLedger ledger = new CommandLedger(clock, 1_000_000, 1 << 20);
        // When 50,000 unique ids are answered within a second
        for (int k = 0; k < 50_000; k++) {
            ledger.record("pve", "wake", "flood-" + k, result("flood-" + k));
        }
        // Then it holds at most 1 MiB's worth, the newest ones, and says how many it forgot early
        assertTrue(ledger.bytes() <= 1 << 20, ledger.bytes() + " bytes");
        assertTrue(ledger.size() > 1_000 && ledger.size() < 5_000, ledger.size() + " entries");
        assertTrue(ledger.contains("pve", "wake", "flood-49999"));
        assertEquals(Optional.empty(), ledger.find("pve", "wake", "flood-0"));
        assertEquals(50_000 - ledger.size(), ledger.forgottenEarly());
    }

    @Test
    void bytesAreGivenBackWhenEntriesExpireOrAreReplaced() {
        CommandLedger ledger = new CommandLedger(clock, 100, 1 << 20);
        ledger.record("pve", "wake", "a", result("a"));
        long one = ledger.bytes();
        ledger.record("pve", "wake", "a", result("a"));
        assertEquals(one, ledger.bytes(), "recorded again: counted once");
        clock.advance(Duration.ofMinutes(11));
        assertEquals(0, ledger.size());
        assertEquals(0, ledger.bytes());
        assertEquals(0, ledger.forgottenEarly(), "expiry is not forgetting early");
    }
}
