package dev.cubeguardian.state;

import dev.cubeguardian.probe.Observation;

import dev.cubeguardian.command.ResultFactory;
import dev.cubeguardian.probe.ProbeJson;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A host's state at one moment, in the shape of the retained {@code <base>/<host>/state} message.
 *
 * @param lastVersion the game's version from the latest probe that read one, kept while the
 *                    server is down (a retained copy outlives a restarted Home Assistant); null
 *                    until one is seen since the worker started
 * @param shutdownAt  v1.1: when a scheduled shutdown is due (the time the game stops, with RCON);
 *                    null when none is pending
 */
public record StateSnapshot(String host, HostState state, Instant since, Instant updated, Observation last,
                            String lastVersion, Idle idle, Instant shutdownAt) {

    /**
     * The idle shutdown setting of a host that has one (v1.1, cmd/idle), null for the others.
     *
     * @param offUntil when it comes back on by itself; null when on, or off until turned on
     */
    public record Idle(boolean enabled, Instant offUntil) {
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("v", 1);
        json.put("host", host);
        json.put("state", state.wireName());
        json.put("since", ResultFactory.TIMESTAMP.format(since));
        json.put("updated", ResultFactory.TIMESTAMP.format(updated));
        json.put("host_reachable", last == null ? null : last.host().reachable());
        json.put("host_latency_ms", last == null ? null : last.host().latencyMs());
        json.put("service", last == null || last.service() == null ? null : ProbeJson.service(last.service()));
        json.put("last_version", lastVersion);
        json.put("shutdown_at", shutdownAt == null ? null : ResultFactory.TIMESTAMP.format(shutdownAt));
        if (idle != null) {
            Map<String, Object> setting = new LinkedHashMap<>();
            setting.put("enabled", idle.enabled());
            setting.put("until", idle.offUntil() == null ? null : ResultFactory.TIMESTAMP.format(idle.offUntil()));
            json.put("idle", setting);
        }
        return json;
    }
}
