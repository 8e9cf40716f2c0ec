package dev.cubeguardian.client;

import static dev.cubeguardian.client.WorkerInfos.host;
import static dev.cubeguardian.client.WorkerInfos.v1;
import static dev.cubeguardian.client.WorkerInfos.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.client.Announcements.Availability;
import dev.cubeguardian.client.Announcements.Worker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The union of the v1 bridge/info and every worker's info (v1.1), and what a hostile publisher cannot make it keep. */
class AnnouncementsTest {

    private static final String W = "cubeguardian/bridge/workers/";

    private final Announcements announced = new Announcements("cubeguardian");

    private boolean send(String topic, String payload) {
        return announced.accept(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> hostIds() {
        return announced.hosts().stream().map(h -> h.get("id").asText()).toList();
    }

    @Test
    void theHostsOfEveryWorkerAreListedOnceInWorkerIdOrder() {
        send(W + "west/info", worker("west", null, "active", host("nas", "NAS"), host("attic", "Attic")));
        send(W + "east/info", worker("east", null, "active", host("pve", "Proxmox")));
        send(W + "east/state", "online");
        send(W + "west/state", "offline");

        assertEquals(List.of("pve", "nas", "attic"), hostIds());
        assertEquals(List.of(new Worker("east", Availability.ONLINE, "active", null, 1, W + "east/state"),
                new Worker("west", Availability.OFFLINE, "active", null, 2, W + "west/state")), announced.workers());
        assertEquals(List.of("west"), announced.owners("nas").stream().map(Worker::id).toList());
        assertTrue(announced.hasWorkerIds());
    }

    @Test
    void aStandbyAndItsActiveShowTheirHostsOnceWithTheActivesEntry() {
        send(W + "mc-b/info", worker("mc-b", "mc", "standby", host("vanilla", "Standby's name"), host("modded", "Modded")));
        send(W + "mc-a/info", worker("mc-a", "mc", "active", host("vanilla", "Vanilla"), host("modded", "Modded")));
        send(W + "mc-a/state", "online");
        send(W + "mc-b/state", "online");

        assertEquals(List.of("vanilla", "modded"), hostIds());
        assertEquals("Vanilla", announced.hosts().get(0).get("name").asText(), "the active worker's entry");
        assertEquals(List.of("mc-a", "mc-b"), announced.owners("vanilla").stream().map(Worker::id).toList());

        send(W + "mc-a/state", "offline");
        assertEquals("Standby's name", announced.hosts().get(0).get("name").asText(), "an online worker's entry before an offline one's");
    }

    @Test
    void v1BridgeInfoAndWorkerInfosTogether() {
        send("cubeguardian/bridge/state", "online");
        send("cubeguardian/bridge/info", v1(host("demo", "Demo server"), host("pve", "Proxmox")));
        send(W + "w1/info", worker("w1", null, "active", host("pve", "Proxmox"), host("nas", "NAS")));

        assertEquals(List.of("demo", "pve", "nas"), hostIds(), "v1's first, then the workers'");
        assertEquals(List.of(new Worker(null, Availability.ONLINE, null, null, 2, "cubeguardian/bridge/state"),
                new Worker("w1", Availability.UNKNOWN, "active", null, 2, W + "w1/state")), announced.workers());
        assertEquals(2, announced.owners("pve").size());
    }

    @Test
    void aLoneV1WorkerHasNoWorkerIds() {
        send("cubeguardian/bridge/state", "offline");
        send("cubeguardian/bridge/info", v1(host("demo", "Demo server")));

        assertFalse(announced.hasWorkerIds());
        assertEquals(List.of("demo"), hostIds());
        assertEquals(Availability.OFFLINE, announced.owners("demo").get(0).availability());
    }

    @Test
    void aClearedWorkerInfoRemovesThatWorkerAndItsHosts() {
        send(W + "old/state", "offline");
        send(W + "old/info", worker("old", null, "active", host("nas", "NAS")));
        send(W + "new/info", worker("new", null, "active", host("pve", "Proxmox")));

        assertTrue(send(W + "old/info", ""));

        assertEquals(List.of("pve"), hostIds());
        assertEquals(List.of("new"), announced.known().stream().map(Worker::id).toList(), "its state is forgotten too");
        assertFalse(send(W + "old/info", ""), "nothing left to clear");
    }

    @Test
    void aClearedStateIsNotSaidAnyMore() {
        send(W + "w1/info", worker("w1", null, "active", host("pve", "Proxmox")));
        send(W + "w1/state", "online");
        send(W + "w1/state", "");
        assertEquals(Availability.UNKNOWN, announced.workers().get(0).availability());
        assertFalse(send(W + "w2/state", ""), "a state-only worker cleared is no worker");
        assertEquals(1, announced.known().size());
    }

    @Test
    void junkOnTheBridgeTopicsChangesNothing() {
        send(W + "good/info", worker("good", null, "active", host("pve", "Proxmox")));
        send(W + "good/state", "online");

        assertFalse(send(W + "good/info", "{\"worker_id\":\"good\",\"hosts\":["), "malformed JSON");
        assertFalse(send(W + "good/info", "[1,2]"), "not an object");
        assertFalse(send(W + "good/info", "{\"worker_id\":\"good\",\"hosts\":{\"id\":\"pve\"}}"), "hosts not an array");
        assertFalse(send(W + "good/info", worker("other", null, "active", host("evil", "Evil"))), "another worker's id");
        assertFalse(send(W + "good/state", "maybe"), "neither online nor offline");
        assertFalse(send(W + "good/state", "online".repeat(100)), "a state that is no state");
        for (String topic : List.of(W + "EVIL/info", W + "x".repeat(200) + "/info", W + "a.b/info", W + "$SYS/info",
                W + "%2B/info", W + "good/info/more", W + "/info", W + "good/status")) {
            assertFalse(send(topic, worker("good", null, "active", host("evil", "Evil"))), topic);
        }

        assertEquals(List.of("pve"), hostIds(), "the good info is still the one shown");
        assertEquals(Availability.ONLINE, announced.workers().get(0).availability());
    }

    @Test
    void noBadHostIdIsEverShown() {
        send(W + "w1/info", worker("w1", null, "active", WorkerInfos.join(WorkerInfos.badHosts()), host("pve", "Proxmox"),
                host("pve", "Proxmox twice")));

        assertEquals(List.of("pve"), hostIds());
        assertEquals("Proxmox", announced.hosts().get(0).get("name").asText(), "the first entry of an id");
    }

    @Test
    void namesLoseWhatATerminalWouldRunAndAreCut() {
        send(W + "w1/info", worker("w1", null, "active", host("pve", "\\u001b[2J\\u001b[31mProx\\u202emox\\u0007"),
                host("nas", "n".repeat(5000)), host("attic", "\\u0000\\u0001"), host("box", "🎮 Box 👨\\u200d👩")));

        List<JsonNode> hosts = announced.hosts();
        assertEquals("[2J[31mProxmox", hosts.get(0).get("name").asText(), "no ESC, BEL or bidi override");
        assertEquals(HostEntries.MAX_NAME, hosts.get(1).get("name").asText().length());
        assertEquals("attic", hosts.get(2).get("name").asText(), "nothing left: the id");
        assertEquals("🎮 Box 👨\u200d👩", hosts.get(3).get("name").asText(), "emoji sequences keep their joiner");
    }

    @Test
    void capabilitiesAndServiceMustLookLikeTheApisWords() {
        send(W + "w1/info", worker("w1", null, "active", "{\"id\":\"pve\",\"capabilities\":[\"wake\",\"WAKE\",5,\"wake\","
                + "\"\\u001b[31m\",\"shutdown\"],\"service\":\"mine craft\"}"));

        JsonNode pve = announced.hosts().get(0);
        assertEquals("[\"wake\",\"shutdown\"]", pve.get("capabilities").toString());
        assertTrue(pve.get("service").isNull());
        assertEquals("pve", pve.get("name").asText(), "no name: the id");
    }

    @Test
    void anInfoTooLargeIsNotEvenParsed() {
        assertFalse(send(W + "big/info", WorkerInfos.padded("big", 1024 * 1024)));
        assertFalse(send(W + "many/info", WorkerInfos.manyHosts("many", 100_000)), "100 000 hosts take more than 512 KiB");
        assertTrue(send(W + "fits/info", WorkerInfos.padded("fits", Announcements.MAX_INFO_BYTES - 1000)));
        assertEquals(List.of("fits"), announced.workers().stream().map(Worker::id).toList());
    }

    @Test
    void anInfoKeepsAThousandHostsAtMost() {
        String info = WorkerInfos.manyHosts("many", 30_000);
        assertTrue(info.length() < Announcements.MAX_INFO_BYTES, "under the byte bound: the host bound is what cuts");

        assertTrue(send(W + "many/info", info));

        assertEquals(HostEntries.MAX_HOSTS, announced.hosts().size());
        assertEquals("h999", announced.hosts().get(HostEntries.MAX_HOSTS - 1).get("id").asText(), "the first ones, in order");
    }

    @Test
    void workersAndBytesKeptAreBounded() {
        for (int i = 0; i < Announcements.MAX_WORKERS + 10; i++) {
            send(W + "w" + i + "/state", "online");
        }
        assertEquals(Announcements.MAX_WORKERS, announced.known().size());
        assertTrue(send("cubeguardian/bridge/state", "online"), "the v1 worker always has its place");
        assertFalse(send(W + "late/info", worker("late", null, "active", host("pve", "Proxmox"))));

        Announcements fresh = new Announcements("cubeguardian");
        int big = Announcements.MAX_INFO_BYTES - 1000;
        int fitting = Announcements.MAX_KEPT_BYTES / big;
        for (int i = 0; i < fitting; i++) {
            assertTrue(fresh.accept(W + "b" + i + "/info", WorkerInfos.padded("b" + i, big).getBytes(StandardCharsets.UTF_8)));
        }
        assertFalse(fresh.accept(W + "over/info", WorkerInfos.padded("over", big).getBytes(StandardCharsets.UTF_8)),
                "over " + Announcements.MAX_KEPT_BYTES + " bytes in all");
        assertTrue(fresh.accept(W + "b0/info", WorkerInfos.padded("b0", 100).getBytes(StandardCharsets.UTF_8)),
                "a worker replacing its own info frees its bytes");
        assertTrue(fresh.accept(W + "over/info", WorkerInfos.padded("over", big).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theTopicsItCovers() {
        assertEquals(List.of("cubeguardian/bridge/state", "cubeguardian/bridge/info", W + "+/state", W + "+/info"),
                List.of(announced.filters()));
        assertTrue(announced.covers(W + "w1/state"));
        assertFalse(announced.covers("cubeguardian/pve/state"));
        assertFalse(announced.covers("cubeguardian/bridge/error"));
    }
}
