package dev.cubeguardian.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each MQTT consumer subscribes to, for the single worker, a worker with an id, and a group member. */
class SubscriptionPlanTest {

    private static final String BASE = "cubeguardian";
    private static final List<String> HOSTS = List.of("pve", "mc");

    @Test
    void theSingleWorkerTakesEveryCommandUnderItsBaseTopicAsInV1() {
        Map<String, String> p = SubscriptionPlan.properties(WorkerIdentity.SINGLE, BASE, HOSTS, 3600);
        assertEquals("cubeguardian/+/cmd/+", p.get("cubeguardian.commands.topics"));
        assertEquals("3600", p.get("cubeguardian.commands.session-expiry"));
        assertEquals("true", p.get("cubeguardian.commands.auto-startup"));
        assertEquals("cubeguardian/bridge/state", p.get("cubeguardian.bridge.state-topic"));
        assertEquals("false", p.get("cubeguardian.workers.enabled"));
        assertEquals("false", p.get("cubeguardian.group.enabled"));
    }

    @Test
    void aWorkerWithAnIdSubscribesToItsOwnHostsOnly() {
        Map<String, String> p = SubscriptionPlan.properties(new WorkerIdentity("w1", null), BASE, HOSTS, 3600);
        assertEquals("cubeguardian/pve/cmd/+,cubeguardian/mc/cmd/+", p.get("cubeguardian.commands.topics"));
        assertFalse(p.get("cubeguardian.commands.topics").contains("$share"));
        assertEquals("3600", p.get("cubeguardian.commands.session-expiry"));
        assertEquals("true", p.get("cubeguardian.commands.auto-startup"));
        assertEquals("cubeguardian/bridge/workers/w1/state", p.get("cubeguardian.bridge.state-topic"));
        assertEquals("true", p.get("cubeguardian.workers.enabled"));
        assertEquals("cubeguardian/bridge/workers/+/state,cubeguardian/bridge/workers/+/info",
                p.get("cubeguardian.workers.topics"));
        // not shared: every worker sees every command for a host nobody owns, its answer and the workers' states
        assertEquals("cubeguardian/bridge/workers/+/state,cubeguardian/+/cmd/+,cubeguardian/+/result/+",
                p.get("cubeguardian.unknown.topic"));
        assertEquals("false", p.get("cubeguardian.group.enabled"));
    }

    @Test
    void aGroupMemberTakesItsHostsThroughTheSharedSubscriptionWithASessionEndingWithItsConnection() {
        Map<String, String> p = SubscriptionPlan.properties(new WorkerIdentity("w1", "lab"), BASE, HOSTS, 3600);
        assertEquals("$share/lab/cubeguardian/pve/cmd/+,$share/lab/cubeguardian/mc/cmd/+", p.get("cubeguardian.commands.topics"));
        assertEquals("0", p.get("cubeguardian.commands.session-expiry"));
        // the leadership starts the intake once active
        assertEquals("false", p.get("cubeguardian.commands.auto-startup"));
        assertEquals("true", p.get("cubeguardian.group.enabled"));
        assertEquals("cubeguardian/pve/cmd/+,cubeguardian/pve/result/+,cubeguardian/pve/state,cubeguardian/mc/cmd/+,cubeguardian/mc/result/+,cubeguardian/mc/state",
                p.get("cubeguardian.witness.topics"));
    }

    @Test
    void sessionExpiryZeroOnlyInAGroup() {
        assertEquals("120", SubscriptionPlan.properties(WorkerIdentity.SINGLE, BASE, HOSTS, 120)
                .get("cubeguardian.commands.session-expiry"));
        assertEquals("120", SubscriptionPlan.properties(new WorkerIdentity("w1", null), BASE, HOSTS, 120)
                .get("cubeguardian.commands.session-expiry"));
        assertEquals("0", SubscriptionPlan.properties(new WorkerIdentity("w1", "g"), BASE, HOSTS, 120)
                .get("cubeguardian.commands.session-expiry"));
    }

    @Test
    void aMultiLevelBaseTopicIsKeptWholeInEveryFilter() {
        List<String> filters = SubscriptionPlan.commandFilters(new WorkerIdentity("w1", "g-1"), "home/lab", List.of("pve"));
        assertEquals(List.of("$share/g-1/home/lab/pve/cmd/+"), filters);
        assertEquals(List.of("home/lab/+/cmd/+"), SubscriptionPlan.commandFilters(WorkerIdentity.SINGLE, "home/lab", List.of("pve")));
    }

    @Test
    void everyListedFilterIsOneTopicFilterWithoutStrayCommas() {
        Map<String, String> p = SubscriptionPlan.properties(new WorkerIdentity("w1", "lab"), BASE, HOSTS, 0);
        for (String key : List.of("cubeguardian.commands.topics", "cubeguardian.workers.topics", "cubeguardian.witness.topics")) {
            for (String filter : p.get(key).split(",")) {
                assertFalse(filter.isEmpty(), key);
                assertFalse(filter.contains("#"), key + ": " + filter);
                assertTrue(filter.startsWith("$share/lab/cubeguardian/") || filter.startsWith("cubeguardian/"), key + ": " + filter);
            }
        }
    }
}
