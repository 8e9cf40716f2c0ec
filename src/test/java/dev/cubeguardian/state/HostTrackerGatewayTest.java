package dev.cubeguardian.state;

import static dev.cubeguardian.state.TrackerFixture.assertEvents;
import static dev.cubeguardian.state.TrackerFixture.assertNoEvents;
import static dev.cubeguardian.state.TrackerFixture.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the gateway tells the tracker and reads from it: players connected through the proxy
 * keep idle shutdown away (a modded or proxied server may not list them in its status), and the
 * view of state, last answer and start-up times that the sleeping answers are made from.
 */
class HostTrackerGatewayTest {

    /** Online and empty from START, idle on (10 min idle, 30 min uptime, 2 min grace), the warning given. */
    private static TrackerFixture warnedHost() {
        TrackerFixture f = TrackerFixture.minecraftHost(TrackerFixture.IDLE);
        f.observe(f.up());
        while (f.now().isBefore(TrackerFixture.START.plus(Duration.ofMinutes(30)))) {
            f.advance(Duration.ofMinutes(1));
            f.observe(f.up());
        }
        assertTrue(f.tracker.inTransition(), "the idle grace period is running");
        return f;
    }

    @Test
    void aPlayerConnectingThroughTheGatewayCancelsTheIdleCountdownAtOnce() {
        TrackerFixture f = warnedHost();
        f.advanceSeconds(30);

        Reaction reaction = f.tracker.gatewayPlayers(1);

        assertEvents(reaction, event("type", "idle_cancelled", "reason", "player_joined"));
        f.advance(Duration.ofMinutes(5));
        assertFalse(f.tracker.tick().isIdleShutdown(), "past the grace period: no shutdown");
    }

    @Test
    void whileAProxiedPlayerIsOnAStatusWithNobodyOnlineStartsNoCountdown() {
        TrackerFixture f = warnedHost();
        f.tracker.gatewayPlayers(1);

        for (int minute = 0; minute < 60; minute++) {
            f.advance(Duration.ofMinutes(1));
            assertNoEvents(f.observe(f.up()));
            assertFalse(f.tracker.tick().isIdleShutdown());
        }
    }

    @Test
    void whenTheLastProxiedPlayerLeavesTheIdleTimeCountsFromThen() {
        TrackerFixture f = warnedHost();
        f.tracker.gatewayPlayers(2);
        f.advance(Duration.ofMinutes(20));
        f.observe(f.up());
        f.tracker.gatewayPlayers(1);

        assertNoEvents(f.tracker.gatewayPlayers(0));
        f.advance(Duration.ofMinutes(9));
        assertNoEvents(f.observe(f.up()));
        f.advance(Duration.ofMinutes(1));

        assertEvents(f.observe(f.up()), event("type", "idle_warning", "idle_s", 600L, "shutdown_in_s", 120L));
    }

    @Test
    void aNegativeCountIsNobody() {
        TrackerFixture f = warnedHost();
        f.tracker.gatewayPlayers(1);
        f.tracker.gatewayPlayers(-3);
        f.advance(Duration.ofMinutes(10));

        assertEquals("idle_warning", f.observe(f.up()).events().get(0).get("type"));
    }

    @Test
    void proxiedPlayersBeforeTheServerIsOnlineStillCountOnceItIs() {
        TrackerFixture f = TrackerFixture.minecraftHost(TrackerFixture.IDLE);
        f.observe(f.hostOnly());
        f.tracker.gatewayPlayers(1);
        f.observe(f.up());

        for (int minute = 0; minute < 60; minute++) {
            f.advance(Duration.ofMinutes(1));
            assertNoEvents(f.observe(f.up()));
        }
    }

    // --- the view ------------------------------------------------------------------------------

    @Test
    void theViewOfANewTrackerKnowsNothingYet() {
        GatewayView view = TrackerFixture.minecraftHost().tracker.gatewayView();

        assertEquals(new GatewayView(HostState.UNKNOWN, null, Optional.empty(), null), view);
    }

    @Test
    void theViewKeepsTheLastAnswerOfTheServerAfterItWentDown() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.up("alice"));
        for (int i = 0; i < TrackerFixture.SETTINGS.downConfirmations(); i++) {
            f.advanceSeconds(15);
            f.observe(f.nothing());
        }

        GatewayView view = f.tracker.gatewayView();

        assertEquals(HostState.UNREACHABLE, view.state());
        assertEquals("1.21.4", view.lastAnswer().version());
        assertEquals(20, view.lastAnswer().playersMax());
    }

    @Test
    void theViewSaysWhenTheWakeUnderWayWasSentAndForgetsItOnceOnline() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.nothing());
        f.tracker.wakeSent("gw-1");
        GatewayView waking = f.tracker.gatewayView();
        assertEquals(HostState.WAKING, waking.state());
        assertEquals(TrackerFixture.START, waking.wakeStartedAt());
        assertTrue(waking.starting());

        f.advanceSeconds(20);
        f.observe(f.hostOnly());
        assertEquals(HostState.STARTING, f.tracker.gatewayView().state());
        f.advanceSeconds(25);
        f.observe(f.up());

        GatewayView online = f.tracker.gatewayView();
        assertEquals(HostState.ONLINE, online.state());
        assertNull(online.wakeStartedAt());
        assertEquals(Optional.of(Duration.ofSeconds(45)), online.startupEstimate(), "wake sent to the game answering");
    }

    @Test
    void aWakeThatTimedOutLeavesNoStartUpTime() {
        TrackerFixture f = TrackerFixture.minecraftHost();
        f.observe(f.nothing());
        f.tracker.wakeSent("gw-1");
        f.advance(TrackerFixture.STARTUP.plusSeconds(1));
        f.tracker.tick();

        assertEquals(Optional.empty(), f.tracker.gatewayView().startupEstimate());
        assertNull(f.tracker.gatewayView().wakeStartedAt());
    }
}
