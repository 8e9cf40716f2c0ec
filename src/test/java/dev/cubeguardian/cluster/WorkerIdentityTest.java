package dev.cubeguardian.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who the worker is among several: its topics and its MQTT client id. */
class WorkerIdentityTest {

    private static final String BASE = "cubeguardian";

    @Test
    void theSingleWorkerKeepsTheV1BridgeTopics() {
        WorkerIdentity single = WorkerIdentity.SINGLE;
        assertTrue(single.single());
        assertFalse(single.grouped());
        assertEquals(Optional.empty(), single.id());
        assertEquals("cubeguardian/bridge/state", single.stateTopic(BASE));
        assertEquals("cubeguardian/bridge/info", single.infoTopic(BASE));
    }

    @Test
    void aWorkerWithAnIdHasItsOwnStateAndInfoUnderBridgeWorkers() {
        WorkerIdentity worker = new WorkerIdentity("w1", null);
        assertFalse(worker.single());
        assertFalse(worker.grouped());
        assertEquals(Optional.of("w1"), worker.id());
        assertEquals("cubeguardian/bridge/workers/w1/state", worker.stateTopic(BASE));
        assertEquals("cubeguardian/bridge/workers/w1/info", worker.infoTopic(BASE));
        assertEquals("home/lab/bridge/workers", WorkerIdentity.workersTopic("home/lab"));
    }

    @Test
    void aGroupMemberIsGroupedAndKeepsItsOwnTopics() {
        WorkerIdentity member = new WorkerIdentity("w2", "lab");
        assertTrue(member.grouped());
        assertEquals("cubeguardian/bridge/workers/w2/state", member.stateTopic(BASE));
    }

    @Test
    void aShareGroupWithoutAWorkerIdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new WorkerIdentity(null, "lab"));
    }

    @Test
    void theSingleWorkerUsesTheConfiguredClientIdUnchanged() {
        assertEquals("cubeguardian", WorkerIdentity.SINGLE.clientId("cubeguardian"));
    }

    @Test
    void aWorkerIdIsAppendedToTheClientId() {
        assertEquals("cubeguardian-w1", new WorkerIdentity("w1", null).clientId("cubeguardian"));
        assertEquals("cubeguardian-w1", new WorkerIdentity("w1", "lab").clientId("cubeguardian"));
    }

    @Test
    void aClientIdOfExactly52CharactersIsKeptAsComposedLeavingRoomForTheRoutesSuffixes() {
        String configured = "c".repeat(40);
        String worker = "w".repeat(11);   // 40 + 1 + 11 = 52; + "-ha-cleanup" = 63
        assertEquals(configured + "-" + worker, new WorkerIdentity(worker, null).clientId(configured));
    }

    @Test
    void pastFiftyTwoCharactersTheWorkerIdIsHashedToTwelveHexDigits() {
        String configured = "c".repeat(40);
        String worker = "w".repeat(12);   // 53 when composed
        String id = new WorkerIdentity(worker, null).clientId(configured);
        assertEquals(configured + "-" + WorkerIdentity.hash(worker), id);
        assertTrue(WorkerIdentity.hash(worker).matches("[0-9a-f]{12}"));
        assertTrue(id.length() + "-ha-cleanup".length() <= 64);
        // the longest worker id with the longest configured client id still fits, suffix included
        assertTrue(new WorkerIdentity("x".repeat(63), null).clientId(configured).length() + "-ha-cleanup".length() <= 64);
    }

    @Test
    void twoLongWorkerIdsThatShareAPrefixGetDifferentClientIds() {
        String configured = "c".repeat(40);
        String a = "a".repeat(62) + "1";
        String b = "a".repeat(62) + "2";
        assertNotEquals(new WorkerIdentity(a, null).clientId(configured), new WorkerIdentity(b, null).clientId(configured));
        assertEquals(WorkerIdentity.hash(a), WorkerIdentity.hash(a));
    }

    @Test
    void workerIdsFollowTheHostIdRule() {
        assertTrue(WorkerIdentity.WORKER_ID.matcher("w1").matches());
        assertTrue(WorkerIdentity.WORKER_ID.matcher("0-a_b").matches());
        assertTrue(WorkerIdentity.WORKER_ID.matcher("a".repeat(63)).matches());
        assertFalse(WorkerIdentity.WORKER_ID.matcher("a".repeat(64)).matches());
        assertFalse(WorkerIdentity.WORKER_ID.matcher("W1").matches());
        assertFalse(WorkerIdentity.WORKER_ID.matcher("-w1").matches());
        assertFalse(WorkerIdentity.WORKER_ID.matcher("w/1").matches());
        assertFalse(WorkerIdentity.WORKER_ID.matcher("+").matches());
        assertFalse(WorkerIdentity.WORKER_ID.matcher("#").matches());
        assertFalse(WorkerIdentity.WORKER_ID.matcher("").matches());
    }
}
