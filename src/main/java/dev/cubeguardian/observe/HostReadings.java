package dev.cubeguardian.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BiConsumer;

/**
 * Each host's current state and its four probe counts, as plain values that {@link HostMetricsCollector}
 * turns into Prometheus samples at scrape time.
 *
 * <p>Not Micrometer meters: with 10,000 hosts, a gauge per host and state (70,000) and a counter per
 * host, target and result (up to 40,000) held tens of MB of the worker's 80 MB live heap (ImmutableTag,
 * Meter$Id, map nodes, DefaultGauge and the Prometheus registry's lambdas, per meter), kept the old
 * generation 97% full and made SerialGC collect it every ~10 s. Here a host costs one map entry, one
 * reference to its state's name and four longs, nothing per state.
 *
 * <p>Bounded by the inventory: the callers (HostLifecycle, HostObserver) pass only the ids of the
 * inventory's hosts, never a name read from a message; keep it so, nothing here limits the entries.
 * Written by the probe threads concurrently, read by the HTTP thread that serves the scrape.
 */
final class HostReadings implements HostMeters {

    static final List<String> TARGETS = List.of("host", "service");
    static final List<String> RESULTS = List.of("up", "down");
    static final int SLOTS = TARGETS.size() * RESULTS.size();

    private final Map<String, Host> hosts;
    private volatile StateNames stateNames = new StateNames(null, List.of());

    HostReadings(int expectedHosts) {
        hosts = new ConcurrentHashMap<>(Math.max(16, expectedHosts));
    }

    @Override
    public void state(String host, String state, Iterable<String> allStates) {
        StateNames names = stateNames;
        if (names.given() != allStates) {
            // the caller passes the same constant list each time: copied once, and the same for every host
            List<String> copy = new ArrayList<>();
            allStates.forEach(copy::add);
            stateNames = new StateNames(allStates, List.copyOf(copy));
        }
        host(host).state = state;
    }

    @Override
    public void probe(String host, String target, boolean reachable) {
        host(host).probes.incrementAndGet(slot(target, reachable));
    }

    static int slot(String target, boolean reachable) {
        int index = TARGETS.indexOf(target);
        if (index < 0) {
            throw new IllegalArgumentException("No probe target " + target + ": " + TARGETS);
        }
        return index * RESULTS.size() + (reachable ? 0 : 1);
    }

    static String target(int slot) {
        return TARGETS.get(slot / RESULTS.size());
    }

    static String result(int slot) {
        return RESULTS.get(slot % RESULTS.size());
    }

    private Host host(String id) {
        Host found = hosts.get(id);
        return found != null ? found : hosts.computeIfAbsent(id, key -> new Host());
    }

    /** The states every host with a state is shown in (HostLifecycle's list). */
    List<String> states() {
        return stateNames.names();
    }

    int size() {
        return hosts.size();
    }

    void forEach(BiConsumer<String, Host> reader) {
        hosts.forEach(reader);
    }

    /** One host's values; a host that has only been probed has no state yet. */
    static final class Host {
        private volatile String state;
        private final AtomicLongArray probes = new AtomicLongArray(SLOTS);

        String state() {
            return state;
        }

        long probes(int slot) {
            return probes.get(slot);
        }
    }

    private record StateNames(Iterable<String> given, List<String> names) {
    }
}
