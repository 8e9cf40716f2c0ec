package dev.cubeguardian.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.client.Announcements;
import dev.cubeguardian.client.HostEntries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code status} reads: the retained announcements of every worker (v1 {@code bridge/info}
 * and {@code bridge/state}, v1.1 {@code bridge/workers/<id>/...}) and the retained host states.
 * There is no telling how many workers will answer, so it reads until the broker has been
 * quiet for a moment once every announced host has its state, or until the settle time.
 */
final class RetainedView {

    /** The broker hands the retained messages of one subscription over back to back: a pause this long ends them. */
    static final Duration QUIET = Duration.ofMillis(200);
    /** Host states kept at most: a flood of retained junk states is not all kept. */
    static final int MAX_STATES = 10_000;

    final Announcements announced;
    final Map<String, JsonNode> states = new HashMap<>();
    /** Announced hosts with no state yet, kept up to date rather than recomputed per message. */
    private final Set<String> missing = new HashSet<>();

    private RetainedView(String base) {
        this.announced = new Announcements(base);
    }

    /**
     * @param infoWait how long to wait for the first info at most
     * @param settle   after the first info, how long to wait at most for more infos and missing states
     * @throws CliFailure (timeout) when no info came: no worker ever ran under this base topic
     */
    static RetainedView read(BrokerSession session, String base, Duration infoWait, Duration settle, CliTexts texts)
            throws CliFailure {
        RetainedView view = new RetainedView(base);
        List<String> filters = new ArrayList<>(List.of(view.announced.filters()));
        // <base>/+/state also matches <base>/bridge/state, which the announcements take
        filters.add(base + "/+/state");
        session.subscribe(filters.toArray(String[]::new));
        long infoDeadline = deadline(infoWait);
        long settleDeadline = Long.MAX_VALUE;
        long quietDeadline = Long.MAX_VALUE;
        while (true) {
            boolean info = view.announced.anyInfo();
            long until = !info ? infoDeadline : view.missing.isEmpty() ? Math.min(settleDeadline, quietDeadline) : settleDeadline;
            BrokerSession.Message message = session.next(until);
            if (message == null) {
                if (!info) {
                    throw new CliFailure(ExitCodes.TIMEOUT, texts.get("status.no_worker", base, base + "/bridge/info",
                            infoWait.toSeconds()));
                }
                return view; // settled, or some hosts have no state yet
            }
            quietDeadline = deadline(QUIET);
            if (view.announced.covers(message.topic())) {
                if (view.announced.accept(message.topic(), message.payload())) {
                    view.missing.clear();
                    view.missing.addAll(view.hostIds());
                    view.missing.removeAll(view.states.keySet());
                }
                if (settleDeadline == Long.MAX_VALUE && view.announced.anyInfo()) {
                    settleDeadline = deadline(settle);
                }
            } else {
                view.state(base, message);
            }
        }
    }

    private void state(String base, BrokerSession.Message message) {
        String host = message.topic().substring(base.length() + 1, message.topic().length() - "/state".length());
        if (!HostEntries.HOST_ID.matcher(host).matches() || (states.size() >= MAX_STATES && !states.containsKey(host))) {
            return;
        }
        JsonNode json = message.json();
        if (json != null && json.hasNonNull("state")) {
            states.put(host, json);
            missing.remove(host);
        }
    }

    /** The announced host ids, in the order of {@link Announcements#hosts()}. */
    Set<String> hostIds() {
        return announced.hosts().stream().map(h -> h.get("id").asText()).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static long deadline(Duration limit) {
        return System.nanoTime() + limit.toNanos();
    }
}
