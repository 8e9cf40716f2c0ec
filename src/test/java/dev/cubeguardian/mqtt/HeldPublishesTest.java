package dev.cubeguardian.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The hold a round of checks puts on its answers until their commit to disk. */
class HeldPublishesTest {

    private final List<String> sent = new CopyOnWriteArrayList<>();

    private void publish(String message) {
        if (!HeldPublishes.hold(() -> sent.add(message))) {
            sent.add(message);
        }
    }

    @Test
    void nothingIsHeldOutsideAHold() {
        publish("a");
        assertEquals(List.of("a"), sent);
    }

    @Test
    void answersGoOutOnlyAfterTheCommitAndInTheirOrder() {
        HeldPublishes.publishAfter(() -> {
            publish("first");
            publish("second");
            assertEquals(List.of(), sent, "nothing is seen before the work (the commit) is over");
            sent.add("commit");
        });
        assertEquals(List.of("commit", "first", "second"), sent);
    }

    @Test
    void aFailedCommitStillSendsWhatWasAnsweredAndLeavesNoHoldBehind() {
        assertThrows(IllegalStateException.class, () -> HeldPublishes.publishAfter(() -> {
            publish("answered");
            throw new IllegalStateException("disk full");
        }));
        assertEquals(List.of("answered"), sent);
        publish("later");
        assertEquals(List.of("answered", "later"), sent, "the thread is not held after the failure");
    }

    @Test
    void aNestedHoldJoinsTheOuterOne() {
        HeldPublishes.publishAfter(() -> {
            HeldPublishes.publishAfter(() -> publish("inner"));
            assertEquals(List.of(), sent, "the inner hold's end does not release the outer one's messages");
            publish("outer");
        });
        assertEquals(List.of("inner", "outer"), sent);
    }

    @Test
    void anotherThreadIsNotHeldByThisOne() throws Exception {
        HeldPublishes.publishAfter(() -> {
            publish("mine");
            CompletableFuture.runAsync(() -> publish("other thread's")).join();
            assertEquals(List.of("other thread's"), sent);
        });
        assertEquals(List.of("other thread's", "mine"), sent);
    }
}
