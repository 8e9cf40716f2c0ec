package dev.cubeguardian.state;

import dev.cubeguardian.probe.Observation;

import dev.cubeguardian.command.Action;
import dev.cubeguardian.config.HostConfig;
import dev.cubeguardian.config.IdleSettings;
import dev.cubeguardian.probe.ServiceStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The state machine of one host, fed by probe observations, by the commands that ran and by
 * the passing of time. It decides the state, tells how a wake, a shutdown or a reboot is going
 * and when it is done, follows players, and runs the idle auto-shutdown timers. Pure logic: it publishes
 * nothing itself and is driven under its own lock.
 *
 * <p>Going up is believed at once (an answer cannot be faked by a lost packet); going down needs
 * {@code downConfirmations} probes in a row, so one lost ping never flaps the state.
 */
public final class HostTracker {

    private final HostConfig host;
    private final LifecycleSettings settings;
    private final Clock clock;

    private HostState state = HostState.UNKNOWN;
    private Instant since;
    private Instant updated;
    private Observation last;
    private int level = -1;
    private int lowerLevel = -1;
    private int lowerCount;
    private Instant onlineSince;
    private Set<String> players = new LinkedHashSet<>();
    private Integer playersOnline;
    private String lastVersion;
    private ServiceStatus lastAnswer;
    private final StartupHistory startups = new StartupHistory();
    /** Players connected through the gateway's proxy right now (v1.1); they count for idle shutdown. */
    private int gatewayPlayers;

    private WakeIntent wake;
    private ShutdownIntent shutdown;
    private RebootIntent reboot;
    private Instant idleSince;
    private Instant idleGraceEnds;
    /**
     * When this tracker last asked for an idle shutdown. The request goes round the broker and
     * the host's lane before {@link #shutdownSent} marks the host stopping; in between, an empty
     * game with a short {@code idle.after} looked idle anew and got a second countdown.
     */
    private Instant idleRequestedAt;
    /** How long an idle shutdown request may take to be answered before idleness counts again. */
    private static final Duration IDLE_REQUEST_PATIENCE = Duration.ofMinutes(2);
    /** Idle shutdown turned off at run time (cmd/idle); until null: until turned on again. */
    private boolean idleOff;
    private Instant idleOffUntil;
    private Instant fastUntil;

    private record WakeIntent(String id, Instant startedAt, Instant deadline, boolean hostUpSeen, Instant nextResend) {
    }

    private record ShutdownIntent(String id, Instant sentAt, Instant scheduledFor, Instant deadline) {
    }

    /**
     * A reboot being followed (v1.1). Right after its command the host still answers, so it is
     * not done until the confirmed level has dropped below {@code levelAtStart} (the game, or the
     * host itself, stopped answering: {@code wentDown}) and everything answers again. A host
     * whose probe found nothing even before (level 0, yet SSH reached it) has nothing to see go
     * down. The whole follow ends at {@code deadline}: the host's startup timeout.
     */
    private record RebootIntent(String id, Instant sentAt, Instant deadline, int levelAtStart, boolean wentDown,
            boolean hostDownSeen, boolean hostUpSeen) {

        RebootIntent down(boolean hostDown) {
            return new RebootIntent(id, sentAt, deadline, levelAtStart, true, hostDownSeen || hostDown, hostUpSeen);
        }

        RebootIntent hostUp() {
            return new RebootIntent(id, sentAt, deadline, levelAtStart, wentDown, hostDownSeen, true);
        }
    }

    public HostTracker(HostConfig host, LifecycleSettings settings, Clock clock) {
        this.host = host;
        this.settings = settings;
        this.clock = clock;
        this.since = clock.instant();
        this.updated = since;
    }

    public String hostId() {
        return host.id();
    }

    public synchronized HostState state() {
        return state;
    }

    /** Probe fast while something is changing or the state is not known yet. */
    public synchronized boolean inTransition() {
        // "starting" without a wake (host up, game down), or an online host that stopped answering,
        // is probed fast for as long as a start may take (timeouts.startup), so a game started or
        // restarted by hand is seen at once; after that, at the steady pace
        boolean startingRecently = fastUntil != null && clock.instant().isBefore(fastUntil);
        // a probe found less than the state says: confirm or refute it now, not a steady interval
        // per confirmation (three of them took 30 to 45 s to notice a game that stopped)
        boolean confirmingLower = lowerCount > 0;
        return wake != null || reboot != null || confirmingLower
                || shutdown != null && !clock.instant().isBefore(shutdown.scheduledFor())
                || state == HostState.UNKNOWN || state == HostState.WAKING || state == HostState.STOPPING
                || startingRecently || idleGraceEnds != null;
    }

    /**
     * When to probe next: soon while something changes, else at the steady pace, but never
     * later than a scheduled shutdown's time, so its "stopping" is seen when it starts.
     */
    public synchronized Duration nextProbeIn(Duration fast, Duration steady) {
        if (inTransition()) {
            return fast;
        }
        if (shutdown != null) {
            Duration untilScheduled = Duration.between(clock.instant(), shutdown.scheduledFor());
            return untilScheduled.compareTo(steady) < 0 ? untilScheduled.plus(fast) : steady;
        }
        return steady;
    }

    public synchronized StateSnapshot snapshot() {
        return new StateSnapshot(host.id(), state, since, updated, last, lastVersion,
                host.idle().enabled() ? new StateSnapshot.Idle(!idleOff, idleOffUntil) : null,
                shutdown == null ? null : shutdown.scheduledFor());
    }

    /** What this tracker follows, to keep on disk (v1.1). */
    public synchronized FollowedWork followed() {
        return new FollowedWork(wake == null ? null : wake.id(), wake == null ? null : wake.startedAt(),
                wake == null ? null : wake.deadline(),
                shutdown == null ? null : shutdown.id(), shutdown == null ? null : shutdown.sentAt(),
                shutdown == null ? null : shutdown.scheduledFor(), shutdown == null ? null : shutdown.deadline(),
                idleGraceEnds == null ? null : idleSince, idleGraceEnds, idleOff ? Boolean.TRUE : null, idleOffUntil,
                reboot == null ? null : reboot.id(), reboot == null ? null : reboot.sentAt(),
                reboot == null ? null : reboot.deadline(), reboot == null ? null : reboot.wentDown());
    }

    /**
     * After a restart: takes up what the previous run followed, unless its time is over. The
     * first probe then moves it on as if the worker had never stopped (a wake that is up by now
     * completes ONLINE with its original id).
     */
    public synchronized void resume(FollowedWork work) {
        Instant now = clock.instant();
        if (work.wakeId() != null && work.wakeDeadline() != null && now.isBefore(work.wakeDeadline())) {
            wake = new WakeIntent(work.wakeId(), work.wakeStartedAt(), work.wakeDeadline(), false,
                    now.plus(settings.wakeResendAfter()));
        }
        if (work.shutdownId() != null && work.shutdownDeadline() != null && now.isBefore(work.shutdownDeadline())) {
            shutdown = new ShutdownIntent(work.shutdownId(), work.shutdownSentAt(), work.shutdownScheduledFor(),
                    work.shutdownDeadline());
        }
        if (work.rebootId() != null && work.rebootDeadline() != null && now.isBefore(work.rebootDeadline())) {
            // not seen down yet: it must still be, as a host fully up now may simply not have begun
            boolean down = Boolean.TRUE.equals(work.rebootWentDown());
            reboot = new RebootIntent(work.rebootId(), work.rebootSentAt(), work.rebootDeadline(), 2, down, down, false);
        }
        if (work.idleGraceEnds() != null && now.isBefore(work.idleGraceEnds())) {
            idleSince = work.idleSince();
            idleGraceEnds = work.idleGraceEnds();
        }
        if (Boolean.TRUE.equals(work.idleOff()) && (work.idleOffUntil() == null || now.isBefore(work.idleOffUntil()))) {
            idleOff = true;
            idleOffUntil = work.idleOffUntil();
        }
    }

    public synchronized GatewayView gatewayView() {
        return new GatewayView(state, lastAnswer, startups.estimate(), wake == null ? null : wake.startedAt());
    }

    /**
     * The gateway opened or closed a proxied connection. One that opens ends an idle countdown at
     * once, without waiting for the next probe to see the player.
     */
    public synchronized Reaction gatewayPlayers(int connected) {
        Reaction reaction = new Reaction();
        gatewayPlayers = Math.max(0, connected);
        idle(reaction);
        return reaction;
    }

    /** The conflicting operation, if the action would fight the one under way. */
    public synchronized Optional<String> conflict(Action action) {
        boolean changesPower = action == Action.WAKE || action == Action.SHUTDOWN || action == Action.REBOOT;
        if (changesPower && reboot != null) {
            return Optional.of("rebooting");
        }
        if (action == Action.WAKE && state == HostState.STOPPING) {
            return Optional.of("stopping");
        }
        if ((action == Action.SHUTDOWN || action == Action.REBOOT) && wake != null) {
            return Optional.of("waking");
        }
        if (action == Action.REBOOT && shutdown != null) {
            // a reboot would end the host's own scheduled shutdown, and its "down" would look like that shutdown done
            return Optional.of(state == HostState.STOPPING ? "stopping" : "shutdown_scheduled");
        }
        return Optional.empty();
    }

    public synchronized Reaction observe(Observation observation) {
        Reaction reaction = new Reaction();
        last = observation;
        updated = observation.at();
        int observed = observation.level();
        if (level < 0 || observed >= level) {
            level = observed;
            lowerCount = 0;
        } else {
            // every probe below the current level counts; once confirmed, take the best of them
            lowerLevel = lowerCount == 0 ? observed : Math.max(lowerLevel, observed);
            lowerCount++;
            if (lowerCount >= settings.downConfirmations()) {
                level = lowerLevel;
                lowerCount = 0;
            }
        }
        followPlayers(observation.service(), reaction);
        if (observation.service() != null && observation.service().version() != null) {
            lastVersion = observation.service().version();
            lastAnswer = observation.service();
        }
        progress(reaction);
        settle(reaction);
        idle(reaction);
        return reaction;
    }

    public synchronized Reaction wakeSent(String commandId) {
        Reaction reaction = new Reaction();
        Instant now = clock.instant();
        if (wake == null) {
            wake = new WakeIntent(commandId, now, now.plus(host.timeouts().startup()), false,
                    now.plus(settings.wakeResendAfter()));
        }
        progressEvent(reaction, "wake", wake.id(), "packet_sent", wake.startedAt());
        progress(reaction);
        settle(reaction);
        return reaction;
    }

    public synchronized Reaction shutdownSent(String commandId, int delayMinutes) {
        Reaction reaction = new Reaction();
        Instant now = clock.instant();
        Instant at = now.plusSeconds(60L * delayMinutes);
        if (shutdown != null) {
            completed(reaction, "shutdown", shutdown.id(), "REPLACED", false, shutdown.sentAt()).put("replaced_by", commandId);
        }
        shutdown = new ShutdownIntent(commandId, now, at, shutdownDeadline(at));
        clearIdle(reaction, "shutdown_requested");
        idleRequestedAt = null;
        reaction.stateMessageChanged();   // the retained state says when (shutdown_at)
        var event = progressEvent(reaction, "shutdown", commandId, delayMinutes == 0 ? "command_sent" : "scheduled", now);
        event.put("scheduled_for", dev.cubeguardian.command.ResultFactory.TIMESTAMP.format(at));
        progress(reaction);
        settle(reaction);
        return reaction;
    }

    private Instant shutdownDeadline(Instant at) {
        // a graceful game stop (minecraft.rcon) may take its stop-timeout before the host's own shutdown runs
        Duration gameStop = host.minecraft().flatMap(m -> m.rcon()).filter(r -> r.stopGame())
                .map(r -> r.stopTimeout()).orElse(Duration.ZERO);
        return at.plus(host.timeouts().shutdown()).plus(gameStop);
    }

    /**
     * A wake, shutdown or reboot that the share group's previous active member answered at
     * {@code at} and had not seen through: followed from here, its deadline counted from the
     * original time, its {@code completed} under the original id; a reboot the previous member
     * saw go down ({@code wentDown}) is back once online. Nothing is published now
     * (the previous member announced it); what this tracker already follows is kept.
     *
     * @return whether it is followed here (false: past its deadline, or this one follows its own)
     */
    public synchronized boolean adopt(String action, String commandId, Instant at, Instant scheduledFor, boolean wentDown) {
        Instant now = clock.instant();
        switch (action) {
            case "wake" -> {
                Instant deadline = at.plus(host.timeouts().startup());
                if (wake != null || !now.isBefore(deadline)) {
                    return false;
                }
                wake = new WakeIntent(commandId, at, deadline, false, now.plus(settings.wakeResendAfter()));
            }
            case "shutdown" -> {
                Instant when = scheduledFor == null ? at : scheduledFor;
                Instant deadline = shutdownDeadline(when);
                if (shutdown != null || !now.isBefore(deadline)) {
                    return false;
                }
                shutdown = new ShutdownIntent(commandId, at, when, deadline);
            }
            case "reboot" -> {
                Instant deadline = at.plus(host.timeouts().startup());
                if (reboot != null || !now.isBefore(deadline)) {
                    return false;
                }
                // not seen down by the previous member: it must still go down before it counts as back
                reboot = new RebootIntent(commandId, at, deadline, 2, wentDown, wentDown, false);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * REBOOT_SENT: followed until the host has gone down and is online again, or its startup
     * timeout has passed. Until it is seen going down the state is {@code stopping}; then
     * {@code waking} (nothing answers) and {@code starting} (the host answers, its game not yet).
     */
    public synchronized Reaction rebootSent(String commandId) {
        Reaction reaction = new Reaction();
        Instant now = clock.instant();
        // never probed yet (the worker just started): assume it is up, as SSH just reached it
        int atStart = level < 0 ? 2 : level;
        boolean nothingToSee = atStart == 0;
        reboot = new RebootIntent(commandId, now, now.plus(host.timeouts().startup()), atStart, nothingToSee, nothingToSee,
                false);
        clearIdle(reaction, "reboot_requested");
        progressEvent(reaction, "reboot", commandId, "command_sent", now);
        progress(reaction);
        settle(reaction);
        return reaction;
    }

    public synchronized Reaction shutdownCancelled(String commandId) {
        Reaction reaction = new Reaction();
        if (shutdown != null) {
            completed(reaction, "shutdown", shutdown.id(), "CANCELLED", false, shutdown.sentAt())
                    .put("cancelled_by", commandId);
            shutdown = null;
            reaction.stateMessageChanged();
        }
        settle(reaction);
        return reaction;
    }

    /** The passing of time: startup and shutdown deadlines, wake resends, the idle grace period. */
    /**
     * Whether {@link #tick} can change anything: only a wake, shutdown or reboot being followed, an
     * idle grace running or idle shutdown turned off until a time are moved on by time alone.
     */
    public synchronized boolean hasTimers() {
        return wake != null || shutdown != null || reboot != null || idleGraceEnds != null || idleOff && idleOffUntil != null;
    }

    public synchronized Reaction tick() {
        Reaction reaction = new Reaction();
        Instant now = clock.instant();
        resumeIdleIfDue(reaction);
        if (wake != null && !wake.hostUpSeen() && !now.isBefore(wake.nextResend()) && now.isBefore(wake.deadline())) {
            reaction.resendWake();
            progressEvent(reaction, "wake", wake.id(), "packet_resent", wake.startedAt());
            wake = new WakeIntent(wake.id(), wake.startedAt(), wake.deadline(), false, now.plus(settings.wakeResendAfter()));
        }
        if (wake != null && !now.isBefore(wake.deadline())) {
            completed(reaction, "wake", wake.id(), "STARTUP_TIMEOUT", false, wake.startedAt());
            wake = null;
            if (level < 2) {
                // it was woken and should be up by now, but it (or its game) does not answer
                moveTo(HostState.UNREACHABLE, reaction);
            }
        }
        if (reboot != null && !now.isBefore(reboot.deadline())) {
            // went_down tells "it never went down" (the command did nothing visible) from "it did not come back"
            completed(reaction, "reboot", reboot.id(), "STARTUP_TIMEOUT", false, reboot.sentAt())
                    .put("went_down", reboot.wentDown());
            boolean cameBack = level == 2;
            reboot = null;
            if (!cameBack) {
                moveTo(HostState.UNREACHABLE, reaction);
            }
        }
        if (shutdown != null && !now.isBefore(shutdown.deadline())) {
            completed(reaction, "shutdown", shutdown.id(), "SHUTDOWN_TIMEOUT", false, shutdown.scheduledFor());
            shutdown = null;
            reaction.stateMessageChanged();
        }
        if (idleGraceEnds != null && !now.isBefore(idleGraceEnds)) {
            idleGraceEnds = null;
            idleSince = null;
            idleRequestedAt = now;
            reaction.idleShutdown();
        }
        settle(reaction);
        return reaction;
    }

    private void progress(Reaction reaction) {
        Instant now = clock.instant();
        if (wake != null) {
            if (level >= 1 && !wake.hostUpSeen()) {
                wake = new WakeIntent(wake.id(), wake.startedAt(), wake.deadline(), true, wake.nextResend());
                progressEvent(reaction, "wake", wake.id(), "host_up", wake.startedAt());
            }
            if (level == 2) {
                if (host.minecraft().isPresent()) {
                    progressEvent(reaction, "wake", wake.id(), "service_up", wake.startedAt());
                }
                completed(reaction, "wake", wake.id(), "ONLINE", true, wake.startedAt());
                startups.record(Duration.between(wake.startedAt(), now));
                wake = null;
            }
        }
        if (reboot != null) {
            followReboot(reaction);
        }
        // down while a shutdown is pending is the shutdown done, even before its time (someone was quicker)
        if (shutdown != null && level == 0) {
            progressEvent(reaction, "shutdown", shutdown.id(), "host_down", shutdown.scheduledFor());
            completed(reaction, "shutdown", shutdown.id(), "OFFLINE", true, shutdown.scheduledFor());
            shutdown = null;
            moveTo(HostState.OFF, reaction);
        }
    }

    /** A reboot is done once the host has been seen going down and everything answers again. */
    private void followReboot(Reaction reaction) {
        if (!reboot.wentDown() && level < reboot.levelAtStart()) {
            reboot = reboot.down(level == 0);
            progressEvent(reaction, "reboot", reboot.id(), "went_down", reboot.sentAt());
        }
        if (!reboot.wentDown()) {
            return;
        }
        if (level == 0 && !reboot.hostDownSeen()) {
            reboot = reboot.down(true);
        }
        if (level >= 1 && reboot.hostDownSeen() && !reboot.hostUpSeen()) {
            reboot = reboot.hostUp();
            progressEvent(reaction, "reboot", reboot.id(), "host_up", reboot.sentAt());
        }
        if (level == 2) {
            if (host.minecraft().isPresent()) {
                progressEvent(reaction, "reboot", reboot.id(), "service_up", reboot.sentAt());
            }
            completed(reaction, "reboot", reboot.id(), "ONLINE", true, reboot.sentAt());
            reboot = null;
        }
    }

    /** Derives the state from what is confirmed and what is under way. */
    private void settle(Reaction reaction) {
        if (level < 0) {
            return;
        }
        Instant now = clock.instant();
        HostState next;
        if (shutdown != null && !now.isBefore(shutdown.scheduledFor())) {
            next = level == 0 ? HostState.OFF : HostState.STOPPING;
        } else if (reboot != null) {
            // still up: on its way down; then coming back, as after a wake
            next = !reboot.wentDown() ? HostState.STOPPING : level == 0 ? HostState.WAKING : HostState.STARTING;
        } else if (wake != null) {
            next = level == 0 ? HostState.WAKING : level == 1 ? HostState.STARTING : HostState.ONLINE;
        } else if (level == 2) {
            next = HostState.ONLINE;
        } else if (level == 1) {
            // the game was running and stopped while the host stayed up: it should answer but does not
            next = state == HostState.ONLINE || state == HostState.UNREACHABLE ? HostState.UNREACHABLE : HostState.STARTING;
        } else {
            next = state == HostState.ONLINE || state == HostState.STARTING || state == HostState.UNREACHABLE
                    ? HostState.UNREACHABLE : HostState.OFF;
        }
        moveTo(next, reaction);
    }

    private void moveTo(HostState next, Reaction reaction) {
        if (next == state) {
            return;
        }
        Map<String, Object> event = reaction.event("state");
        event.put("from", state.wireName());
        event.put("to", next.wireName());
        boolean mayComeBackSoon = next == HostState.STARTING
                || next == HostState.UNREACHABLE && state == HostState.ONLINE;
        state = next;
        since = clock.instant();
        fastUntil = mayComeBackSoon ? since.plus(host.timeouts().startup()) : null;
        onlineSince = next == HostState.ONLINE ? since : onlineSince;
        if (next != HostState.ONLINE) {
            onlineSince = null;
            clearIdle(reaction, "state_changed");
        }
        reaction.stateChanged();
    }

    private void followPlayers(ServiceStatus service, Reaction reaction) {
        if (service == null || !service.reachable() || service.playersOnline() == null) {
            return;
        }
        Set<String> now = new LinkedHashSet<>(service.players());
        // the sample is a partial list on big servers: names are reported only while it is complete
        boolean complete = now.size() == service.playersOnline();
        if (complete && playersOnline != null) {
            for (String name : now) {
                if (!players.contains(name)) {
                    reaction.event("player_joined").put("player", name);
                }
            }
            for (String name : players) {
                if (!now.contains(name)) {
                    reaction.event("player_left").put("player", name);
                }
            }
        }
        if (playersOnline != null && !playersOnline.equals(service.playersOnline())) {
            var event = reaction.event("players");
            event.put("players_online", service.playersOnline());
            event.put("previous", playersOnline);
        }
        players = complete ? now : players;
        playersOnline = service.playersOnline();
    }

    /**
     * cmd/idle: idle shutdown off (for a while, or until turned on) or on again. Turning it off
     * ends an idle countdown under way. The state is republished: it carries the setting.
     */
    public synchronized Reaction setIdle(boolean enabled, Duration offFor) {
        Reaction reaction = new Reaction();
        idleOff = !enabled;
        idleOffUntil = enabled || offFor == null ? null : clock.instant().plus(offFor);
        if (!enabled) {
            clearIdle(reaction, "idle_disabled");
        }
        reaction.stateChanged();
        return reaction;
    }

    /**
     * The setting another member of the share group holds (its retained state), so this one
     * keeps it on taking over. A standby counts no idleness, so there is no countdown to end and
     * nothing to publish; the active member has said it all.
     */
    public synchronized void learnIdle(boolean enabled, Instant offUntil) {
        idleOff = !enabled && (offUntil == null || clock.instant().isBefore(offUntil));
        idleOffUntil = idleOff ? offUntil : null;
        if (idleOff) {
            idleGraceEnds = null;
            idleSince = null;
        }
    }

    /** When idle shutdown is off until a time: null when it is on, or off until turned on again. */
    public synchronized Instant idleOffUntil() {
        return idleOffUntil;
    }

    private void idle(Reaction reaction) {
        IdleSettings idle = host.idle();
        resumeIdleIfDue(reaction);
        if (!idle.enabled() || idleOff || state != HostState.ONLINE || shutdown != null || wake != null || reboot != null) {
            return;
        }
        Instant now = clock.instant();
        if (idleRequestedAt != null) {
            if (now.isBefore(idleRequestedAt.plus(IDLE_REQUEST_PATIENCE))) {
                return;   // the idle shutdown is on its way; a refused or lost one lets idleness count again after
            }
            idleRequestedAt = null;
        }
        if (gatewayPlayers > 0) {
            // someone is playing through the gateway, whatever the status ping says (or does not say)
            clearIdle(reaction, "player_joined");
            return;
        }
        if (playersOnline == null || last == null || last.service() == null || !last.service().reachable()) {
            // no game, or one that does not say how many play: never guess that nobody does
            return;
        }
        if (playersOnline > 0) {
            clearIdle(reaction, "player_joined");
            return;
        }
        if (idleSince == null) {
            idleSince = now;
        }
        boolean idleLongEnough = !now.isBefore(idleSince.plus(idle.after()));
        boolean upLongEnough = onlineSince != null && !now.isBefore(onlineSince.plus(idle.minimumUptime()));
        if (idleGraceEnds == null && idleLongEnough && upLongEnough) {
            idleGraceEnds = now.plus(idle.grace());
            var event = reaction.event("idle_warning");
            event.put("idle_s", Duration.between(idleSince, now).toSeconds());
            event.put("shutdown_in_s", idle.grace().toSeconds());
        }
    }

    private void resumeIdleIfDue(Reaction reaction) {
        if (idleOff && idleOffUntil != null && !clock.instant().isBefore(idleOffUntil)) {
            // the time the user asked for is over: idle shutdown is back on, and the state says so
            idleOff = false;
            idleOffUntil = null;
            reaction.stateChanged();
        }
    }

    private void clearIdle(Reaction reaction, String reason) {
        if (idleGraceEnds != null && reason != null) {
            reaction.event("idle_cancelled").put("reason", reason);
        }
        idleGraceEnds = null;
        idleSince = null;
    }

    private Map<String, Object> progressEvent(Reaction reaction, String action, String id, String phase, Instant from) {
        Map<String, Object> event = reaction.event("progress");
        event.put("action", action);
        event.put("id", id);
        event.put("phase", phase);
        event.put("elapsed_s", Math.max(0, Duration.between(from, clock.instant()).toSeconds()));
        return event;
    }

    private Map<String, Object> completed(Reaction reaction, String action, String id, String code,
            boolean success, Instant from) {
        Map<String, Object> event = reaction.event("completed");
        event.put("action", action);
        event.put("id", id);
        event.put("success", success);
        event.put("code", code);
        event.put("elapsed_s", Math.max(0, Duration.between(from, clock.instant()).toSeconds()));
        return event;
    }

    List<String> playerNames() {
        return new ArrayList<>(players);
    }
}
