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
}
