package dev.cubeguardian.state;

import dev.cubeguardian.testing.HandClock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cubeguardian.config.HostConfig;
import dev.cubeguardian.config.IdleSettings;
import dev.cubeguardian.config.LifecycleTimeouts;
import dev.cubeguardian.config.MinecraftSettings;
import dev.cubeguardian.config.ProbeSettings;
import dev.cubeguardian.config.ProbeSettings.ProbeMethod;
import dev.cubeguardian.config.WolSettings;
import dev.cubeguardian.probe.HostReachability;
import dev.cubeguardian.probe.Observation;
import dev.cubeguardian.probe.ServiceStatus;
import dev.cubeguardian.wol.MacAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Hosts, observations and event assertions shared by the tracker tests. */
final class TrackerFixture {

    static final Instant START = Instant.parse("2026-11-25T16:00:00Z");
    static final Duration STARTUP = Duration.ofMinutes(5);
    static final Duration SHUTDOWN = Duration.ofMinutes(3);
    static final LifecycleSettings SETTINGS = new LifecycleSettings(Duration.ofMillis(500), Duration.ofSeconds(15), 3,
            Duration.ofSeconds(60), Duration.ofSeconds(30), 4);
    static final IdleSettings IDLE = new IdleSettings(true, Duration.ofMinutes(10), Duration.ofMinutes(30),
            Duration.ofMinutes(2));

    final HandClock clock = new HandClock(START);
    final HostConfig host;
    final HostTracker tracker;

    private TrackerFixture(HostConfig host) {
        this.host = host;
        this.tracker = new HostTracker(host, SETTINGS, clock);
    }

    /** A host with a Minecraft server, idle shutdown off. */
    static TrackerFixture minecraftHost() {
        return new TrackerFixture(host(true, IdleSettings.disabled()));
    }

    static TrackerFixture minecraftHost(IdleSettings idle) {
        return new TrackerFixture(host(true, idle));
    }

    /** A host without a minecraft section: the host answering is all "online" means. */
    static TrackerFixture plainHost() {
        return new TrackerFixture(host(false, IdleSettings.disabled()));
    }

    static TrackerFixture plainHost(IdleSettings idle) {
        return new TrackerFixture(host(false, idle));
    }

    private static HostConfig host(boolean minecraft, IdleSettings idle) {
        return new HostConfig("pve", "Proxmox", MacAddress.parse("AA:BB:CC:DD:EE:FF"), "192.168.1.10",
                new WolSettings(WolSettings.DEFAULT_BROADCAST, WolSettings.DEFAULT_PORT, WolSettings.DEFAULT_PACKETS,
                        WolSettings.DEFAULT_INTERVAL, null),
                new ProbeSettings(ProbeMethod.ICMP, null, Duration.ofSeconds(2)),
                Optional.empty(),
                minecraft ? Optional.of(new MinecraftSettings("192.168.1.10", 25565, Duration.ofSeconds(5)))
                        : Optional.empty(),
                new LifecycleTimeouts(STARTUP, SHUTDOWN), idle);
    }

    private boolean hasMinecraft() {
        return host.minecraft().isPresent();
    }

    // ---- time ---------------------------------------------------------------------------

    void advance(Duration step) {
        clock.advance(step);
    }

    void advanceSeconds(long seconds) {
        clock.advance(Duration.ofSeconds(seconds));
    }

    Instant now() {
        return clock.instant();
    }

    // ---- observations (taken "now") ----------------------------------------------------

    /** Nothing answers. */
    Observation nothing() {
        return new Observation(HostReachability.unreachable(HostReachability.ICMP),
                hasMinecraft() ? ServiceStatus.unreachable() : null, now());
    }

    /** The host answers, the game does not (only meaningful with a minecraft section). */
    Observation hostOnly() {
        return new Observation(HostReachability.reachable(HostReachability.ICMP, 0.4), ServiceStatus.unreachable(),
                now());
    }

    /** Everything answers; the game reports exactly these players with a complete sample. */
    Observation up(String... players) {
        return new Observation(HostReachability.reachable(HostReachability.ICMP, 0.4),
                hasMinecraft() ? service(players.length, players) : null, now());
    }

    /** Everything answers; the game reports {@code online} players but a sample of only these names. */
    Observation upWithSample(int online, String... sample) {
        return new Observation(HostReachability.reachable(HostReachability.ICMP, 0.4), service(online, sample), now());
    }

    static ServiceStatus service(int online, String... sample) {
        return new ServiceStatus(true, "1.21.4", online, 20, List.of(sample), "CubeGuardian", 3L, ServiceStatus.SLP);
    }

    // ---- driving ------------------------------------------------------------------------

    Reaction observe(Observation observation) {
        return tracker.observe(observation);
    }

    // ---- events -------------------------------------------------------------------------

    /** An expected event, keys in the given order. */
    static Map<String, Object> event(Object... keyValues) {
        Map<String, Object> event = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            event.put((String) keyValues[i], keyValues[i + 1]);
        }
        return event;
    }

    static Map<String, Object> stateEvent(String from, String to) {
        return event("type", "state", "from", from, "to", to);
    }

    static Map<String, Object> progress(String action, String id, String phase, long elapsed) {
        return event("type", "progress", "action", action, "id", id, "phase", phase, "elapsed_s", elapsed);
    }

    static Map<String, Object> completed(String action, String id, boolean success, String code, long elapsed) {
        return event("type", "completed", "action", action, "id", id, "success", success, "code", code,
                "elapsed_s", elapsed);
    }

    /** Exact events: same count, same order, same keys in the same order, equal values of equal types. */
    @SafeVarargs
    static void assertEvents(Reaction reaction, Map<String, Object>... expected) {
        assertEvents(reaction.events(), expected);
    }

    @SafeVarargs
    static void assertEvents(List<Map<String, Object>> actual, Map<String, Object>... expected) {
        assertEquals(entries(List.of(expected)), entries(actual));
    }

    static void assertNoEvents(Reaction reaction) {
        assertEquals(List.of(), entries(reaction.events()));
    }

    private static List<List<Map.Entry<String, Object>>> entries(List<Map<String, Object>> events) {
        List<List<Map.Entry<String, Object>>> all = new ArrayList<>();
        for (Map<String, Object> event : events) {
            List<Map.Entry<String, Object>> one = new ArrayList<>();
            // the value's class is part of the comparison: 0L and 0 must not pass for each other
            event.forEach((key, value) -> one.add(new SimpleEntry<>(key,
                    value == null ? null : value.getClass().getSimpleName() + ":" + value)));
            all.add(one);
        }
        return all;
    }
}
