package dev.cubeguardian.cli;

import static dev.cubeguardian.client.WorkerInfos.host;
import static dev.cubeguardian.client.WorkerInfos.v1;
import static dev.cubeguardian.client.WorkerInfos.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.client.HostEntries;
import dev.cubeguardian.client.WorkerInfos;
import dev.cubeguardian.it.MosquittoBroker;
import dev.cubeguardian.it.MqttProbeClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The command-line client with several workers under one base topic (v1.1), against a real
 * Mosquitto. The workers are stand-ins: the test publishes their retained state and info
 * (bridge/workers/<id>/...) and host states itself, as mqtt-api.md says a worker does.
 */
class CliWorkersIT {

    private static final String W = "cubeguardian/bridge/workers/";

    private MosquittoBroker broker;
    private MqttProbeClient workers;

    record Run(int exit, List<String> out, List<String> err, Duration took) {
    }

    @BeforeEach
    void start() throws Exception {
        broker = new MosquittoBroker().start();
        workers = new MqttProbeClient(broker.url(), "cubeguardian/+/cmd/+");
    }

    @AfterEach
    void stop() throws Exception {
        workers.close();
        broker.close();
    }

    private Run cli(String... args) {
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--broker", broker.url()))
                .toArray(String[]::new);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long start = System.nanoTime();
        int exit = Cli.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(), false, ZoneOffset.UTC);
        return new Run(exit, out.toString(StandardCharsets.UTF_8).lines().toList(), err.toString(StandardCharsets.UTF_8).lines().toList(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private void announce(String id, String state, String info) throws Exception {
        workers.publishRetained(W + id + "/state", state);
        workers.publishRetained(W + id + "/info", info);
    }

    private void hostState(String host, String state) throws Exception {
        workers.publishRetained("cubeguardian/" + host + "/state", "{\"v\":1,\"host\":\"" + host + "\",\"state\":\"" + state + "\","
                + "\"since\":\"2026-12-01T08:00:00Z\",\"updated\":\"2026-12-01T08:05:00Z\",\"host_reachable\":false,\"service\":null}");
    }

    @Test
    void statusListsTheHostsOfEveryWorkerOnce() throws Exception {
        announce("east", "online", worker("east", null, "active", host("pve", "Proxmox")));
        announce("west", "online", worker("west", null, "active", host("nas", "NAS"), host("attic", "Attic")));
        hostState("pve", "online");
        hostState("nas", "off");

        Run status = cli("status");

        assertEquals(List.of(
                "HOST   NAME     STATE    SINCE                PLAYERS  VERSION",
                "pve    Proxmox  online   2026-12-01 08:00:00  -        -",
                "nas    NAS      off      2026-12-01 08:00:00  -        -",
                "attic  Attic    unknown  -                    -        -",
                "",
                "WORKER ID  STATE   ROLE    GROUP  HOSTS",
                "east       online  active  -      1",
                "west       online  active  -      2"), status.out(), status.toString());
        assertEquals(List.of(), status.err());
        assertEquals(0, status.exit());
    }

    @Test
    void aStandbyAndItsActiveShowTheirHostsOnce() throws Exception {
        announce("mc-a", "online", worker("mc-a", "mc", "active", host("vanilla", "Vanilla"), host("modded", "Modded")));
        announce("mc-b", "online", worker("mc-b", "mc", "standby", host("vanilla", "Vanilla"), host("modded", "Modded")));
        hostState("vanilla", "online");
        hostState("modded", "off");

        Run status = cli("status");
        assertEquals(List.of(
                "HOST     NAME     STATE   SINCE                PLAYERS  VERSION",
                "vanilla  Vanilla  online  2026-12-01 08:00:00  -        -",
                "modded   Modded   off     2026-12-01 08:00:00  -        -",
                "",
                "WORKER ID  STATE   ROLE     GROUP  HOSTS",
                "mc-a       online  active   mc     2",
                "mc-b       online  standby  mc     2"), status.out(), status.toString());

        Run details = cli("status", "vanilla");
        assertEquals("Workers:    mc-a: online, active; mc-b: online, standby", details.out().get(details.out().size() - 1),
                details.toString());
        assertEquals(0, details.exit());
    }

    @Test
    void aHostOfAnOfflineWorkerIsShownAsSuch() throws Exception {
        announce("east", "offline", worker("east", null, "active", host("pve", "Proxmox")));
        announce("mc-a", "offline", worker("mc-a", "mc", "active", host("vanilla", "Vanilla")));
        announce("mc-b", "online", worker("mc-b", "mc", "standby", host("vanilla", "Vanilla")));
        hostState("pve", "online");
        hostState("vanilla", "online");

        Run status = cli("status");
        assertEquals(List.of("cubeguardian: warning: every worker announcing pve is offline: its state may be out of date"),
                status.err(), "vanilla's standby is online: vanilla is not out of date");
        assertTrue(status.out().contains("east       offline  active   -      1"), status.toString());
        assertEquals(0, status.exit());

        Run details = cli("status", "pve");
        assertEquals(List.of("cubeguardian: warning: every worker announcing pve is offline: its state may be out of date"),
                details.err());
        assertEquals("Workers:    east: offline, active", details.out().get(details.out().size() - 1));
        assertEquals(List.of(), cli("status", "vanilla").err());

        Run wake = cli("wake", "pve", "--timeout", "1");
        assertEquals(List.of("cubeguardian: no answer to wake pve within 1 s: the worker is offline "
                + "(cubeguardian/bridge/workers/east/state says offline)"), wake.err());
        assertEquals(3, wake.exit());
    }

    @Test
    void v1BridgeInfoAndWorkerInfosTogether() throws Exception {
        workers.publishRetained("cubeguardian/bridge/state", "online");
        workers.publishRetained("cubeguardian/bridge/info", v1(host("demo", "Demo server")));
        announce("w1", "online", worker("w1", null, "active", host("pve", "Proxmox")));
        hostState("demo", "off");
        hostState("pve", "online");

        Run status = cli("status");

        assertEquals(List.of(
                "HOST  NAME         STATE   SINCE                PLAYERS  VERSION",
                "demo  Demo server  off     2026-12-01 08:00:00  -        -",
                "pve   Proxmox      online  2026-12-01 08:00:00  -        -",
                "",
                "WORKER ID  STATE   ROLE    GROUP  HOSTS",
                "(no id)    online  -       -      1",
                "w1         online  active  -      1"), status.out(), status.toString());
        assertEquals(0, status.exit());
    }

    @Test
    void aLoneV1WorkerShowsNoWorkersSection() throws Exception {
        workers.publishRetained("cubeguardian/bridge/state", "offline");
        workers.publishRetained("cubeguardian/bridge/info", v1(host("demo", "Demo server")));
        hostState("demo", "off");

        Run status = cli("status");

        assertEquals(List.of("HOST  NAME         STATE  SINCE                PLAYERS  VERSION",
                "demo  Demo server  off    2026-12-01 08:00:00  -        -"), status.out());
        assertEquals(List.of("cubeguardian: warning: the worker is offline (cubeguardian/bridge/state says offline): these "
                + "states may be out of date"), status.err());
    }

    @Test
    void aClearedWorkerInfoRemovesThatWorker() throws Exception {
        announce("old", "offline", worker("old", null, "active", host("nas", "NAS")));
        announce("new", "online", worker("new", null, "active", host("pve", "Proxmox")));
        hostState("pve", "online");
        assertTrue(cli("status").out().contains("old        offline  active  -      1"));

        workers.publishRetained(W + "old/info", "");

        Run status = cli("status");
        assertEquals(List.of(
                "HOST  NAME     STATE   SINCE                PLAYERS  VERSION",
                "pve   Proxmox  online  2026-12-01 08:00:00  -        -",
                "",
                "WORKER ID  STATE   ROLE    GROUP  HOSTS",
                "new        online  active  -      1"), status.out(), status.toString());
        assertEquals(List.of(), status.err(), "its offline state no longer counts");
        Run gone = cli("status", "nas");
        assertEquals(List.of("cubeguardian: unknown host 'nas' (known: pve)"), gone.err());
        assertEquals(1, gone.exit());
    }

    @Test
    void hostileWorkerInfosNeitherCrashNorHangTheCliNorShowBadHostIds() throws Exception {
        announce("good", "online", worker("good", null, "active", host("pve", "Proxmox")));
        hostState("pve", "online");
        announce("malformed", "online", "{\"worker_id\":\"malformed\",\"hosts\":[{\"id\":\"evil\"");
        announce("big", "online", WorkerInfos.padded("big", 1024 * 1024));
        announce("many", "online", WorkerInfos.manyHosts("many", 100_000));
        announce("odd", "online", worker("odd", null, "active", WorkerInfos.badHosts()));
        announce("escape", "online", worker("escape", null, "active", host("box", "\\u001b]0;pwned\\u0007\\u001b[2JBox")));
        announce("liar", "online", worker("good", null, "active", host("stolen", "Stolen")));
        for (String level : List.of("EVIL", "x".repeat(200), "a.b", "%2B", "$SYS", "a b", "*")) {
            announce(level, "online", worker(level, null, "active", host("evil", "Evil")));
        }
        workers.publishRetained(W + "deep/er/info", worker("deep", null, "active", host("evil", "Evil")));
        // a flood of retained junk host states
        for (int i = 0; i < 200; i++) {
            workers.publishRetained("cubeguardian/JUNK" + i + "/state", "{\"state\":\"online\"}");
        }

        Run status = cli("status");

        assertEquals(0, status.exit(), status.toString());
        assertTrue(status.took().compareTo(Duration.ofSeconds(5)) < 0, status.took().toString());
        List<String> hosts = status.out().subList(1, status.out().indexOf(""));
        assertEquals(List.of("box", "pve"), hosts.stream().map(l -> l.split(" +")[0]).toList(), status.toString());
        assertTrue(hosts.get(0).matches("box +\\]0;pwned\\[2JBox +unknown .*"), hosts.get(0));
        assertFalse(String.join("\n", status.out()).chars().anyMatch(c -> c < 0x20 && c != '\n'), "no control character printed");
        assertEquals(List.of("WORKER ID  STATE   ROLE    GROUP  HOSTS", "escape     online  active  -      1",
                "good       online  active  -      1", "odd        online  active  -      0"),
                status.out().subList(status.out().indexOf("") + 1, status.out().size()));

        // a worker under the byte bound with 30 000 hosts: the first thousand are kept
        announce("many", "online", WorkerInfos.manyHosts("many", 30_000));
        Run crowded = cli("status");
        assertEquals(0, crowded.exit());
        assertEquals(2 + HostEntries.MAX_HOSTS, crowded.out().indexOf("") - 1, "pve, box and a thousand of many's");
    }
}
