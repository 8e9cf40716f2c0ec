package dev.cubeguardian.cluster;

import dev.cubeguardian.command.CommandIntake;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which worker of a share group is active: the one online the longest (earliest
 * {@code online_since}, then the smallest worker id), as every member reads the same retained
 * infos. The active worker takes the commands (route {@code cmd-intake}, a shared subscription),
 * monitors, and runs idle shutdown and schedules; the others watch. When the active one goes
 * (its Last Will says offline, at once on kill -9), the next takes over and runs what the broker
 * gave to no one alive meanwhile ({@link CommandWitness#takeOver}). A worker that is not in a
 * share group is always active.
 */
public final class Leadership {

    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
    /** Time for the retained infos of the other members to arrive before a member decides anything. */
    static final Duration SETTLE = Duration.ofMillis(1_500);
    static final Duration TICK = Duration.ofMillis(500);

    /** What changes with the role; each runs on the leadership thread. */
    public interface Role {
        void becomeActive();

        void becomeStandby();

        /** After every decision (the first one tells how this start begins), after becomeActive if it was one. */
        default void decided(boolean active) {
        }
    }

    private final WorkerIdentity identity;
    private final WorkerRegistry registry;
    private final CommandWitness witness;
    private final CommandIntake intake;
    private final Clock clock;
    private final Instant onlineSince;
    private volatile boolean active;
    private Role role;
    private ScheduledExecutorService thread;
    private long begunNanos;
    private Instant lastActivePeerSeen;
    private String lastActivePeer;
    private Instant activeSince;

    /** The single worker of v1 and a worker outside a share group: active from the start, for good. */
    public static Leadership always(Clock clock) {
        Leadership always = new Leadership(WorkerIdentity.SINGLE, null, null, null, clock);
        always.active = true;
        return always;
    }

    public Leadership(WorkerIdentity identity, WorkerRegistry registry, CommandWitness witness, CommandIntake intake,
            Clock clock) {
        this.identity = identity;
        this.registry = registry;
        this.witness = witness;
        this.intake = intake;
        this.clock = clock;
        // to the millisecond: what is published is what every member compares
        this.onlineSince = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    public boolean active() {
        return active;
    }

    public Instant onlineSince() {
        return onlineSince;
    }

    public boolean grouped() {
        return identity.grouped();
    }

    /** Starts deciding (once the routes run): on each change the registry reports, and every half second. */
    public synchronized void begin(Role changes, ScheduledExecutorService leadershipThread) {
        if (!identity.grouped() || thread != null) {
            return;
        }
        this.role = changes;
        this.thread = leadershipThread;
        this.begunNanos = System.nanoTime();
        registry.onChange(() -> submit());
        thread.scheduleWithFixedDelay(this::decide, SETTLE.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void submit() {
        try {
            thread.execute(this::decide);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the worker is stopping
        }
    }

    private synchronized void decide() {
        try {
            if (System.nanoTime() - begunNanos < SETTLE.toNanos()) {
                return;
            }
            List<WorkerRegistry.Worker> peers = registry.onlinePeers(identity.shareGroup());
            Instant now = clock.instant();
            boolean activePeer = false;
            for (WorkerRegistry.Worker peer : peers) {
                if (peer.active()) {
                    activePeer = true;
                    lastActivePeerSeen = now;
                    lastActivePeer = peer.id();
                }
            }
            boolean lead = peers.stream().filter(peer -> peer.onlineSince() != null).noneMatch(this::before);
            if (lead && !active) {
                active = true;
                activeSince = now;
                LOG.info("Worker {} is now the active worker of share group {}", identity.workerId(), identity.shareGroup());
                role.becomeActive();
            } else if (!lead && active) {
                active = false;
                LOG.info("Worker {} is now a standby of share group {}: another member was online first",
                        identity.workerId(), identity.shareGroup());
                role.becomeStandby();
            }
            role.decided(active);
            if (active && !activePeer) {
                // commands the shared subscription did not bring: what reached no one alive since the
                // last active member was last seen (or since this start). If that member is still
                // here (it stood down after a start-up race), what it was given before is its own
                Instant since = lastActivePeerSeen != null ? lastActivePeerSeen : onlineSince;
                String previous = lastActivePeer;
                boolean previousAlive = previous != null && peers.stream().anyMatch(peer -> peer.id().equals(previous));
                for (CommandWitness.Seen lost : witness.takeOver(since, previousAlive ? since : Instant.MIN)) {
                    intake.takeOver(lost.topic(), lost.payload(), lost.properties(), lost.at(), lost.nanos());
                }
            }
        } catch (RuntimeException unexpected) {
            LOG.error("Share group leadership check failed", unexpected);
        }
    }

    /** Was this peer online before this worker (ties: the smaller worker id)? */
    private boolean before(WorkerRegistry.Worker peer) {
        return Comparator.comparing(WorkerRegistry.Worker::onlineSince).thenComparing(WorkerRegistry.Worker::id)
                .compare(peer, new WorkerRegistry.Worker(identity.workerId(), true, true, identity.shareGroup(), active,
                        onlineSince, java.util.Set.of())) < 0;
    }

    /** When this worker last became active (null: never). */
    public synchronized Instant activeSince() {
        return activeSince;
    }
}
