package dev.cubeguardian.schedule;

import dev.cubeguardian.config.HostConfig;
import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.config.ScheduleEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires every host's schedule (v1.1): at each time of an entry's cron expression, in the
 * inventory's time zone, it publishes the entry's command on the broker like any client
 * ({@code requested_by: cubeguardian:schedule}, a deterministic id). Times missed while the
 * worker was down are not made up; a time it reaches a little late (a busy machine) still fires.
 */
public final class Scheduler extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    /** Checked at least this often, so a changed system clock is noticed. */
    static final Duration MAX_SLEEP = Duration.ofSeconds(30);
    /** A firing reached this late still fires; later (the machine was suspended) it is skipped. */
    static final Duration LATE_LIMIT = Duration.ofMinutes(2);
    /** next_schedule times in the schedule's own zone: 2026-12-04T18:00:00+01:00. */
    static final java.time.format.DateTimeFormatter AT = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

    /** Publishes one command for a host: (host, action, payload). */
    public interface CommandSink {
        void publish(String host, String action, Map<String, Object> payload);
    }

    private record Planned(String host, ScheduleEntry entry, ZonedDateTime at) {
    }

    private final ZoneId zone;
    private final Clock clock;
    private final CommandSink commands;
    private final Runnable scheduleMoved;
    private final ScheduledExecutorService timer;
    private final List<Planned> planned = new ArrayList<>();
    private ScheduledFuture<?> wakeUp;

    /**
     * @param scheduleMoved called after a firing moved an entry's next time (bridge/info is republished)
     */
    public Scheduler(Inventory inventory, Clock clock, CommandSink commands, Runnable scheduleMoved,
            ScheduledExecutorService timer) {
        this.zone = inventory.timeZone();
        this.clock = clock;
        this.commands = commands;
        this.scheduleMoved = scheduleMoved;
        this.timer = timer;
        ZonedDateTime now = clock.instant().atZone(zone);
        for (HostConfig host : inventory.hosts().values()) {
            for (ScheduleEntry entry : host.schedule()) {
                planned.add(new Planned(host.id(), entry, ScheduleTimes.next(entry, now, zone).orElse(null)));
            }
        }
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

    /** The next time of a host's first entry with this action; null when it has none. */
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
            planned.forEach(p -> LOG.info("Schedule of {}: {} at \"{}\" ({}), next {}", p.host(), p.entry().action(),
                    p.entry().expression(), zone, p.at()));
            sleep();
        }
    }

    @Override
    protected synchronized void doStop() {
        if (wakeUp != null) {
            wakeUp.cancel(false);
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
        long millis = Math.max(0, until.toMillis());
        wakeUp = timer.schedule(this::fireDue, millis, TimeUnit.MILLISECONDS);
    }

    private void fireDue() {
        boolean moved = false;
        synchronized (this) {
            ZonedDateTime now = clock.instant().atZone(zone);
            for (int i = 0; i < planned.size(); i++) {
                Planned plan = planned.get(i);
                if (plan.at() == null || plan.at().isAfter(now)) {
                    continue;
                }
                if (Duration.between(plan.at(), now).compareTo(LATE_LIMIT) <= 0) {
                    fire(plan);
                } else {
                    LOG.warn("Schedule of {}: {} due at {} skipped, {} late (the machine was asleep or the clock changed)",
                            plan.host(), plan.entry().action(), plan.at(), Duration.between(plan.at(), now));
                }
                planned.set(i, new Planned(plan.host(), plan.entry(), ScheduleTimes.next(plan.entry(), now, zone).orElse(null)));
                moved = true;
            }
            if (isStarted() || isStarting()) {
                sleep();
            }
        }
        if (moved) {
            scheduleMoved.run();
        }
    }

    private void fire(Planned plan) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", ScheduleIds.of(plan.host(), plan.entry().action(), plan.at()));
        payload.put("requested_by", "cubeguardian:schedule");
        if (plan.entry().delayMinutes() != null) {
            payload.put("delay_minutes", plan.entry().delayMinutes());
        }
        if (plan.entry().force() != null) {
            payload.put("force", plan.entry().force());
        }
        LOG.info("Schedule of {}: {} at {} ({})", plan.host(), plan.entry().action(), plan.at(), payload.get("id"));
        try {
            commands.publish(plan.host(), plan.entry().action(), payload);
        } catch (RuntimeException e) {
            LOG.warn("Schedule of {}: could not publish {}: {}", plan.host(), payload.get("id"), e.getMessage());
        }
    }
}
