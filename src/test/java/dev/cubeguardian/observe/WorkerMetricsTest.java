package dev.cubeguardian.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class WorkerMetricsTest {

    @Test
    void actionNamesPastTheBoundAreCountedAsOther() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        WorkerMetrics metrics = new WorkerMetrics(() -> registry);
        for (int k = 0; k < WorkerMetrics.MAX_COMMAND_METERS + 100; k++) {
            metrics.commandAnswered("a" + k, "UNKNOWN_ACTION", 1);
        }
        assertEquals(WorkerMetrics.MAX_COMMAND_METERS + 1, registry.find("cubeguardian.commands").counters().size());
        assertEquals(100.0, registry.get("cubeguardian.commands").tag("action", "other").counter().count());
    }

    @Test
    void theSameActionAndCodeCountIntoOneMeter() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        WorkerMetrics metrics = new WorkerMetrics(() -> registry);
        metrics.commandAnswered("check", "CHECKED", 2);
        metrics.commandAnswered("check", "CHECKED", 4);
        metrics.commandAnswered("check", "BUSY", 0);
        assertEquals(2.0, registry.get("cubeguardian.commands").tag("action", "check").tag("code", "CHECKED").counter().count());
        assertEquals(3, registry.get("cubeguardian.command.latency").tag("action", "check").timer().count());
        assertEquals(6.0, registry.get("cubeguardian.command.latency").tag("action", "check").timer()
                .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS));
    }

    @Test
    void aNameOver16CharactersIsOther() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new WorkerMetrics(() -> registry).commandAnswered("x".repeat(17), "UNKNOWN_ACTION", 0);
        assertEquals(1.0, registry.get("cubeguardian.commands").tag("action", "other").counter().count());
    }
}
