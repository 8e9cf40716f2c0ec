package dev.cubeguardian.cluster;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** What the workers say about themselves, kept bounded and checked: anyone may publish there. */
class WorkerRegistryTest {

    private static final String BASE = "cubeguardian";
    private static final String WORKERS = BASE + "/bridge/workers/";
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final WorkerRegistry registry = new WorkerRegistry(BASE, "self", JSON);
    private final AtomicInteger changes = new AtomicInteger();

    {
        registry.onChange(changes::incrementAndGet);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void state(String id, String state) {
        registry.accept(WORKERS + id + "/state", bytes(state));
    }

    private void info(String id, String json) {
        registry.accept(WORKERS + id + "/info", bytes(json));
    }

    static String info(String id, String group, String role, String since, String... hosts) {
        StringBuilder json = new StringBuilder("{\"worker_id\":\"" + id + "\"");
        if (group != null) {
            json.append(",\"share_group\":\"").append(group).append('"');
        }
        if (role != null) {
            json.append(",\"role\":\"").append(role).append('"');
        }
        if (since != null) {
            json.append(",\"online_since\":\"").append(since).append('"');
        }
        json.append(",\"hosts\":[");
        for (int i = 0; i < hosts.length; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\":\"").append(hosts[i]).append("\"}");
        }
        return json.append("]}").toString();
    }

    @Test
    void onlineThenOfflineIsFollowedFromTheStateTopic() {
        state("w1", "online");
        assertTrue(registry.get("w1").online());
        assertFalse(registry.get("w1").announced());
        state("w1", "offline");
        assertFalse(registry.get("w1").online());
        assertEquals(2, changes.get());
        state("w1", "offline");
        assertEquals(2, changes.get(), "no change, no listener call");
    }

    @Test
    void aStateOtherThanOnlineOrOfflineIsIgnored() {
        state("w1", "online");
        state("w1", "ONLINE");
        state("w1", "dead");
        state("w1", "online\n");
        assertTrue(registry.get("w1").online());
        state("w2", "maybe");
        assertNull(registry.get("w2"));
    }

    @Test
    void aClearedStateMarksAnAnnouncedWorkerOffline() {
        state("w1", "online");
        info("w1", info("w1", null, null, null, "pve"));
        registry.accept(WORKERS + "w1/state", new byte[0]);
        assertFalse(registry.get("w1").online());
    }

    @Test
    void theInfoAnnouncesHostsGroupRoleAndOnlineSinceAndKeepsTheOnlineState() {
        state("w1", "online");
        info("w1", info("w1", "lab", "active", "2026-11-25T15:00:00.123Z", "pve", "mc"));
        WorkerRegistry.Worker w1 = registry.get("w1");
        assertTrue(w1.online());
        assertTrue(w1.announced());
        assertEquals("lab", w1.shareGroup());
        assertTrue(w1.active());
        assertEquals(Instant.parse("2026-11-25T15:00:00.123Z"), w1.onlineSince());
        assertEquals(Set.of("pve", "mc"), w1.hosts());
        assertTrue(registry.ownedElsewhere("pve"));
        assertFalse(registry.ownedElsewhere("nas"));
    }

    @Test
    void anInfoBeforeTheStateLeavesTheWorkerOfflineButItsHostsOwned() {
        info("w1", info("w1", null, null, null, "pve"));
        assertFalse(registry.get("w1").online());
        assertTrue(registry.ownedElsewhere("pve"), "an offline owner's kept session still holds its commands");
        state("w1", "online");
        assertTrue(registry.get("w1").online());
        assertTrue(registry.get("w1").announced());
    }

    @Test
    void aClearedInfoRetiresTheWorkerAndItsHostsBecomeUnknown() {
        state("w1", "online");
        info("w1", info("w1", null, null, null, "pve"));
        registry.accept(WORKERS + "w1/info", new byte[0]);
        assertNull(registry.get("w1"));
        assertFalse(registry.ownedElsewhere("pve"));
        int before = changes.get();
        registry.accept(WORKERS + "w1/info", new byte[0]);
        assertEquals(before, changes.get(), "clearing an unknown worker changes nothing");
    }

    @Test
    void anInfoForAnotherWorkerIdIsIgnored() {
        info("w1", info("w2", null, null, null, "pve"));
        assertNull(registry.get("w1"));
        assertNull(registry.get("w2"));
        info("w1", "{\"hosts\":[{\"id\":\"pve\"}]}");
        info("w1", "{\"worker_id\":1,\"hosts\":[{\"id\":\"pve\"}]}");
        assertFalse(registry.ownedElsewhere("pve"));
    }

    @Test
    void junkInfosAreIgnoredWithoutExceptions() {
        info("w1", info("w1", null, null, null, "pve"));
        for (String junk : List.of("not json", "{", "[]", "\"w1\"", "42", "null", "{\"worker_id\":\"w1\",", "\u0000\u0001")) {
            assertDoesNotThrow(() -> info("w1", junk), junk);
        }
        assertTrue(registry.ownedElsewhere("pve"), "the last good info stays");
        // deeply nested: Jackson's depth limit refuses it, the registry shrugs
        String deep = "{\"worker_id\":\"w1\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertDoesNotThrow(() -> info("w1", deep));
        byte[] invalidUtf8 = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
        assertDoesNotThrow(() -> registry.accept(WORKERS + "w1/info", invalidUtf8));
        assertDoesNotThrow(() -> registry.accept(WORKERS + "w1/state", invalidUtf8));
        assertTrue(registry.ownedElsewhere("pve"));
    }

    @Test
    void oddHostsAndFieldsAreSkippedOneByOne() {
        info("w1", "{\"worker_id\":\"w1\",\"share_group\":7,\"role\":[\"active\"],\"online_since\":\"yesterday\","
                + "\"hosts\":[{\"id\":\"pve\"},{\"id\":\"PVE\"},{\"id\":\"a/b\"},{\"id\":\"+\"},{\"id\":\"#\"},{\"id\":\"\"},"
                + "{\"id\":{}},{\"id\":[\"x\"]},{\"name\":\"x\"},\"mc\",null,{\"id\":\"" + "a".repeat(64) + "\"},{\"id\":\"nas\"}]}");
        WorkerRegistry.Worker w1 = registry.get("w1");
        assertEquals(Set.of("pve", "nas"), w1.hosts());
        assertNull(w1.shareGroup());
        assertFalse(w1.active());
        assertNull(w1.onlineSince(), "an unreadable online_since: no order, never leads");
    }

    @Test
    void aNumericOrBooleanHostIdIsReadAsItsText() {
        // lax but harmless: JsonNode.asText turns {"id":5} into host "5", a valid host id
        info("w1", "{\"worker_id\":\"w1\",\"hosts\":[{\"id\":5},{\"id\":true}]}");
        assertEquals(Set.of("5", "true"), registry.get("w1").hosts());
    }

    @Test
    void anInfoOfMoreThan8MiBIsIgnored() {
        byte[] big = new byte[WorkerRegistry.MAX_INFO_BYTES + 1];
        byte[] head = bytes(info("w1", null, null, null, "pve"));
        Arrays.fill(big, (byte) ' ');
        System.arraycopy(head, 0, big, 0, head.length);
        registry.accept(WORKERS + "w1/info", big);
        assertNull(registry.get("w1"));
        // exactly 8 MiB is still read
        byte[] limit = Arrays.copyOf(big, WorkerRegistry.MAX_INFO_BYTES);
        registry.accept(WORKERS + "w1/info", limit);
        assertTrue(registry.ownedElsewhere("pve"));
    }

    @Test
    void topicsThatAreNotAWorkersStateOrInfoAreIgnored() {
        for (String topic : List.of(WORKERS + "W1/state", WORKERS + "w.1/state", WORKERS + "w1/state/x", WORKERS + "w1",
                WORKERS + "/state", WORKERS + "w1/other", BASE + "/bridge/state", "other/bridge/workers/w1/state",
                WORKERS + "a".repeat(64) + "/state")) {
            assertDoesNotThrow(() -> registry.accept(topic, bytes("online")));
        }
        assertTrue(registry.all().isEmpty());
        assertDoesNotThrow(() -> registry.accept(null, bytes("online")));
    }

    @Test
    void noMoreThanMaxWorkersAreKept() {
        for (int i = 0; i < WorkerRegistry.MAX_WORKERS + 50; i++) {
            state("w" + i, "online");
        }
        assertEquals(WorkerRegistry.MAX_WORKERS, registry.all().size());
        info("late", info("late", null, null, null, "pve"));
        assertNull(registry.get("late"));
        // a known one is still updated
        state("w0", "offline");
        assertFalse(registry.get("w0").online());
        info("w1", info("w1", null, null, null, "mc"));
        assertTrue(registry.ownedElsewhere("mc"));
    }

    @Test
    void noMoreThanMaxHostsAreKeptInAll() {
        int each = WorkerRegistry.MAX_HOSTS / 2 + 10;
        info("w1", hostsInfo("w1", "a", each));
        info("w2", hostsInfo("w2", "b", each));
        int total = registry.all().stream().mapToInt(w -> w.hosts().size()).sum();
        assertEquals(WorkerRegistry.MAX_HOSTS, total);
        assertEquals(each, registry.get("w1").hosts().size());
        // w1 re-announcing fewer hosts frees room that w2 may take next time
        info("w1", hostsInfo("w1", "a", 10));
        info("w2", hostsInfo("w2", "b", each));
        assertEquals(each, registry.get("w2").hosts().size());
        // a worker re-announcing the same hosts is not squeezed out by its own earlier count
        info("w2", hostsInfo("w2", "b", each));
        assertEquals(each, registry.get("w2").hosts().size());
    }

    private static String hostsInfo(String id, String prefix, int count) {
        StringBuilder json = new StringBuilder("{\"worker_id\":\"" + id + "\",\"hosts\":[");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\":\"").append(prefix).append(i).append("\"}");
        }
        return json.append("]}").toString();
    }

    @Test
    void onlinePeersAreOnlineAnnouncedInTheSameGroupAndNotSelf() {
        state("self", "online");
        info("self", info("self", "lab", "active", "2026-11-25T15:00:00Z", "pve"));
        state("peer", "online");
        info("peer", info("peer", "lab", "standby", "2026-11-25T15:00:01Z", "pve"));
        state("down", "offline");
        info("down", info("down", "lab", "standby", "2026-11-25T15:00:01Z", "pve"));
        state("silent", "online");                      // online, never announced
        state("other", "online");
        info("other", info("other", "elsewhere", "active", "2026-11-25T15:00:01Z", "nas"));
        state("alone", "online");
        info("alone", info("alone", null, "active", "2026-11-25T15:00:01Z", "mc"));
        assertEquals(List.of("peer"), registry.onlinePeers("lab").stream().map(WorkerRegistry.Worker::id).toList());
        assertEquals(List.of("other"), registry.onlinePeers("elsewhere").stream().map(WorkerRegistry.Worker::id).toList());
        assertTrue(registry.onlinePeers("LAB").isEmpty(), "share groups are compared exactly");
    }

    @Test
    void ownedElsewhereIgnoresThisWorkersOwnInfo() {
        info("self", info("self", null, null, null, "pve"));
        assertFalse(registry.ownedElsewhere("pve"));
        info("peer", info("peer", null, null, null, "pve"));
        assertTrue(registry.ownedElsewhere("pve"));
    }

    @Test
    void theExchangeEntryReadsTopicAndBody() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader("CamelMqttTopic", WORKERS + "w1/state");
        exchange.getMessage().setBody(bytes("online"));
        registry.accept(exchange);
        assertTrue(registry.get("w1").online());
        Exchange empty = new DefaultExchange(new DefaultCamelContext());
        empty.getMessage().setHeader("CamelMqttTopic", WORKERS + "w1/state");
        assertDoesNotThrow(() -> registry.accept(empty));
        assertNull(registry.get("w1"), "no body: a cleared state, and w1 never said what it owns");
    }

    /**
     * A cleared retained state of a worker that never announced an info forgets it: fake or stale
     * ids published once on bridge/workers/<id>/state cannot hold MAX_WORKERS slots for good.
     */
    @Test
    void aClearedStateForgetsAWorkerThatNeverAnnouncedItself() {
        state("ghost", "online");
        registry.accept(WORKERS + "ghost/state", new byte[0]);
        assertNull(registry.get("ghost"));
    }

    @Test
    void aFloodOfStateOnlyWorkersClearedAgainLeavesRoomForARealWorker() {
        for (int i = 0; i < WorkerRegistry.MAX_WORKERS; i++) {
            state("fake" + i, "online");
        }
        for (int i = 0; i < WorkerRegistry.MAX_WORKERS; i++) {
            registry.accept(WORKERS + "fake" + i + "/state", new byte[0]);
        }
        info("real", info("real", null, null, null, "pve"));
        assertNotNull(registry.get("real"));
        assertTrue(registry.ownedElsewhere("pve"));
    }
}
