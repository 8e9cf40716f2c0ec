package dev.cubeguardian.state;

import static dev.cubeguardian.state.TrackerFixture.assertEvents;
import static dev.cubeguardian.state.TrackerFixture.assertNoEvents;
import static dev.cubeguardian.state.TrackerFixture.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.cubeguardian.probe.HostReachability;
import dev.cubeguardian.probe.Observation;
import dev.cubeguardian.probe.ServiceStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Players joining and leaving, from the status sample. */
class HostTrackerPlayersTest {

    private static TrackerFixture emptyServer() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.up());
        return f;
    }

    private static Map<String, Object> joined(String name) {
        return event("type", "player_joined", "player", name);
    }

    private static Map<String, Object> left(String name) {
        return event("type", "player_left", "player", name);
    }

    private static Map<String, Object> count(int online, int previous) {
        return event("type", "players", "players_online", online, "previous", previous);
    }

    @Test
    void playersAlreadyOnAtTheFirstObservationAreNotReportedAsJoining() {
        TrackerFixture f = TrackerFixture.minecraftHost();

        Reaction reaction = f.observe(f.up("alice", "bob"));

        assertEvents(reaction, TrackerFixture.stateEvent("unknown", "online"));
        assertEquals(List.of("alice", "bob"), f.tracker.playerNames());
    }

    @Test
    void aPlayerJoiningIsReportedByNameThenTheCount() {
        TrackerFixture f = emptyServer();

        Reaction reaction = f.observe(f.up("alice"));

        assertEvents(reaction, joined("alice"), count(1, 0));
        assertFalse(reaction.isStateChanged());
        assertEquals(List.of("alice"), f.tracker.playerNames());
    }

    @Test
    void joinsAndLeavesInOneObservationAreReportedJoinsFirstThenTheCount() {
        TrackerFixture f = emptyServer();
        f.observe(f.up("alice", "bob"));

        Reaction reaction = f.observe(f.up("bob", "carol", "dave"));

        assertEvents(reaction, joined("carol"), joined("dave"), left("alice"), count(3, 2));
        assertEquals(List.of("bob", "carol", "dave"), f.tracker.playerNames());
    }

    @Test
    void aPlayerLeavingIsReportedByNameThenTheCount() {
        TrackerFixture f = emptyServer();
        f.observe(f.up("alice", "bob"));

        Reaction reaction = f.observe(f.up("bob"));

        assertEvents(reaction, left("alice"), count(1, 2));
    }

    @Test
    void swappingOnePlayerForAnotherReportsNamesButNoCountEvent() {
        TrackerFixture f = emptyServer();
        f.observe(f.up("alice"));

        Reaction reaction = f.observe(f.up("bob"));

        assertEvents(reaction, joined("bob"), left("alice"));
    }

    @Test
    void theSamePlayersAgainReportNothing() {
        TrackerFixture f = emptyServer();
        f.observe(f.up("alice", "bob"));

        assertNoEvents(f.observe(f.up("bob", "alice")));
    }

    @Test
    void aPartialSampleReportsOnlyTheCount() {
        TrackerFixture f = emptyServer();
        f.observe(f.up("alice"));

        Reaction reaction = f.observe(f.upWithSample(30, "bob", "carol", "dave"));

        assertEvents(reaction, count(30, 1));
        // names are kept from the last complete sample
        assertEquals(List.of("alice"), f.tracker.playerNames());
    }

    @Test
    void aSampleHiddenByTheServerReportsOnlyTheCount() {
        TrackerFixture f = emptyServer();

        Reaction reaction = f.observe(f.upWithSample(3));

        assertEvents(reaction, count(3, 0));
        assertEquals(List.of(), f.tracker.playerNames());
    }

    @Test
    void namesResumeAgainstTheLastCompleteSampleOnceTheSampleIsCompleteAgain() {
        TrackerFixture f = emptyServer();
        f.observe(f.up("alice"));
        f.observe(f.upWithSample(30, "bob", "carol"));

        Reaction reaction = f.observe(f.up("bob"));

        assertEvents(reaction, joined("bob"), left("alice"), count(1, 30));
    }

    @Test
    void anUnreachableGameLeavesThePlayersAsTheyWere() {
        TrackerFixture f = emptyServer();
        f.observe(f.up("alice"));

        Reaction reaction = f.observe(f.hostOnly());

        assertNoEvents(reaction);
        assertEquals(List.of("alice"), f.tracker.playerNames());
    }

    @Test
    void aGameWithoutAPlayerCountReportsNothing() {
        TrackerFixture f = emptyServer();
        f.observe(f.up("alice"));

        Reaction reaction = f.observe(new Observation(
                HostReachability.reachable(HostReachability.ICMP, 0.4), ServiceStatus.portOpenOnly(), f.now()));

        assertNoEvents(reaction);
        assertEquals(List.of("alice"), f.tracker.playerNames());
    }
}
