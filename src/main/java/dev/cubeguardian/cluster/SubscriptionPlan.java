package dev.cubeguardian.cluster;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What each MQTT consumer of the worker subscribes to, by who the worker is: the single worker
 * of v1 takes every command under its base topic; a worker with a worker id only its own hosts'
 * (so several share one base topic), and in a share group through {@code $share/<group>/}.
 * The values are the route placeholders {@code cubeguardian.commands.*}, {@code .workers.*},
 * {@code .unknown.*}, {@code .witness.*}, {@code .group.*} and {@code .bridge.state-topic};
 * lists of filters are comma-separated (a base topic with a comma is refused with a worker id).
 */
public final class SubscriptionPlan {

    private SubscriptionPlan() {
    }

    public static Map<String, String> properties(WorkerIdentity identity, String base, Collection<String> hosts,
            long sessionExpirySeconds) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("cubeguardian.commands.topics", String.join(",", commandFilters(identity, base, hosts)));
        // a share group's command session ends with its connection: Mosquitto 2 keeps routing a
        // dead member's share of the commands to its kept session, where nobody answers them
        properties.put("cubeguardian.commands.session-expiry",
                String.valueOf(identity.grouped() ? 0 : sessionExpirySeconds));
        properties.put("cubeguardian.commands.auto-startup", String.valueOf(!identity.grouped()));
        properties.put("cubeguardian.bridge.state-topic", identity.stateTopic(base));
        properties.put("cubeguardian.workers.enabled", String.valueOf(!identity.single()));
        properties.put("cubeguardian.workers.topics",
                WorkerIdentity.workersTopic(base) + "/+/state," + WorkerIdentity.workersTopic(base) + "/+/info");
        // one connection for all three: a dead worker's results come before its Will (UnknownHostWatch)
        properties.put("cubeguardian.unknown.topic", String.join(",", WorkerIdentity.workersTopic(base) + "/+/state",
                base + "/+/cmd/+", base + "/+/result/+"));
        properties.put("cubeguardian.group.enabled", String.valueOf(identity.grouped()));
        properties.put("cubeguardian.witness.topics", hosts.stream()
                .flatMap(host -> List.of(base + "/" + host + "/cmd/+", base + "/" + host + "/result/+", base + "/" + host + "/state")
                        .stream())
                .collect(Collectors.joining(",")));
        return properties;
    }

    static List<String> commandFilters(WorkerIdentity identity, String base, Collection<String> hosts) {
        if (identity.single()) {
            return List.of(base + "/+/cmd/+");
        }
        String prefix = identity.grouped() ? "$share/" + identity.shareGroup() + "/" : "";
        return hosts.stream().map(host -> prefix + base + "/" + host + "/cmd/+").toList();
    }
}
