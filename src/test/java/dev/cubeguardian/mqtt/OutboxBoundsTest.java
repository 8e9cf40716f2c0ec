package dev.cubeguardian.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class OutboxBoundsTest {

    @Test
    void aSmallInventoryKeepsTheFixedBounds() {
        assertEquals(OutboxBounds.SMALL, OutboxBounds.forHosts(0));
        assertEquals(OutboxBounds.SMALL, OutboxBounds.forHosts(1_000));
    }

    @Test
    void aLargeInventoryHasRoomForWhatItsStartPublishes() {
        // a state twice, an event and a 1.5 KB discovery config per host: 10,237 of 30,000 were dropped at a fixed 10,000 / 8 MiB
        OutboxBounds bounds = OutboxBounds.forHosts(10_000);
        assertEquals(41_000, bounds.messages());
        assertEquals(10_000L * 4096, bounds.bytes());
    }

    @Test
    void anEmptyOutboxIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new OutboxBounds(0, 1));
    }
}
