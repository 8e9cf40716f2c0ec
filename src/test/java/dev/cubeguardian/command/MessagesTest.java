package dev.cubeguardian.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class MessagesTest {

    private final Messages english = new Messages(Locale.ENGLISH);

    @Test
    void aPatternParsedOnceStillFormatsEachCallWithItsOwnArguments() {
        assertEquals("Magic packet sent to 02:00:00:00:00:01", english.format("WOL_SENT", List.of("02:00:00:00:00:01")));
        assertEquals("Magic packet sent to 02:00:00:00:00:02", english.format("WOL_SENT", List.of("02:00:00:00:00:02")));
    }

    @Test
    void aMissingVariantFallsBackToItsCodesText() {
        assertEquals(english.format("WOL_SENT", List.of("x")), english.format("WOL_SENT.no_such_variant", List.of("x")));
    }

    @Test
    void eachLocaleKeepsItsOwnPatterns() {
        Messages french = new Messages(Locale.FRENCH);
        String fr = french.format("WOL_SENT", List.of("02:00:00:00:00:01"));
        assertEquals(fr, french.format("WOL_SENT", List.of("02:00:00:00:00:01")));
        assertEquals("Magic packet sent to 02:00:00:00:00:01", english.format("WOL_SENT", List.of("02:00:00:00:00:01")));
        assertEquals(false, fr.equals(english.format("WOL_SENT", List.of("02:00:00:00:00:01"))), fr);
    }

    @Test
    void lanesFormattingAtTheSameTimeNeverSeeEachOthersArguments() throws Exception {
        // results are made on many lanes at once: the shared parsed pattern must not carry arguments across threads
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                tasks.add(() -> {
                    int wrong = 0;
                    for (int k = 0; k < 5_000; k++) {
                        // numbers, because a shared DecimalFormat is what mixes digits across threads
                        int online = thread * 100_000 + k;
                        String text = english.format("CHECKED.service_up", List.of("h" + thread, "1.21", online, 1_000_000 + k));
                        if (!text.equals("h" + thread + " is up, Minecraft 1.21 online with " + online + "/" + (1_000_000 + k) + " players")) {
                            wrong++;
                        }
                    }
                    return wrong;
                });
            }
            int wrong = 0;
            for (Future<Integer> done : pool.invokeAll(tasks)) {
                wrong += done.get();
            }
            assertEquals(0, wrong);
        } finally {
            pool.shutdownNow();
        }
    }
}
