package dev.cubeguardian.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerStoreTest {

    @TempDir
    Path dir;

    @Test
    void aFileInUseByAnotherStoreIsLeftToItNotMovedAsideAsBroken() throws IOException {
        Instant now = Instant.parse("2026-12-02T10:00:00Z");
        WorkerStore first = WorkerStore.open(dir);
        assertNotSame(LedgerStore.NONE, first.ledger());
        first.ledger().save("h1\u0000check\u0000a", now, "{\"ok\":true}".getBytes(StandardCharsets.UTF_8));

        // a second worker given the same directory: the file is locked, not broken
        WorkerStore second = WorkerStore.open(dir);
        assertSame(LedgerStore.NONE, second.ledger());
        assertSame(FollowedWorkStore.NONE, second.followed());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(WorkerStore.FILE), files.map(f -> f.getFileName().toString()).toList());
        }

        first.ledger().save("h1\u0000check\u0000b", now, "{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
        first.close();
        WorkerStore reopened = WorkerStore.open(dir);
        try {
            assertEquals(List.of("h1\u0000check\u0000a", "h1\u0000check\u0000b"),
                    reopened.ledger().load(now.minusSeconds(1)).stream().map(LedgerStore.Saved::key).sorted().toList());
        } finally {
            reopened.close();
        }
    }

    @Test
    void aFileGrownFarPastWhatItHoldsIsShrunkAtStartAndKeepsItsAnswers() throws IOException {
        Path file = dir.resolve(WorkerStore.FILE);
        // an untuned store (MVStore's defaults, as before the tuning) grows ~20 KB a commit
        org.h2.mvstore.MVStore grown = new org.h2.mvstore.MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        org.h2.mvstore.MVMap<String, byte[]> answers = grown.openMap("answers");
        byte[] answer = java.nio.ByteBuffer.allocate(8 + 300).putLong(Instant.now().toEpochMilli()).array();
        for (int i = 0; Files.size(file) <= WorkerStore.SHRINK_ABOVE_BYTES; i++) {
            answers.put("k" + (i % 50), answer);
            grown.commit();
        }
        grown.close();
        long before = Files.size(file);

        WorkerStore store = WorkerStore.open(dir);
        try {
            assertEquals(50, store.ledger().load(Instant.EPOCH).size(), "every answer kept");
        } finally {
            store.close();
        }
        long after = Files.size(file);
        org.junit.jupiter.api.Assertions.assertTrue(after < before / 10, before + " bytes became " + after);
    }

    @Test
    void aTunedStoreStaysNearWhatItHoldsUnderABurstOfCommands() throws IOException {
        WorkerStore store = WorkerStore.open(dir);
        try {
            byte[] result = new byte[300];
            Instant now = Instant.now();
            java.util.ArrayDeque<String> kept = new java.util.ArrayDeque<>();
            for (int i = 0; i < 20_000; i++) {
                String key = "h" + (i % 50) + "\u0000wake\u0000id-" + i;
                store.ledger().save(key, now, result);
                kept.add(key);
                if (kept.size() > 5_000) {
                    store.ledger().forget(kept.poll());
                }
            }
        } finally {
            store.close();
        }
        long size = Files.size(dir.resolve(WorkerStore.FILE));
        // 5,000 answers of ~0.35 KB are ~2 MB; without retention 0 and compaction this was ~400 MB
        org.junit.jupiter.api.Assertions.assertTrue(size < 32L << 20, "file of " + (size >> 20) + " MB");
    }

    /** A write torn by a crash: the file cut short in its last chunk. What was complete before it is read back. */
    @Test
    void aFileCutShortByACrashKeepsWhatWasCompleteOrIsMovedAsideAndTheWorkerRuns() throws IOException {
        WorkerStore first = WorkerStore.open(dir);
        for (int i = 0; i < 200; i++) {
            first.ledger().save("k" + i, Instant.now(), ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        }
        first.close();
        Path file = dir.resolve(WorkerStore.FILE);
        long size = Files.size(file);
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(size - 1500);
        }

        WorkerStore second = WorkerStore.open(dir);
        try {
            int recovered = second.ledger().load(Instant.EPOCH).size();
            boolean movedAside;
            try (Stream<Path> files = Files.list(dir)) {
                movedAside = files.anyMatch(f -> f.getFileName().toString().startsWith(WorkerStore.FILE + ".broken-"));
            }
            // MVStore falls back to the last complete chunk; if it cannot, the file is set aside and a new one used
            org.junit.jupiter.api.Assertions.assertTrue(recovered > 0 || movedAside, "recovered " + recovered);
            second.ledger().save("after", Instant.now(), new byte[] {'{', '}'});
            assertEquals(0, second.ledger().failures(), "the store writes again");
        } finally {
            second.close();
        }
    }
}
