package dev.cubeguardian.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cubeguardian.command.CommandParser;
import dev.cubeguardian.logging.LogText;
import dev.cubeguardian.logging.ThrottledWarning;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the workers under this base topic say about themselves, from their retained
 * {@code bridge/workers/<id>/state} and {@code info} (route {@code workers-watch}): which hosts
 * each one owns, whether it is online, and who is active in each share group. Anyone who may
 * publish there could lie, so what is kept is bounded (workers, hosts, bytes) and checked.
 */
public final class WorkerRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerRegistry.class);
    static final int MAX_WORKERS = 1_024;
    static final int MAX_INFO_BYTES = 8 << 20;
    static final int MAX_HOSTS = 200_000;

    /** One worker as it announced itself; {@code online} from its state topic, the rest from its info. */
    public record Worker(String id, boolean online, boolean announced, String shareGroup, boolean active,
            Instant onlineSince, Set<String> hosts) {

        Worker withState(boolean isOnline) {
            return new Worker(id, isOnline, announced, shareGroup, active, onlineSince, hosts);
        }
    }

    private final String workersTopic;
    private final String ownId;
    private final ObjectMapper json;
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    /** Workers last said offline: when one comes back, its retained info is its previous life's until it sends a new one. */
    private final Set<String> seenOffline = ConcurrentHashMap.newKeySet();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final ThrottledWarning refused = ThrottledWarning.lines(LOG::warn, java.time.Duration.ofSeconds(10));

    public WorkerRegistry(String baseTopic, String ownId, ObjectMapper json) {
        this.workersTopic = WorkerIdentity.workersTopic(baseTopic) + "/";
        this.ownId = ownId;
        this.json = json;
    }

    /** Runs on Paho's thread after each change: hand anything slow off. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    public void accept(Exchange exchange) {
        String topic = exchange.getMessage().getHeader("CamelMqttTopic", String.class);
        byte[] payload = exchange.getMessage().getBody(byte[].class);
        accept(topic, payload == null ? new byte[0] : payload);
    }

    void accept(String topic, byte[] payload) {
        if (topic == null || !topic.startsWith(workersTopic)) {
            return;
        }
        String[] levels = topic.substring(workersTopic.length()).split("/", -1);
        if (levels.length != 2 || !WorkerIdentity.WORKER_ID.matcher(levels[0]).matches()) {
            refused.warn("Ignored " + LogText.of(topic) + ": not a worker's topic (worker ids are like host ids)");
            return;
        }
        String id = levels[0];
        boolean changed = switch (levels[1]) {
            case "state" -> state(id, payload);
            case "info" -> info(id, payload);
            default -> false;
        };
        if (changed) {
            listeners.forEach(Runnable::run);
        }
    }

    private boolean state(String id, byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        if (payload.length == 0) {
            return forgetIfUnannounced(id, true);
        }
        boolean online = text.equals("online");
        if (!online && !text.equals("offline")) {
            return false;
        }
        Worker known = workers.get(id);
        if (known == null) {
            if (workers.size() >= MAX_WORKERS) {
                refused.warn("Ignored worker " + id + ": already " + MAX_WORKERS + " workers known");
                return false;
            }
            workers.put(id, new Worker(id, online, false, null, false, null, Set.of()));
            return true;
        }
        if (!online) {
            seenOffline.add(id);
        } else if (seenOffline.remove(id) && known.announced()) {
            // back after a death or a stop: it owns what it owned, but its old online_since and
            // role must not make the member that took over stand down; its new info brings both
            workers.put(id, new Worker(id, true, true, known.shareGroup(), false, null, known.hosts()));
            return true;
        }
        workers.put(id, known.withState(online));
        return known.online() != online;
    }

    private boolean info(String id, byte[] payload) {
        if (payload.length == 0) {
            // a cleared info: the worker was retired, its hosts belong to no one any more
            Worker known = workers.remove(id);
            seenOffline.remove(id);
            return known != null;
        }
        if (payload.length > MAX_INFO_BYTES) {
            refused.warn("Ignored the info of worker " + id + ": " + payload.length + " bytes, more than " + MAX_INFO_BYTES);
            return false;
        }
        JsonNode info;
        try {
            info = json.readTree(payload);
        } catch (Exception notJson) {
            refused.warn("Ignored the info of worker " + id + ": not JSON");
            return false;
        }
        if (info == null || !info.isObject() || !id.equals(info.path("worker_id").asText(null))) {
            refused.warn("Ignored the info of worker " + id + ": not a worker info, or for another worker id");
            return false;
        }
        Worker known = workers.get(id);
        if (known == null && workers.size() >= MAX_WORKERS) {
            refused.warn("Ignored worker " + id + ": already " + MAX_WORKERS + " workers known");
            return false;
        }
        int room = MAX_HOSTS - hostCount() + (known == null ? 0 : known.hosts().size());
        Set<String> hosts = new HashSet<>();
        for (JsonNode host : info.path("hosts")) {
            String hostId = host.path("id").asText("");
            if (CommandParser.HOST_ID.matcher(hostId).matches() && hosts.size() < room) {
                hosts.add(hostId);
            }
        }
        String group = info.path("share_group").isTextual() ? info.path("share_group").asText() : null;
        Instant since = null;
        try {
            since = info.path("online_since").isTextual() ? Instant.parse(info.path("online_since").asText()) : null;
        } catch (java.time.format.DateTimeParseException unreadable) {
            // no order among the group for this worker: it never leads
        }
        boolean active = "active".equals(info.path("role").asText(null));
        boolean online = known != null && known.online();
        Worker updated = new Worker(id, online, true, group, active, since, Set.copyOf(hosts));
        workers.put(id, updated);
        return !updated.equals(known);
    }

    /** A cleared state: a worker that never said what it owns is forgotten (it cannot fill the registry), another is offline. */
    private boolean forgetIfUnannounced(String id, boolean cleared) {
        Worker known = workers.get(id);
        if (known == null) {
            return false;
        }
        if (!known.announced()) {
            workers.remove(id);
            seenOffline.remove(id);
            return known.online();
        }
        workers.put(id, known.withState(false));
        return cleared && known.online();
    }

    private int hostCount() {
        return workers.values().stream().mapToInt(worker -> worker.hosts().size()).sum();
    }

    /** True when another worker announces this host (online or not: its kept session holds the command). */
    public boolean ownedElsewhere(String host) {
        for (Worker worker : workers.values()) {
            if (!worker.id().equals(ownId) && worker.hosts().contains(host)) {
                return true;
            }
        }
        return false;
    }

    /** The other online workers of a share group, as they last announced themselves. */
    public List<Worker> onlinePeers(String shareGroup) {
        return workers.values().stream()
                .filter(worker -> !worker.id().equals(ownId) && worker.online() && worker.announced()
                        && shareGroup.equals(worker.shareGroup()))
                .toList();
    }

    public Collection<Worker> all() {
        return List.copyOf(workers.values());
    }

    public Worker get(String id) {
        return workers.get(id);
    }
}
