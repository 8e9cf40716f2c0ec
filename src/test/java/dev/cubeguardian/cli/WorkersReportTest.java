package dev.cubeguardian.cli;

import static dev.cubeguardian.client.WorkerInfos.host;
import static dev.cubeguardian.client.WorkerInfos.v1;
import static dev.cubeguardian.client.WorkerInfos.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cubeguardian.client.Announcements;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What status and a command without an answer say about the workers (v1.1), and that a lone v1 worker keeps the v1 texts. */
class WorkersReportTest {

    private static final String W = "cubeguardian/bridge/workers/";

    private final Announcements announced = new Announcements("cubeguardian");

    private void send(String topic, String payload) {
        announced.accept(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    private void sharedGroupAndALoneWorker() {
        send(W + "mc-a/info", worker("mc-a", "mc", "active", host("vanilla", "Vanilla"), host("modded", "Modded")));
        send(W + "mc-a/state", "offline");
        send(W + "mc-b/info", worker("mc-b", "mc", "standby", host("vanilla", "Vanilla"), host("modded", "Modded")));
        send(W + "mc-b/state", "online");
        send(W + "nas-box/info", worker("nas-box", null, "active", host("nas", "NAS")));
        send(W + "nas-box/state", "offline");
    }

    @Test
    void theWorkersSectionHasOneRowPerWorker() {
        sharedGroupAndALoneWorker();
        send("cubeguardian/bridge/info", v1(host("demo", "Demo server")));
        send("cubeguardian/bridge/state", "online");

        assertEquals(List.of("",
                "WORKER ID  STATE    ROLE     GROUP  HOSTS",
                "(no id)    online   -        -      1",
                "mc-a       offline  active   mc     2",
                "mc-b       online   standby  mc     2",
                "nas-box    offline  active   -      1"), WorkersReport.section(announced.workers(), CliTexts.ENGLISH));
        assertEquals(List.of("",
                "ID DU WORKER  ÉTAT        RÔLE        GROUPE  HÔTES",
                "(sans id)     en ligne    -           -       1",
                "mc-a          hors ligne  actif       mc      2",
                "mc-b          en ligne    en réserve  mc      2",
                "nas-box       hors ligne  actif       -       1"), WorkersReport.section(announced.workers(), CliTexts.FRENCH));
    }

    @Test
    void aHostIsOutOfDateOnlyWhenEveryWorkerAnnouncingItIsOffline() {
        sharedGroupAndALoneWorker();

        assertEquals("warning: every worker announcing nas is offline: its state may be out of date",
                WorkersReport.warning(announced, List.of("vanilla", "modded", "nas"), "cubeguardian", CliTexts.ENGLISH),
                "vanilla and modded have their standby online");
        assertNull(WorkersReport.warning(announced, List.of("vanilla"), "cubeguardian", CliTexts.ENGLISH));

        send(W + "mc-b/state", "offline");
        assertEquals("attention : tous les workers qui annoncent vanilla, modded, nas sont hors ligne : leurs états peuvent "
                + "être périmés", WorkersReport.warning(announced, List.of("vanilla", "modded", "nas"), "cubeguardian",
                CliTexts.FRENCH));
    }

    @Test
    void theOwnersOfAHost() {
        sharedGroupAndALoneWorker();
        assertEquals("mc-a: offline, active; mc-b: online, standby",
                WorkersReport.owners(announced.owners("vanilla"), CliTexts.ENGLISH));
        assertEquals("-", WorkersReport.owners(List.of(), CliTexts.ENGLISH));
    }

    @Test
    void aLoneV1WorkerKeepsTheV1Warning() {
        send("cubeguardian/bridge/info", v1(host("demo", "Demo server")));
        send("cubeguardian/bridge/state", "offline");

        assertEquals("warning: the worker is offline (cubeguardian/bridge/state says offline): these states may be out of date",
                WorkersReport.warning(announced, List.of("demo"), "cubeguardian", CliTexts.ENGLISH));
        assertEquals(false, WorkersReport.shown(announced));
    }

    @Test
    void aCommandsHintNamesTheHostsOwnWorkers() {
        sharedGroupAndALoneWorker();
        String problem = "no answer to wake nas within 1 s";

        assertEquals(problem + ": the worker is offline (cubeguardian/bridge/workers/nas-box/state says offline)",
                WorkerHint.of(problem, announced, "nas", "cubeguardian", CliTexts.ENGLISH));
        assertEquals("no answer", WorkerHint.of("no answer", announced, "vanilla", "cubeguardian", CliTexts.ENGLISH),
                "its standby is online: no hint");
        send(W + "mc-b/state", "offline");
        assertEquals("x: the workers are offline (cubeguardian/bridge/workers/mc-a/state, cubeguardian/bridge/workers/mc-b/state "
                + "say offline)", WorkerHint.of("x", announced, "vanilla", "cubeguardian", CliTexts.ENGLISH));
        assertEquals("x: the workers are offline (cubeguardian/bridge/workers/mc-a/state, cubeguardian/bridge/workers/mc-b/state, "
                + "cubeguardian/bridge/workers/nas-box/state say offline)",
                WorkerHint.of("x", announced, "attic", "cubeguardian", CliTexts.ENGLISH), "nobody announces attic: all of them");
    }

    @Test
    void withoutAnyWorkerTheHintIsTheV1One() {
        assertEquals("x: no worker has announced itself on cubeguardian/bridge/state",
                WorkerHint.of("x", announced, "demo", "cubeguardian", CliTexts.ENGLISH));
    }

    @Test
    void longListsAreCut() {
        List<String> ids = IntStream.range(0, 14).mapToObj(i -> "h" + i).toList();
        assertEquals("h0, h1, h2, h3, h4, h5, h6, h7, h8, h9 and 4 more", WorkerHint.named(ids, CliTexts.ENGLISH));
    }
}
