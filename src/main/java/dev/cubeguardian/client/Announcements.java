package dev.cubeguardian.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Who announces which hosts under one base topic, from the retained bridge topics: the v1 single
 * worker's {@code bridge/state} and {@code bridge/info}, and (v1.1) any number of workers'
 * {@code bridge/workers/<id>/state} and {@code .../info}. The hosts are their union, each once
 * (the members of a share group announce the same ones); a host's owners are the workers that
 * announce it. Anyone who may publish there could lie, so what is kept is checked and bounded:
 * workers, bytes per info and in all, hosts per info ({@link HostEntries}).
 *
 * <p>Both front-ends read it: the bot's {@link dev.cubeguardian.discord.bus.CommandBus} and the command-line client
 * ({@code dev.cubeguardian.cli}). It has no Discord in it, like the rest of this package.
 * Thread-safe: the bot feeds it on Paho's thread and reads it on others.
 */
public final class Announcements {

    /** Worker ids are topic levels of their own and follow the host id rule. */
    public static final Pattern WORKER_ID = HostEntries.HOST_ID;
    /** The second level of {@code $share/<group>/...}, as workers are configured with it. */
    static final Pattern SHARE_GROUP = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** Workers with an id kept at most (the v1 worker always has its place). */
    public static final int MAX_WORKERS = 64;
    /** One info's payload at most; a larger one is not even parsed. */
    public static final int MAX_INFO_BYTES = 512 * 1024;
    /** All kept infos' payloads together at most: the parsed trees take several times this. */
    public static final int MAX_KEPT_BYTES = 2 * 1024 * 1024;
    private static final int MAX_STATE_BYTES = 64;
    private static final String V1 = "";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a worker's state topic last said; UNKNOWN before it said anything, or once it was cleared. */
    public enum Availability { ONLINE, OFFLINE, UNKNOWN }

    /**
     * One worker as the clients show it.
     *
     * @param id         null for the v1 worker (started without a worker id)
     * @param role       {@code active}, {@code standby}, or null when its info does not say (v1)
     * @param shareGroup null when its hosts are its own
     * @param stateTopic where it says online or offline, for messages that name it
     */
    public record Worker(String id, Availability availability, String role, String shareGroup, int hosts, String stateTopic) {
        public boolean online() {
            return availability == Availability.ONLINE;
        }
    }

    private record Info(String role, String shareGroup, List<ObjectNode> hosts, int bytes) {
    }

    private static final class Entry {
        private Availability availability = Availability.UNKNOWN;
        private Info info;
    }

    private final String base;
    private final String workersPrefix;
    /** By worker id; the v1 worker is "", first in this order. */
    private final Map<String, Entry> entries = new TreeMap<>();

    public Announcements(String baseTopic) {
        this.base = baseTopic;
        this.workersPrefix = baseTopic + "/bridge/workers/";
    }

    /** The subscriptions that bring all of it. */
    public String[] filters() {
        return new String[] {base + "/bridge/state", base + "/bridge/info", workersPrefix + "+/state", workersPrefix + "+/info"};
    }

    /** Whether the topic is one of {@link #filters()}' (those are not host topics). */
    public boolean covers(String topic) {
        return topic.equals(base + "/bridge/state") || topic.equals(base + "/bridge/info") || topic.startsWith(workersPrefix);
    }

    /** @return whether what it shows changed; a message it refuses changes nothing */
    public synchronized boolean accept(String topic, byte[] payload) {
        if (topic.equals(base + "/bridge/state")) {
            return state(V1, payload);
        }
        if (topic.equals(base + "/bridge/info")) {
            return info(V1, payload);
        }
        if (!topic.startsWith(workersPrefix)) {
            return false;
        }
        String[] levels = topic.substring(workersPrefix.length()).split("/", -1);
        if (levels.length != 2 || !WORKER_ID.matcher(levels[0]).matches()) {
            return false;
        }
        return switch (levels[1]) {
            case "state" -> state(levels[0], payload);
            case "info" -> info(levels[0], payload);
            default -> false;
        };
    }

    /** Forgets everything, before the broker hands the retained announcements over again. */
    public synchronized void clear() {
        entries.clear();
    }

    private boolean state(String key, byte[] payload) {
        if (payload.length > MAX_STATE_BYTES) {
            return false;
        }
        String text = new String(payload, StandardCharsets.UTF_8).trim();
        Availability now = payload.length == 0 ? Availability.UNKNOWN
                : text.equals("online") ? Availability.ONLINE : text.equals("offline") ? Availability.OFFLINE : null;
        if (now == null) {
            return false;
        }
        Entry entry = entries.get(key);
        if (entry == null) {
            if (now == Availability.UNKNOWN || !room(key)) {
                return false;
            }
            entry = new Entry();
            entries.put(key, entry);
        }
        boolean changed = entry.availability != now;
        entry.availability = now;
        if (now == Availability.UNKNOWN && entry.info == null) {
            entries.remove(key);
        }
        return changed;
    }

    private boolean info(String key, byte[] payload) {
        Entry entry = entries.get(key);
        if (payload.length == 0) {
            // a cleared info: the worker was retired, with its hosts
            return entries.remove(key) != null && entry.info != null;
        }
        int others = keptBytes() - (entry == null || entry.info == null ? 0 : entry.info.bytes());
        if (payload.length > MAX_INFO_BYTES || others + payload.length > MAX_KEPT_BYTES || (entry == null && !room(key))) {
            return false;
        }
        JsonNode json;
        try {
            json = JSON.readTree(payload);
        } catch (IOException notJson) {
            return false;
        }
        if (json == null || !json.isObject() || !json.path("hosts").isArray()
                || (!key.equals(V1) && !key.equals(json.path("worker_id").asText(null)))) {
            return false; // not an info, or one for another worker id
        }
        String role = json.path("role").asText("");
        String group = json.path("share_group").asText("");
        Info info = new Info(role.equals("active") || role.equals("standby") ? role : null,
                SHARE_GROUP.matcher(group).matches() ? group : null, HostEntries.of(json), payload.length);
        if (entry == null) {
            entry = new Entry();
            entries.put(key, entry);
        }
        boolean changed = !info.equals(entry.info);
        entry.info = info;
        return changed;
    }

    private boolean room(String key) {
        return key.equals(V1) || entries.keySet().stream().filter(k -> !k.equals(V1)).count() < MAX_WORKERS;
    }

    private int keptBytes() {
        return entries.values().stream().filter(e -> e.info != null).mapToInt(e -> e.info.bytes()).sum();
    }

    /** Whether any info (v1 or a worker's) has arrived: then there is something to list. */
    public synchronized boolean anyInfo() {
        return entries.values().stream().anyMatch(e -> e.info != null);
    }

    /** Whether a worker with an id is known: then clients show the workers, not "the worker". */
    public synchronized boolean hasWorkerIds() {
        return workers().stream().anyMatch(w -> w.id() != null);
    }

    /** The workers that sent an info: the v1 one first, then by id. */
    public synchronized List<Worker> workers() {
        List<Worker> workers = new ArrayList<>();
        entries.forEach((key, entry) -> {
            if (entry.info != null) {
                workers.add(worker(key, entry));
            }
        });
        return workers;
    }

    /**
     * Every worker that said anything, with or without an info: what a command's hint looks at
     * when no worker announces the host.
     */
    public synchronized List<Worker> known() {
        List<Worker> known = new ArrayList<>();
        entries.forEach((key, entry) -> known.add(worker(key, entry)));
        return known;
    }

    /** The workers that announce this host, in {@link #workers()}' order. */
    public synchronized List<Worker> owners(String host) {
        List<Worker> owners = new ArrayList<>();
        entries.forEach((key, entry) -> {
            if (entry.info != null && entry.info.hosts().stream().anyMatch(h -> h.get("id").asText().equals(host))) {
                owners.add(worker(key, entry));
            }
        });
        return owners;
    }

    /**
     * The union of all infos' hosts, each once: in the order of the v1 info, then of each worker's
     * by worker id. Of the entries a share group gives for one host, the one of its online
     * active worker is shown (it runs the schedules), else of an online one, else any.
     * The nodes are shared: read them, do not change them.
     */
    public synchronized List<JsonNode> hosts() {
        Map<String, ObjectNode> chosen = new LinkedHashMap<>();
        Map<String, Integer> rank = new LinkedHashMap<>();
        entries.forEach((key, entry) -> {
            if (entry.info == null) {
                return;
            }
            int mine = rank(entry);
            for (ObjectNode host : entry.info.hosts()) {
                String id = host.get("id").asText();
                if (!chosen.containsKey(id) || mine < rank.get(id)) {
                    chosen.put(id, host);
                    rank.put(id, mine);
                }
            }
        });
        return List.copyOf(chosen.values());
    }

    private static int rank(Entry entry) {
        boolean online = entry.availability == Availability.ONLINE;
        return online && !"standby".equals(entry.info.role()) ? 0 : online ? 1 : entry.availability == Availability.UNKNOWN ? 2 : 3;
    }

    private Worker worker(String key, Entry entry) {
        Info info = entry.info;
        return new Worker(key.equals(V1) ? null : key, entry.availability, info == null ? null : info.role(),
                info == null ? null : info.shareGroup(), info == null ? 0 : info.hosts().size(),
                key.equals(V1) ? base + "/bridge/state" : workersPrefix + key + "/state");
    }
}
