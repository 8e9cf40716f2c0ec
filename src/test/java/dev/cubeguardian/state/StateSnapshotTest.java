package dev.cubeguardian.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cubeguardian.probe.HostReachability;
import dev.cubeguardian.probe.Observation;
import dev.cubeguardian.probe.ServiceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The retained {@code <base>/<host>/state} message. */
class StateSnapshotTest {

    private static final List<String> STATE_KEYS = List.of("v", "host", "state", "since", "updated",
            "host_reachable", "host_latency_ms", "service", "last_version", "shutdown_at");
    private static final List<String> SERVICE_KEYS = List.of("reachable", "version", "players_online",
            "players_max", "players", "motd", "latency_ms");

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void keysComeInContractOrder() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.up("alice", "bob"));

        Map<String, Object> state = f.tracker.snapshot().toJson();

        assertEquals(STATE_KEYS, new ArrayList<>(state.keySet()));
        @SuppressWarnings("unchecked")
        Map<String, Object> service = (Map<String, Object>) state.get("service");
        assertEquals(SERVICE_KEYS, new ArrayList<>(service.keySet()));
    }

    @Test
    void onlineHostSerializesExactlyAsTheContractShows() throws Exception {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.advanceSeconds(5);
        f.observe(f.up("alice", "bob"));
        f.advance(Duration.ofMillis(15_250));
        f.observe(f.up("alice", "bob"));

        String text = json.writeValueAsString(f.tracker.snapshot().toJson());

        assertEquals("{\"v\":1,\"host\":\"pve\",\"state\":\"online\","
                + "\"since\":\"2026-11-25T16:00:05.000Z\",\"updated\":\"2026-11-25T16:00:20.250Z\","
                + "\"host_reachable\":true,\"host_latency_ms\":0.4,"
                + "\"service\":{\"reachable\":true,\"version\":\"1.21.4\",\"players_online\":2,\"players_max\":20,"
                + "\"players\":[\"alice\",\"bob\"],\"motd\":\"CubeGuardian\",\"latency_ms\":3},"
                + "\"last_version\":\"1.21.4\",\"shutdown_at\":null}", text);
    }

    @Test
    void hostWithoutMinecraftHasANullService() {
        TrackerFixture f = TrackerFixture.plainHost();
        f.observe(f.up());

        Map<String, Object> state = f.tracker.snapshot().toJson();

        assertEquals(STATE_KEYS, new ArrayList<>(state.keySet()));
        assertEquals("online", state.get("state"));
        assertEquals(true, state.get("host_reachable"));
        assertEquals(0.4, state.get("host_latency_ms"));
        assertNull(state.get("service"));
    }

    @Test
    void beforeAnyObservationEverythingObservedIsNull() throws Exception {
        TrackerFixture f = TrackerFixture.minecraftHost();

        String text = json.writeValueAsString(f.tracker.snapshot().toJson());

        assertEquals("{\"v\":1,\"host\":\"pve\",\"state\":\"unknown\","
                + "\"since\":\"2026-11-25T16:00:00.000Z\",\"updated\":\"2026-11-25T16:00:00.000Z\","
                + "\"host_reachable\":null,\"host_latency_ms\":null,\"service\":null,\"last_version\":null,\"shutdown_at\":null}", text);
    }

    @Test
    void offHostWithMinecraftShowsAnUnreachableServiceObject() throws Exception {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.nothing());

        String text = json.writeValueAsString(f.tracker.snapshot().toJson());

        assertEquals("{\"v\":1,\"host\":\"pve\",\"state\":\"off\","
                + "\"since\":\"2026-11-25T16:00:00.000Z\",\"updated\":\"2026-11-25T16:00:00.000Z\","
                + "\"host_reachable\":false,\"host_latency_ms\":null,"
                + "\"service\":{\"reachable\":false,\"version\":null,\"players_online\":null,\"players_max\":null,"
                + "\"players\":[],\"motd\":null,\"latency_ms\":null},\"last_version\":null,\"shutdown_at\":null}", text);
    }

    @Test
    void updatedIsTheObservationTimeAndSinceTheLastStateChange() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.up());
        f.advanceSeconds(15);
        f.observe(f.nothing());
        f.advanceSeconds(15);
        f.observe(f.nothing());
        f.advanceSeconds(15);
        f.observe(f.nothing());  // confirmed down at 45 s: unreachable
        Instant probedAt = f.now();
        f.advanceSeconds(2);

        StateSnapshot snapshot = f.tracker.snapshot();

        assertEquals(HostState.UNREACHABLE, snapshot.state());
        assertEquals(TrackerFixture.START.plusSeconds(45), snapshot.since());
        assertEquals(probedAt, snapshot.updated());
        Map<String, Object> state = snapshot.toJson();
        assertEquals("unreachable", state.get("state"));
        assertEquals("2026-11-25T16:00:45.000Z", state.get("since"));
        assertEquals(false, state.get("host_reachable"));
    }

    @Test
    void theLastObservationIsShownEvenBeforeItChangesTheState() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.up("alice"));
        f.advanceSeconds(15);
        Observation lost = new Observation(HostReachability.unreachable(HostReachability.ICMP),
                ServiceStatus.unreachable(), f.now());
        f.observe(lost);

        Map<String, Object> state = f.tracker.snapshot().toJson();

        // still online (one lost probe) but the probe details are the latest ones
        assertEquals("online", state.get("state"));
        assertEquals(false, state.get("host_reachable"));
        assertNull(state.get("host_latency_ms"));
        assertEquals("2026-11-25T16:00:15.000Z", state.get("updated"));
    }

    @Test
    void theServerVersionStaysInTheStateWhileTheServerIsDown() {
        // a Home Assistant that restarts while the server is off reads only the retained state
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.up("alice"));
        f.advanceSeconds(15);
        f.observe(f.hostOnly());
        f.advanceSeconds(15);
        f.observe(f.nothing());

        Map<String, Object> state = f.tracker.snapshot().toJson();

        @SuppressWarnings("unchecked")
        Map<String, Object> service = (Map<String, Object>) state.get("service");
        assertNull(service.get("version"), "the latest probe read no version");
        assertEquals("1.21.4", state.get("last_version"));
    }

    @Test
    void theLastVersionFollowsAServerUpgradeAndIsNullForAHostWithoutAGame() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.up());
        f.advanceSeconds(15);
        f.observe(new Observation(HostReachability.reachable(HostReachability.ICMP, 0.4),
                new ServiceStatus(true, "1.21.5", 0, 20, List.of(), "CubeGuardian", 3L, ServiceStatus.SLP), f.now()));
        assertEquals("1.21.5", f.tracker.snapshot().toJson().get("last_version"));
        // a server that answers without a version (port open, no status) does not erase it
        f.advanceSeconds(15);
        f.observe(new Observation(HostReachability.reachable(HostReachability.ICMP, 0.4), ServiceStatus.portOpenOnly(), f.now()));
        assertEquals("1.21.5", f.tracker.snapshot().toJson().get("last_version"));

        TrackerFixture plain = TrackerFixture.plainHost();
        plain.observe(plain.up());
        assertNull(plain.tracker.snapshot().toJson().get("last_version"));
    }
}
