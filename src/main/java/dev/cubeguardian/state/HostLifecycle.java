package dev.cubeguardian.state;

import dev.cubeguardian.probe.Observation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cubeguardian.command.Command;
import dev.cubeguardian.command.CommandExchange;
import dev.cubeguardian.command.CommandRefusedException;
import dev.cubeguardian.command.CommandResult;
import dev.cubeguardian.command.Outcome;
import dev.cubeguardian.command.ResultCode;
import dev.cubeguardian.command.ResultFactory;
import dev.cubeguardian.config.HostConfig;
import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.mqtt.MqttOut;
import dev.cubeguardian.observe.WorkerMetrics;
import dev.cubeguardian.probe.HostCheck;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every host's {@link HostTracker}, and what their reactions turn into: retained
 * {@code <base>/<host>/state}, {@code <base>/<host>/event} messages, magic packets sent again,
 * idle shutdown commands. The command routes call in here after a wake, a shutdown or a cancel.
 */
public final class HostLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(HostLifecycle.class);

    private final Map<String, HostTracker> trackers = new LinkedHashMap<>();
    private final Map<String, GatewayView> gatewayViews = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, FollowedWork> savedWork = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile dev.cubeguardian.store.FollowedWorkStore followedStore = dev.cubeguardian.store.FollowedWorkStore.NONE;
    static final String FOLLOWED = "host";
    private final Inventory inventory;
    private final WorkerMetrics metrics;
    private static final java.util.List<String> STATES =
            java.util.Arrays.stream(HostState.values()).map(HostState::wireName).toList();
    private final String baseTopic;
    private final ProducerTemplate template;
    private final ObjectMapper json;
    private final Clock clock;
    private volatile Consumer<String> probeSoon = host -> { };
    private volatile java.util.function.BiFunction<String, String, java.time.ZonedDateTime> nextScheduled = (host, action) -> null;
    private final StateRefresh refresh;
    private final FirstSweep firstSweep;
    private final java.time.Duration firstSweepBound;
    /** Whether this run has announced its states once (route bridge-announce). */
    private boolean announced;
    private volatile java.util.function.BooleanSupplier active = () -> true;

    /**
     * Whether this worker watches its hosts now (v1.1): a standby of a share group neither probes
     * nor publishes states, events or idle shutdowns; the active member does.
     */
    public void activeWhen(java.util.function.BooleanSupplier isActive) {
        this.active = isActive;
    }

    public boolean active() {
        return active.getAsBoolean();
    }

    /** Became the active worker of its share group: every host is probed at once. */
    public void activated() {
        trackers.keySet().forEach(probeSoon);
    }

    public HostLifecycle(Inventory inventory, LifecycleSettings settings, String baseTopic, ProducerTemplate template,
            ObjectMapper json, Clock clock, WorkerMetrics metrics) {
        this.metrics = metrics;
        this.inventory = inventory;
        for (HostConfig host : inventory.hosts().values()) {
            trackers.put(host.id(), new HostTracker(host, settings, clock));
        }
        this.baseTopic = baseTopic;
        this.template = template;
        this.json = json;
        this.clock = clock;
        this.refresh = new StateRefresh(List.copyOf(trackers.keySet()), settings.stateRefresh(), REFRESH_TICK);
        this.firstSweep = new FirstSweep(trackers.keySet());
        java.time.Duration longest = java.time.Duration.ZERO;
        for (HostConfig host : inventory.hosts().values()) {
            java.time.Duration probes = host.probe().timeout()
                    .plus(host.minecraft().map(m -> m.timeout()).orElse(java.time.Duration.ZERO));
            longest = probes.compareTo(longest) > 0 ? probes : longest;
        }
        this.firstSweepBound = settings.fastInterval().plus(longest).plusSeconds(1);
    }

    /** How often route state-refresh calls {@link #refreshIfDue()} (its timer's period). */
    static final java.time.Duration REFRESH_TICK = java.time.Duration.ofSeconds(1);

    /**
     * Completes once every host has had its first probe's answer: what the first
     * announcement's Home Assistant configs wait for, so the first states do not queue behind
     * them (15 MB for 10,000 hosts; benchmark 10). At the latest after the first probes'
     * spread and the two longest probe timeouts of the inventory (host, then game) and a
     * second: a standby never probes.
     */
    public java.util.concurrent.CompletionStage<Void> firstSweep() {
        return firstSweep.done(firstSweepBound);
    }

    /**
     * Takes up what the previous run followed (v1.1) and keeps what this one follows in
     * {@code store}. Call before the monitor's first probe.
     */
    public void resumeFrom(dev.cubeguardian.store.FollowedWorkStore store) {
        this.followedStore = store;
        store.load(FOLLOWED).forEach((hostId, bytes) -> {
            HostTracker tracker = trackers.get(hostId);
            if (tracker == null) {
                store.save(FOLLOWED, hostId, null);   // a host that left the inventory
                return;
            }
            FollowedWork.fromBytes(bytes).ifPresentOrElse(work -> {
                tracker.resume(work);
                savedWork.put(hostId, work);
                LOG.info("Host {}: resuming what the previous run followed: {}", hostId, describe(work));
            }, () -> store.save(FOLLOWED, hostId, null));   // unreadable: nothing to resume, nothing to keep
        });
    }

    private static String describe(FollowedWork work) {
        List<String> parts = new java.util.ArrayList<>();
        if (work.wakeId() != null) {
            parts.add("wake " + work.wakeId());
        }
        if (work.shutdownId() != null) {
            parts.add("shutdown " + work.shutdownId());
        }
        if (work.rebootId() != null) {
            parts.add("reboot " + work.rebootId());
        }
        if (work.idleGraceEnds() != null) {
            parts.add("idle countdown");
        }
        if (Boolean.TRUE.equals(work.idleOff())) {
            parts.add("idle shutdown off");
        }
        return String.join(", ", parts);
    }

    public Collection<HostTracker> trackers() {
        return trackers.values();
    }

    public HostTracker tracker(String hostId) {
        return trackers.get(hostId);
    }

    /** The monitor wants to hear when a command changed a host's course, to probe it soon. */
    void onCommand(Consumer<String> monitor) {
        this.probeSoon = monitor;
    }

    // ---- route steps -------------------------------------------------------------------

    /**
     * Refuses a wake while the host is stopping, a shutdown while it is waking, and anything of
     * the three while it restarts (BUSY). A reboot's refusals have their own texts ("then
     * restart it"); the details are the same.
     */
    public void checkNoConflict(Exchange exchange) {
        Command command = CommandExchange.command(exchange);
        trackers.get(command.host()).conflict(command.action()).ifPresent(operation -> {
            String variant = command.action() == dev.cubeguardian.command.Action.REBOOT ? "reboot_" + operation : operation;
            throw new CommandRefusedException(Outcome.variant(ResultCode.BUSY, variant,
                    Outcome.details("reason", "host_" + operation, "state", trackers.get(command.host()).state().wireName()),
                    inventory.host(command.host()).map(h -> h.displayName()).orElse(command.host())));
        });
    }

    /** Route cmd-idle: turns the host's idle shutdown off (for a while) or on, and says how it stands now. */
    public Outcome setIdle(Exchange exchange) {
        Command command = CommandExchange.command(exchange);
        Command.IdleRequest request = command.idle();
        java.time.Duration offFor = request.forMinutes() == null ? null : java.time.Duration.ofMinutes(request.forMinutes());
        react(command.host(), tracker -> tracker.setIdle(request.enabled(), offFor));
        java.time.Instant until = trackers.get(command.host()).idleOffUntil();
        String name = inventory.host(command.host()).map(HostConfig::displayName).orElse(command.host());
        Map<String, Object> details = Outcome.details("enabled", request.enabled(),
                "until", until == null ? null : ResultFactory.TIMESTAMP.format(until));
        if (request.enabled()) {
            return Outcome.variant(ResultCode.IDLE_UPDATED, "on", details, name);
        }
        return until == null ? Outcome.variant(ResultCode.IDLE_UPDATED, "off", details, name)
                : Outcome.variant(ResultCode.IDLE_UPDATED, "off_until", details, name, ResultFactory.TIMESTAMP.format(until));
    }

    /** After the result is out: a wake, shutdown or reboot that was sent is followed, a cancel ends the wait for a shutdown. */
    public void follow(Exchange exchange) {
        Command command = CommandExchange.command(exchange);
        CommandResult result = exchange.getProperty(CommandExchange.RESULT, CommandResult.class);
        if (command == null || result == null || Boolean.TRUE.equals(result.duplicate())) {
            return;
        }
        Observation checked = exchange.getProperty(HostCheck.OBSERVATION, Observation.class);
        if (ResultCode.CHECKED.name().equals(result.code())) {
            // a check is a fresh probe: the monitor only hurries when it found something changing
            if (checked != null && (react(command.host(), tracker -> tracker.observe(checked)).isStateChanged()
                    || trackers.get(command.host()).inTransition())) {
                probeSoon.accept(command.host());
            }
            return;
        }
        Function<HostTracker, Reaction> change = switch (ResultCode.valueOf(result.code())) {
            case WOL_SENT -> tracker -> tracker.wakeSent(command.id());
            case SHUTDOWN_SENT, SHUTDOWN_SCHEDULED -> tracker -> tracker.shutdownSent(command.id(), command.delayMinutes());
            case SHUTDOWN_CANCELLED -> tracker -> tracker.shutdownCancelled(command.id());
            case REBOOT_SENT -> tracker -> tracker.rebootSent(command.id());
            default -> null;
        };
        if (change != null) {
            react(command.host(), change);
            probeSoon.accept(command.host());
        }
    }

    /**
     * Route state-refresh, every second: republishes the states of this tick's share of the
     * hosts that would otherwise go longer than the refresh period without one ({@link StateRefresh}).
     */
    public void refreshIfDue() {
        if (!active()) {
            return;
        }
        for (String hostId : refresh.due(clock.millis())) {
            HostTracker tracker = trackers.get(hostId);
            synchronized (tracker) {
                publishState(tracker);
            }
        }
    }

    /** After a reconnect, a takeover, a schedule's move: every retained state again. */
    public void publishAllStates() {
        if (!active()) {
            return;   // a standby's states would be stale: the active member publishes them
        }
        for (HostTracker tracker : trackers.values()) {
            synchronized (tracker) {
                publishState(tracker);
            }
        }
    }

    /**
     * Route bridge-announce: every retained state, except on this run's first announcement,
     * which leaves out the states already published. Those are still in the outbox, which
     * keeps each message until the broker has it; sending them again made a third of a
     * 10,000-host start's states twice (benchmark 10). A reconnect or a takeover announces all.
     */
    public void announceStates() {
        if (!active()) {
            return;
        }
        boolean first;
        synchronized (this) {
            first = !announced;
            announced = true;
        }
        if (!first) {
            publishAllStates();
            return;
        }
        for (HostTracker tracker : trackers.values()) {
            synchronized (tracker) {
                if (!refresh.everPublished(tracker.hostId())) {
                    publishState(tracker);
                }
            }
        }
    }

    // ---- monitor -----------------------------------------------------------------------

    void observe(String hostId, Observation observation) {
        if (!active()) {
            return;
        }
        react(hostId, tracker -> tracker.observe(observation));
        firstSweep.observed(hostId);
    }

    void tickAll() {
        if (!active()) {
            return;
        }
        for (HostTracker tracker : trackers.values()) {
            // once a second for every host: most have nothing timed, and a reaction for each of 10,000
            // hosts was a large part of a big fleet's monitoring CPU (benchmark 10)
            if (tracker.hasTimers()) {
                react(tracker.hostId(), HostTracker::tick);
            }
        }
    }

    private Reaction react(String hostId, Function<HostTracker, Reaction> change) {
        HostTracker tracker = trackers.get(hostId);
        // one host's messages leave in the order its tracker made them
        synchronized (tracker) {
            Reaction reaction = change.apply(tracker);
            gatewayViews.put(hostId, tracker.gatewayView());
            // before the events go out: a restart after them finds what they announced
            saveFollowed(tracker);
            if (reaction.isStateChanged()) {
                // before the state message too: a client that reads it and then scrapes sees that state
                // (HealthAndMetricsIT once read "starting" just after the "online" message)
                metrics.hostState(hostId, tracker.state().wireName(), STATES);
            }
            for (Map<String, Object> event : reaction.events()) {
                publishEvent(hostId, event);
            }
            if (reaction.isStateMessageChanged()) {
                publishState(tracker);
            }
            if (reaction.isResendWake()) {
                template.asyncSend("direct:wol-packets", e -> e.getMessage().setHeader(CommandExchange.HOST_HEADER, hostId));
            }
            if (reaction.isIdleShutdown()) {
                requestIdleShutdown(hostId);
            }
            return reaction;
        }
    }

    private void saveFollowed(HostTracker tracker) {
        FollowedWork work = tracker.followed();
        // a host with nothing saved has nothing followed: without the default, every host's first
        // probe wrote (deleted) its entry, 10,000 store writes in a large fleet's first sweep
        if (!work.equals(savedWork.getOrDefault(tracker.hostId(), FollowedWork.NOTHING))) {
            followedStore.save(FOLLOWED, tracker.hostId(), work.isNothing() ? null : work.toBytes());
            savedWork.put(tracker.hostId(), work);
        }
    }

    /**
     * A standby of a share group learns each host's idle setting from the active member's
     * state (route group-witness), keeps it, and so still has it after a takeover. The active
     * member ignores its own states: it made them.
     */
    public void learnIdle(String hostId, boolean enabled, java.time.Instant offUntil) {
        HostTracker tracker = trackers.get(hostId);
        if (tracker == null || active()) {
            return;
        }
        synchronized (tracker) {
            tracker.learnIdle(enabled, offUntil);
            saveFollowed(tracker);
        }
    }

    /**
     * On taking over a share group: a wake, shutdown or reboot the previous active member
     * answered and had not seen through is followed here, under its id, as if answered here.
     */
    public void adopt(String hostId, String action, String commandId, java.time.Instant at, java.time.Instant scheduledFor,
            boolean wentDown) {
        HostTracker tracker = trackers.get(hostId);
        if (tracker == null) {
            return;
        }
        synchronized (tracker) {
            if (tracker.adopt(action, commandId, at, scheduledFor, wentDown)) {
                LOG.info("Host {}: following {} {} of the share group's previous active worker", hostId, action, commandId);
            }
            saveFollowed(tracker);
        }
    }

    // ---- gateway (v1.1) -----------------------------------------------------------------

    /**
     * Read by the gateway's event loops: the copy made after the tracker's latest change, so a
     * player's connection never waits for the tracker's lock (held while its messages go out).
     */
    public GatewayView gatewayView(String hostId) {
        GatewayView view = gatewayViews.get(hostId);
        return view != null ? view : trackers.get(hostId).gatewayView();
    }

    /** Players connected through the gateway's proxy: they keep idle shutdown away. */
    public void gatewayPlayers(String hostId, int connected) {
        react(hostId, tracker -> tracker.gatewayPlayers(connected));
    }

    /** An event made elsewhere (the gateway, the game stop), in this host's order with its own events. */
    public void announce(String hostId, Map<String, Object> event) {
        synchronized (trackers.get(hostId)) {
            publishEvent(hostId, event);
        }
    }

    /** A command through the broker, like any client's: the same checks, result and events apply. */
    public void requestCommand(String hostId, String action, Map<String, Object> payload) {
        publish(baseTopic + "/" + hostId + "/cmd/" + action, payload, false);
    }

    private void requestIdleShutdown(String hostId) {
        // through the broker, like any client: the same rules, result and events apply. The id is
        // the minute's, so two members of a share group overlapping in a takeover shut down once
        String id = dev.cubeguardian.command.DerivedIds.of("idle", hostId, null, clock.instant());
        LOG.info("Host {} has been idle long enough: requesting shutdown {}", hostId, id);
        publish(baseTopic + "/" + hostId + "/cmd/shutdown",
                Map.of("id", id, "requested_by", "cubeguardian:idle"), false);
    }

    private void publishEvent(String hostId, Map<String, Object> event) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("v", 1);
        message.put("host", hostId);
        message.putAll(event);
        message.put("timestamp", ResultFactory.TIMESTAMP.format(clock.instant()));
        publish(baseTopic + "/" + hostId + "/event", message, false);
    }

    private void publishState(HostTracker tracker) {
        if (tracker.state() == HostState.UNKNOWN && tracker.snapshot().last() == null) {
            return;
        }
        Map<String, Object> json = tracker.snapshot().toJson();
        HostConfig host = inventory.hosts().get(tracker.hostId());
        if (!host.schedule().isEmpty()) {
            // v1.1: a host with a schedule says when it next wakes and shuts down by itself
            json.put("next_wake", scheduled(tracker.hostId(), "wake"));
            json.put("next_shutdown", scheduled(tracker.hostId(), "shutdown"));
        }
        publish(baseTopic + "/" + tracker.hostId() + "/state", json, true);
        refresh.published(tracker.hostId(), clock.millis());
    }

    private String scheduled(String hostId, String action) {
        java.time.ZonedDateTime at = nextScheduled.apply(hostId, action);
        return at == null ? null : ResultFactory.TIMESTAMP.format(at);
    }

    /** Where the next scheduled wake and shutdown of a host come from (the scheduler). */
    public void scheduleFrom(java.util.function.BiFunction<String, String, java.time.ZonedDateTime> next) {
        this.nextScheduled = next;
    }

    private volatile org.apache.camel.Endpoint mqttPublish;

    /** Looked up once: by its URI, every state and event looked the endpoint up again (benchmark 10's refresh, 170 a second). */
    private org.apache.camel.Endpoint publishEndpoint() {
        org.apache.camel.Endpoint found = mqttPublish;
        if (found == null) {
            found = template.getCamelContext().getEndpoint("direct:mqtt-publish");
            mqttPublish = found;
        }
        return found;
    }

    private void publish(String topic, Map<String, Object> payload, boolean retained) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Exchange done = template.send(publishEndpoint(), e -> {
            e.getMessage().setBody(body);
            MqttOut.address(e.getMessage(), topic, retained, null);
        });
        if (done.getException() != null) {
            LOG.warn("Could not publish on {}: {}", topic, done.getException().getMessage());
        }
    }
}
