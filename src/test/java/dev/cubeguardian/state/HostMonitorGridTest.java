package dev.cubeguardian.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Probes start on a 20 ms grid, so one wake-up of the monitor's thread starts every probe due in it. */
class HostMonitorGridTest {

    private static final long MS = 1_000_000;

    @Test
    void aDelayEndsOnTheGridAndIsNeverShortenedNorLongerByAGridStep() {
        for (long now = 1_000 * MS; now < 1_100 * MS; now += 3 * MS + 7) {
            for (long delay : new long[] {0, 1, 19, 20, 21, 500, 15_000}) {
                long gridded = HostMonitor.onTheGrid(now, delay);
                long due = now / MS + gridded;
                assertEquals(0, due % HostMonitor.GRID_MS, "not on the grid: now " + now + ", delay " + delay);
                assertTrue(gridded >= delay && gridded < delay + HostMonitor.GRID_MS,
                        "delay " + delay + " became " + gridded);
            }
        }
    }

    @Test
    void probesDueWithinOneGridStepStartTogether() {
        long now = 5_000 * MS;
        assertEquals(now / MS + HostMonitor.onTheGrid(now, 501), now / MS + 1 + HostMonitor.onTheGrid(now + MS, 501));
    }

    @Test
    void aNegativeDelayIsTakenAsNow() {
        assertTrue(HostMonitor.onTheGrid(7 * MS, -50) >= 0);
    }
}
