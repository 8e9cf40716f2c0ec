package dev.cubeguardian.homeassistant;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class FirstDiscoveryTest {

    @Test
    void waitsForTheSweepThenForTheCleanupSubscriptionThenForTheReplayToGoQuiet() throws Exception {
        CompletableFuture<Void> sweep = new CompletableFuture<>();
        AtomicBoolean subscribed = new AtomicBoolean();
        FirstDiscovery first = new FirstDiscovery(() -> sweep, subscribed::get, System::nanoTime);
        CountDownLatch published = new CountDownLatch(1);
        first.whenReady(published::countDown);

        assertFalse(published.await(400, TimeUnit.MILLISECONDS), "published before the sweep ended");
        sweep.complete(null);
        assertFalse(published.await(400, TimeUnit.MILLISECONDS), "published before ha-cleanup subscribed");
        subscribed.set(true);
        // the replay: a config every 100 ms keeps it open
        for (int k = 0; k < 6; k++) {
            first.seen("h" + k, k % 2 == 0);
            assertFalse(published.await(100, TimeUnit.MILLISECONDS), "published during the replay");
        }
        assertTrue(published.await(2, TimeUnit.SECONDS), "not published once the replay went quiet");
    }

    @Test
    void aConfigSeenUnchangedThenChangedIsPublished() {
        FirstDiscovery first = new FirstDiscovery(() -> new CompletableFuture<>(), () -> false, System::nanoTime);
        first.seen("alpha", true);
        assertTrue(first.unchangedOnBroker("alpha"));
        first.seen("alpha", false);
        assertFalse(first.unchangedOnBroker("alpha"));
    }

    @Test
    void aReconnectBeforeTheFirstConfigsWentOutForgetsWhatWasSeenOnTheBroker() {
        FirstDiscovery first = new FirstDiscovery(() -> new CompletableFuture<>(), () -> false, System::nanoTime);
        first.seen("alpha", true);
        first.forgetUnchanged();
        assertFalse(first.unchangedOnBroker("alpha"));
        first.seen("alpha", true);   // the replay after the reconnect no longer counts either
        assertFalse(first.unchangedOnBroker("alpha"));
    }

    @Test
    void aReplayThatNeverGoesQuietIsGivenUpOnAfterTheLongestWait() throws Exception {
        long[] now = {0};
        FirstDiscovery first = new FirstDiscovery(() -> CompletableFuture.completedFuture(null), () -> false, () -> now[0]);
        CountDownLatch published = new CountDownLatch(1);
        first.whenReady(published::countDown);
        assertFalse(published.await(200, TimeUnit.MILLISECONDS));
        now[0] += FirstDiscovery.LONGEST.toNanos();
        assertTrue(published.await(2, TimeUnit.SECONDS), "still waiting for a subscription that never came");
    }
}
