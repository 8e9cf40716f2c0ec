package dev.cubeguardian.state;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FirstSweepTest {

    @Test
    void endsWhenEveryHostHasAnsweredOnceAndNotBefore() {
        FirstSweep sweep = new FirstSweep(List.of("a", "b", "c"));
        CompletableFuture<Void> done = sweep.done(Duration.ofMinutes(1)).toCompletableFuture();
        sweep.observed("a");
        sweep.observed("a");
        sweep.observed("b");
        assertFalse(done.isDone(), "two of three hosts answered, one of them twice");
        sweep.observed("c");
        assertTrue(done.isDone());
    }

    @Test
    void aHostOutsideTheInventoryEndsNothing() {
        FirstSweep sweep = new FirstSweep(List.of("a"));
        sweep.observed("stranger");
        assertFalse(sweep.done(Duration.ofMinutes(1)).toCompletableFuture().isDone());
    }

    @Test
    void aSweepThatNeverEndsIsGivenUpOnAfterItsBound() throws Exception {
        // a standby never probes
        FirstSweep sweep = new FirstSweep(List.of("a"));
        sweep.done(Duration.ofMillis(100)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void anEmptyInventoryHasSweptAlready() {
        assertTrue(new FirstSweep(List.of()).done(Duration.ofMinutes(1)).toCompletableFuture().isDone());
    }
}
