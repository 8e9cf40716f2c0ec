package dev.cubeguardian.schedule;

import dev.cubeguardian.config.HostConfig;
import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.config.ScheduleEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires every host's schedule (v1.1): at each time of an entry's cron expression, in the
 * inventory's time zone, it publishes the entry's command on the broker like any client
 * ({@code requested_by: cubeguardian:schedule}, a deterministic id). Times missed while the
 * worker was down are not made up: the plan starts at the first time after the start. A time it
 * reaches a little late (a busy machine, at most {@link #LATE_LIMIT}) still fires; one reached
 * later (the machine was suspended, the clock jumped) is skipped with a warning.
 */
public final class Scheduler extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    /** Checked at least this often, so a changed system clock is noticed. */
    static final Duration MAX_SLEEP = Duration.ofSeconds(30);
    /** A firing reached this late still fires; later (the machine was suspended) it is skipped. */
    static final Duration LATE_LIMIT = Duration.ofMinutes(2);
    /** next_schedule times in the schedule's own zone: 2026-12-04T18:00:00+01:00. */
    static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");
    static final String REQUESTED_BY = "cubeguardian:schedule";

    /** Publishes one command for a host: (host, action, payload). */
    public interface CommandSink {
        void publish(String host, String action, Map<String, Object> payload);
    }

    /** Runs the next due-check after a delay: a scheduled executor in production, the test's hand otherwise. */
    interface Timer {
        Future<?> schedule(Runnable check, Duration delay);
    }

    private record Planned(String host, ScheduleEntry entry, ZonedDateTime at) {
    }

    private record Firing(String host, ScheduleEntry entry, ZonedDateTime at) {
    }

    private final ZoneId zone;
    private final Clock clock;
    private final CommandSink commands;
    private final Runnable scheduleMoved;
    private final Timer timer;
    private final List<Planned> planned = new ArrayList<>();
    private Future<?> wakeUp;

    /**
     * @param scheduleMoved called after a due-check moved an entry's next time (bridge/info and the states are republished)
     */
    public Scheduler(Inventory inventory, Clock clock, CommandSink commands, Runnable scheduleMoved,
            ScheduledExecutorService timer) {
        this(inventory, clock, commands, scheduleMoved,
                (check, delay) -> timer.schedule(check, delay.toMillis(), TimeUnit.MILLISECONDS));
    }

    Scheduler(Inventory inventory, Clock clock, CommandSink commands, Runnable scheduleMoved, Timer timer) {
        this.zone = inventory.timeZone();
        this.clock = clock;
        this.commands = commands;
        this.scheduleMoved = scheduleMoved;
        this.timer = timer;
        for (HostConfig host : inventory.hosts().values()) {
            for (ScheduleEntry entry : host.schedule()) {
                planned.add(new Planned(host.id(), entry, null));
            }
        }
        plan();
    }

    /** Every entry's first time after now: what was due before is not made up. */
    private synchronized void plan() {
        ZonedDateTime now = clock.instant().atZone(zone);
        planned.replaceAll(p -> new Planned(p.host(), p.entry(), ScheduleTimes.next(p.entry(), now, zone).orElse(null)));
    }

    /** Each host's next firing per entry, in entry order, for bridge/info's next_schedule. */
    public synchronized Map<String, List<Map<String, Object>>> next() {
        Map<String, List<Map<String, Object>>> next = new LinkedHashMap<>();
        for (Planned plan : planned) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("action", plan.entry().action());
            entry.put("at", plan.at() == null ? null : AT.format(plan.at()));
            next.computeIfAbsent(plan.host(), host -> new ArrayList<>()).add(entry);
        }
        return next;
    }

    /** The soonest next time of a host's entries with this action; null when it has none. */
    public synchronized ZonedDateTime nextOf(String host, String action) {
        return planned.stream().filter(p -> p.host().equals(host) && p.entry().action().equals(action) && p.at() != null)
                .map(Planned::at).min(ZonedDateTime::compareTo).orElse(null);
    }

    public boolean isEmpty() {
        return planned.isEmpty();
    }

    @Override
    protected synchronized void doStart() {
        if (!planned.isEmpty()) {
            // from the start, not from when the worker was configured: a time passed meanwhile is not made up
            plan();
            planned.forEach(p -> LOG.info("Schedule of {}: {} at \"{}\" ({}), next {}", p.host(), p.entry().action(),
                    p.entry().expression(), zone, p.at()));
            sleep();
        }
    }

    @Override
    protected synchronized void doStop() {
        if (wakeUp != null) {
            wakeUp.cancel(false);
            wakeUp = null;
        }
    }

    private synchronized void sleep() {
        ZonedDateTime now = clock.instant().atZone(zone);
        Duration until = MAX_SLEEP;
        for (Planned plan : planned) {
            if (plan.at() != null) {
                Duration left = Duration.between(now, plan.at());
                until = left.compareTo(until) < 0 ? left : until;
            }
        }
        wakeUp = timer.schedule(this::check, until.isNegative() ? Duration.ZERO : until);
    }

    /**
     * One due-check at the clock's instant: every time that has come (at most {@link #LATE_LIMIT}
     * ago) is published once, each entry moves on to its next time, and, while the service runs,
     * the next check is set. The commands leave outside the lock, so bridge/info and the states
     * can read the plan meanwhile.
     */
    void check() {
        List<Firing> due = new ArrayList<>();
        boolean moved = false;
        synchronized (this) {
            ZonedDateTime now = clock.instant().atZone(zone);
            ZonedDateTime oldest = now.minus(LATE_LIMIT);
            for (int i = 0; i < planned.size(); i++) {
                Planned plan = planned.get(i);
                ZonedDateTime at = plan.at();
                if (at == null || at.isAfter(now)) {
                    continue;
                }
                if (at.isBefore(oldest)) {
                    LOG.warn("Schedule of {}: {} due at {} skipped, {} late (the machine was asleep or the clock changed);"
                            + " so is every other time more than {} ago", plan.host(), plan.entry().action(), at,
                            Duration.between(at, now), LATE_LIMIT);
                    // the first time that is not too late yet (a time exactly LATE_LIMIT ago still fires)
                    at = ScheduleTimes.next(plan.entry(), oldest.minusNanos(1), zone).orElse(null);
                }
                while (at != null && !at.isAfter(now)) {
                    due.add(new Firing(plan.host(), plan.entry(), at));
                    at = ScheduleTimes.next(plan.entry(), at, zone).orElse(null);
                }
                planned.set(i, new Planned(plan.host(), plan.entry(), at));
                moved = true;
            }
            if (isStarted() || isStarting()) {
                sleep();
            }
        }
        due.forEach(this::fire);
        if (moved) {
            scheduleMoved.run();
        }
    }

    private void fire(Firing firing) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", ScheduleIds.of(firing.host(), firing.entry().action(), firing.at()));
        payload.put("requested_by", REQUESTED_BY);
        if (firing.entry().delayMinutes() != null) {
            payload.put("delay_minutes", firing.entry().delayMinutes());
        }
        if (firing.entry().force() != null) {
            payload.put("force", firing.entry().force());
        }
        LOG.info("Schedule of {}: {} at {} ({})", firing.host(), firing.entry().action(), firing.at(), payload.get("id"));
        try {
            commands.publish(firing.host(), firing.entry().action(), payload);
        } catch (RuntimeException e) {
            LOG.warn("Schedule of {}: could not publish {}: {}", firing.host(), payload.get("id"), e.getMessage());
        }
    }
}
