package dev.cubeguardian.bridge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cubeguardian.config.HostConfig;
import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.mqtt.MqttOut;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * Retained {@code <base>/bridge/state} and {@code <base>/bridge/info}: is a worker there, and what
 * can it do. A worker with a worker id (v1.1) says it on {@code <base>/bridge/workers/<id>/state}
 * and {@code .../info} instead, with its id, share group and role.
 */
public final class BridgeAnnouncer {

    public static final String ONLINE = "online";
    public static final String OFFLINE = "offline";
    /**
     * The API version bridge/info announces: "1.1" now that every addition of 1.1 is in (the
     * contract says when). Messages still carry "v": 1, since 1.1 only adds to version 1.
     */
    public static final String API_VERSION = "1.1";

    private final String baseTopic;
    private final Inventory inventory;
    private final ObjectMapper json;
    private final String version;
    private final java.util.function.BooleanSupplier commandsSubscribed;
    private volatile java.util.function.Supplier<Map<String, List<Map<String, Object>>>> schedule = Map::of;
    private volatile dev.cubeguardian.cluster.WorkerIdentity identity = dev.cubeguardian.cluster.WorkerIdentity.SINGLE;
    private volatile dev.cubeguardian.cluster.Leadership leadership;

    /** Who this worker is among several (v1.1): its topics, and the id, group and role its info gives. */
    public void identify(dev.cubeguardian.cluster.WorkerIdentity worker, dev.cubeguardian.cluster.Leadership role) {
        this.identity = worker;
        this.leadership = role;
    }

    /** Each host's next firing per schedule entry (v1.1 next_schedule), from the scheduler. */
    public void scheduleFrom(java.util.function.Supplier<Map<String, List<Map<String, Object>>>> next) {
        this.schedule = next;
    }

    public BridgeAnnouncer(String baseTopic, Inventory inventory, ObjectMapper json, String version,
            java.util.function.BooleanSupplier commandsSubscribed) {
        this.baseTopic = baseTopic;
        this.inventory = inventory;
        this.json = json;
        this.version = version;
        this.commandsSubscribed = commandsSubscribed;
    }

    /** Route bridge-online: "online" promises that commands are taken; until they are, it fails and is tried again. */
    public void requireCommandsSubscribed() {
        if (!commandsSubscribed.getAsBoolean()) {
            throw new IllegalStateException("the command subscription is not in place yet");
        }
    }

    public String stateTopic() {
        return identity.stateTopic(baseTopic);
    }

    public void online(Exchange exchange) {
        state(exchange, ONLINE);
    }

    public void offline(Exchange exchange) {
        state(exchange, OFFLINE);
    }

    public void info(Exchange exchange) throws JsonProcessingException {
        exchange.getMessage().setBody(json.writeValueAsBytes(info()));
        MqttOut.address(exchange.getMessage(), identity.infoTopic(baseTopic), true, null);
    }

    Map<String, Object> info() {
        List<Map<String, Object>> hosts = new ArrayList<>();
        for (HostConfig host : inventory.hosts().values()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", host.id());
            entry.put("name", host.displayName());
            entry.put("capabilities", capabilities(host));
            entry.put("service", host.minecraft().isPresent() ? "minecraft" : null);
            // v1.1: where players join to wake it; only for hosts that have a gateway
            host.minecraft().flatMap(minecraft -> minecraft.gateway()).ifPresent(gateway ->
                    {
                Map<String, Object> listen = new LinkedHashMap<>();
                listen.put("listen", gateway.listen());
                listen.put("wake_on", gateway.wakeOn().wireName());
                entry.put("gateway", listen);
            });
            // v1.1: the game is stopped over RCON before a shutdown, after these warnings
            host.minecraft().flatMap(minecraft -> minecraft.rcon()).ifPresent(rcon -> {
                Map<String, Object> game = new LinkedHashMap<>();
                game.put("stop_game", rcon.stopGame());
                game.put("warnings_s", rcon.warnings().stream().map(java.time.Duration::toSeconds).toList());
                entry.put("rcon", game);
            });
            if (!host.schedule().isEmpty()) {
                entry.put("next_schedule", schedule.get().getOrDefault(host.id(), List.of()));
            }
            hosts.add(entry);
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("version", version);
        info.put("api_version", API_VERSION);
        info.put("base_topic", baseTopic);
        info.put("demo", inventory.source() == null);
        info.put("hosts", hosts);
        if (!identity.single()) {
            info.put("worker_id", identity.workerId());
            info.put("share_group", identity.shareGroup());
            info.put("role", leadership == null || leadership.active() ? "active" : "standby");
            info.put("online_since", leadership == null ? null : leadership.onlineSince().toString());
        }
        return info;
    }

    private static List<String> capabilities(HostConfig host) {
        List<String> actions = new ArrayList<>(List.of("wake", "check"));
        if (host.ssh().isPresent()) {
            actions.add("shutdown");
            actions.add("cancel");
            actions.add("reboot");   // v1.1: ssh.reboot-command always has a value (default reboot)
        }
        if (host.idle().enabled()) {
            actions.add("idle");
        }
        return actions;
    }

    private void state(Exchange exchange, String state) {
        exchange.getMessage().setBody(state.getBytes(StandardCharsets.UTF_8));
        MqttOut.address(exchange.getMessage(), stateTopic(), true, null);
    }
}
