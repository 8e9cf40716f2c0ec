package dev.cubeguardian.gateway;

import dev.cubeguardian.testing.HandClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.config.GatewaySettings;
import dev.cubeguardian.config.GatewaySettings.WakeOn;
import dev.cubeguardian.gateway.LoginDecision.Answer;
import dev.cubeguardian.state.GatewayView;
import dev.cubeguardian.state.HostState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a player who logs in while the server sleeps is told, and whether a wake goes out. */
class LoginDecisionTest {

    private static final Instant NOW = Instant.parse("2026-12-02T20:00:00Z");
    private static final Duration COOLDOWN = Duration.ofSeconds(60);

    private final HandClock clock = new HandClock(NOW);

    private LoginDecision decision(WakeOn wakeOn, List<String> allow) {
        GatewaySettings settings = new GatewaySettings("0.0.0.0", 25565, wakeOn, allow, COOLDOWN, null, null, false);
        return new LoginDecision(settings, new WakeCooldown(COOLDOWN, clock), clock);
    }

    private LoginDecision anyone() {
        return decision(WakeOn.LOGIN, List.of());
    }

    private static GatewayView view(HostState state, Duration estimate, Instant wakeStartedAt) {
        return new GatewayView(state, null, Optional.ofNullable(estimate), wakeStartedAt);
    }

    private static GatewayView off() {
        return view(HostState.OFF, null, null);
    }

    @Test
    void theFirstPlayerAtASleepingServerWakesItAndIsToldTheUsualStartUpTime() {
        Answer answer = anyone().decide(view(HostState.OFF, Duration.ofSeconds(75), null), HostState.OFF, "alice");

        assertEquals(new Answer("wake_requested", null, true, "kick.wake_requested", Duration.ofSeconds(75)), answer);
    }

    @Test
    void beforeAnyStartUpWasSeenTheComeBackTimeIsAGuess() {
        Answer answer = anyone().decide(off(), HostState.OFF, "alice");

        assertEquals(LoginDecision.FIRST_STARTUP_GUESS, answer.comeBack());
        assertTrue(answer.wake());
    }

    @Test
    void anUnreachableServerIsWokenLikeAnOffOne() {
        Answer answer = anyone().decide(view(HostState.UNREACHABLE, null, null), HostState.UNREACHABLE, "alice");

        assertEquals("wake_requested", answer.outcome());
        assertTrue(answer.wake());
    }

    @Test
    void whileWakingThePlayerIsToldWhatRemainsOfTheStartUpAndNothingIsSent() {
        clock.advance(Duration.ofSeconds(30));
        GatewayView waking = view(HostState.WAKING, Duration.ofMinutes(2), NOW);

        Answer answer = anyone().decide(waking, HostState.WAKING, "bob");

        assertEquals(new Answer("starting", null, false, "kick.starting", Duration.ofSeconds(90)), answer);
    }

    @Test
    void whileStartingLongerThanUsualTheComeBackTimeIsNowNotNegative() {
        clock.advance(Duration.ofMinutes(5));

        Answer answer = anyone().decide(view(HostState.STARTING, Duration.ofMinutes(2), NOW), HostState.STARTING, "bob");

        assertEquals("starting", answer.outcome());
        assertEquals(Duration.ZERO, answer.comeBack());
    }

    @Test
    void startingWithoutAWakeOfOursCountsFromNothing() {
        // the host was started by hand: no wake under way, so no elapsed time to take off
        Answer answer = anyone().decide(view(HostState.STARTING, Duration.ofSeconds(50), null), HostState.STARTING, "bob");

        assertEquals(Duration.ofSeconds(50), answer.comeBack());
    }

    @Test
    void aLoginWhileStartingDoesNotUseUpTheCooldown() {
        LoginDecision decision = anyone();
        decision.decide(view(HostState.STARTING, null, null), HostState.STARTING, "bob");

        assertTrue(decision.decide(off(), HostState.OFF, "alice").wake());
    }

    @Test
    void aPlayerNotOnTheAllowListIsRefusedAndWakesNothing() {
        LoginDecision decision = decision(WakeOn.LOGIN, List.of("Alice", "bob_2"));

        Answer answer = decision.decide(off(), HostState.OFF, "mallory");

        assertEquals(new Answer("not_allowed", null, false, "kick.not_allowed", null), answer);
        // and did not use up the cooldown
        assertTrue(decision.decide(off(), HostState.OFF, "Alice").wake());
    }

    @Test
    void theAllowListIgnoresCaseAsMinecraftDoes() {
        LoginDecision decision = decision(WakeOn.LOGIN, List.of("Alice"));

        assertEquals("wake_requested", decision.decide(off(), HostState.OFF, "aLICE").outcome());
    }

    @Test
    void theAllowListMatchesWholeNamesOnly() {
        LoginDecision decision = decision(WakeOn.LOGIN, List.of("Alice"));

        assertEquals("not_allowed", decision.decide(off(), HostState.OFF, "Alice2").outcome());
        assertEquals("not_allowed", decision.decide(off(), HostState.OFF, "Alic").outcome());
    }

    @Test
    void wakeOnNeverRefusesEveryoneWithItsOwnReason() {
        Answer answer = decision(WakeOn.NEVER, List.of()).decide(off(), HostState.OFF, "alice");

        assertEquals(new Answer("not_allowed", "wake_on_never", false, "kick.wake_on_never", null), answer);
    }

    @Test
    void wakeOnNeverStillSaysAStartingServerIsStarting() {
        Answer answer = decision(WakeOn.NEVER, List.of()).decide(view(HostState.WAKING, null, NOW), HostState.WAKING, "alice");

        assertEquals("starting", answer.outcome());
    }

    @Test
    void wakeOnStatusWakesOnALoginToo() {
        assertTrue(decision(WakeOn.STATUS, List.of()).decide(off(), HostState.OFF, "alice").wake());
    }

    @Test
    void aStoppingServerIsNotWokenAgainUnderItsOwnShutdown() {
        Answer answer = anyone().decide(view(HostState.STOPPING, null, null), HostState.STOPPING, "alice");

        assertEquals(new Answer("not_allowed", "stopping", false, "kick.stopping", null), answer);
    }

    @Test
    void aSecondPlayerWithinTheCooldownIsToldToComeBackWithoutASecondWake() {
        LoginDecision decision = anyone();
        GatewayView off = view(HostState.OFF, Duration.ofSeconds(80), null);
        assertTrue(decision.decide(off, HostState.OFF, "alice").wake());
        clock.advance(Duration.ofSeconds(20));

        Answer second = decision.decide(off, HostState.OFF, "bob");

        assertEquals(new Answer("cooldown", null, false, "kick.cooldown", Duration.ofSeconds(60)), second);
    }

    @Test
    void afterTheCooldownAnotherWakeMayGo() {
        LoginDecision decision = anyone();
        assertTrue(decision.decide(off(), HostState.OFF, "alice").wake());
        clock.advance(COOLDOWN.minusMillis(1));
        assertFalse(decision.decide(off(), HostState.OFF, "alice").wake());
        clock.advance(Duration.ofMillis(1));

        assertTrue(decision.decide(off(), HostState.OFF, "alice").wake());
    }

    @ParameterizedTest
    @EnumSource(value = HostState.class, names = {"OFF", "UNREACHABLE", "UNKNOWN"})
    void exactlyOneOfAHundredSimultaneousLoginsWakes(HostState state) throws Exception {
        LoginDecision decision = anyone();
        GatewayView view = view(state, Duration.ofSeconds(40), null);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Answer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String player = "player" + i;
                answers.add(pool.submit(() -> {
                    go.await();
                    return decision.decide(view, state, player);
                }));
            }
            go.countDown();
            List<Answer> all = new java.util.ArrayList<>();
            for (Future<Answer> answer : answers) {
                all.add(answer.get(10, TimeUnit.SECONDS));
            }

            Map<String, Long> outcomes = all.stream().collect(Collectors.groupingBy(Answer::outcome, Collectors.counting()));
            assertEquals(Map.of("wake_requested", 1L, "cooldown", 99L), outcomes);
            assertEquals(1, all.stream().filter(Answer::wake).count());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theCooldownSaysWhenTheLastWakeWentOut() {
        WakeCooldown cooldown = new WakeCooldown(COOLDOWN, clock);
        assertNull(cooldown.sinceLastWake());
        assertTrue(cooldown.tryClaim());
        clock.advance(Duration.ofSeconds(12));

        assertEquals(Duration.ofSeconds(12), cooldown.sinceLastWake());
        assertFalse(cooldown.tryClaim());
    }
}
