package dev.cubeguardian.rcon;

import dev.cubeguardian.command.Action;
import dev.cubeguardian.command.Command;
import dev.cubeguardian.command.CommandExchange;
import dev.cubeguardian.command.Outcome;
import dev.cubeguardian.command.ResultCode;
import dev.cubeguardian.config.HostConfig;
import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.config.MinecraftSettings;
import dev.cubeguardian.config.RconSettings;
import dev.cubeguardian.ssh.SshRunner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The graceful stop on every shutdown path (v1.1, {@code minecraft.rcon}). Route steps of
 * {@code cmd-shutdown} and {@code cmd-cancel}:
 * <ul>
 * <li>a shutdown now: the game is saved and stopped before the host's shutdown command runs;</li>
 * <li>a delayed one: the host's own shutdown is scheduled {@code stop-timeout} later as a backstop
 * (see ShutdownCommandBuilder), and a countdown here says each warning in the game, then at the
 * time saves and stops the game and runs the host's shutdown-now command;</li>
 * <li>a cancel ends the countdown (the SSH cancel already ended the backstop) and says so;</li>
 * <li>a reboot (route {@code cmd-reboot}) is always now: saved and stopped like a shutdown now.</li>
 * </ul>
 * A countdown is kept with the command memory on disk (v1.1): after a worker restart it goes on
 * ({@link #resume}: warnings still ahead, the stop at its time, at once if it is due and the
 * backstop has not fired yet), on the active member of a share group only. Where nothing is kept ({@code CUBEGUARDIAN_DATA_DIR=none}) or the
 * restart came too late, the host's own backstop shuts it down on time (without the clean stop),
 * and a cancel still cancels that.
 */
public final class GameShutdown implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GameShutdown.class);

    private record Countdown(String commandId, Instant at, List<ScheduledFuture<?>> steps) {
    }

    private final Inventory inventory;
    private final RconConsole console;
    private final GameStop stop;
    private final SshRunner ssh;
    private final GameTexts texts;
    private final BiConsumer<String, Map<String, Object>> events;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final Map<String, Countdown> countdowns = new ConcurrentHashMap<>();
    private volatile dev.cubeguardian.store.FollowedWorkStore store = dev.cubeguardian.store.FollowedWorkStore.NONE;
    static final String KIND = "countdown";
    private static final String SHUTDOWN = Action.SHUTDOWN.wireName();
    static final Duration FIRST_WARNING_AFTER = Duration.ofMillis(500);
    private final java.util.function.Predicate<String> hostIsOff;

    /**
     * @param events  publishes one event for a host (HostLifecycle.announce)
     * @param timer   runs the warnings and the final stop; the final stop may take stop-timeout
     * @param hostIsOff whether the monitor sees the host off: then the countdown has nothing left to do
     *                  (someone, or the backstop, was quicker)
     */
    public GameShutdown(Inventory inventory, RconConsole console, SshRunner ssh, Locale locale,
            BiConsumer<String, Map<String, Object>> events, ScheduledExecutorService timer, Clock clock,
            java.util.function.Predicate<String> hostIsOff) {
        this.hostIsOff = hostIsOff;
        this.inventory = inventory;
        this.console = console;
        this.stop = new GameStop(console);
        this.ssh = ssh;
        this.texts = new GameTexts(locale);
        this.events = events;
        this.timer = timer;
        this.clock = clock;
    }

    /**
     * Route step before the SSH call of a shutdown now, or of a reboot (always now): save and
     * stop the game first. Its progress events carry the command's own action.
     */
    public void stopNowIfDue(Exchange exchange) {
        Command command = CommandExchange.command(exchange);
        RconSettings settings = console.settings(command.host()).orElse(null);
        if (settings == null || command.delayMinutes() != 0) {
            return;
        }
        if (command.action() == Action.SHUTDOWN) {
            cancelCountdown(command.host(), false);   // a shutdown now overtakes a countdown
        }
        if (settings.stopGame()) {
            stopGame(command.host(), command.action().wireName(), command.id(), clock.instant());
        }
    }

    /** Route step after the result of a delayed shutdown: the countdown in the game begins. */
    public void startCountdownIfScheduled(Exchange exchange) {
        Command command = CommandExchange.command(exchange);
        Outcome result = exchange.getMessage().getBody(Outcome.class);
        RconSettings settings = console.settings(command.host()).orElse(null);
        if (settings == null || result == null || result.code() != ResultCode.SHUTDOWN_SCHEDULED) {
            return;
        }
        cancelCountdown(command.host(), false);
        Instant start = clock.instant();
        Instant at = start.plus(Duration.ofMinutes(command.delayMinutes()));
        List<ScheduledFuture<?>> steps = new ArrayList<>();
        for (Duration warning : settings.warnings()) {
            Instant when = at.minus(warning);
            if (!when.isBefore(start)) {
                // a warning due now (5 minutes before a 5-minute shutdown) follows the result and its
                // "scheduled" event, which go out once this route step returns
                long delay = Math.max(FIRST_WARNING_AFTER.toMillis(), Duration.between(clock.instant(), when).toMillis());
                steps.add(timer.schedule(() -> warn(command.host(), command.id(), warning, start), delay, TimeUnit.MILLISECONDS));
            }
        }
        // with stop-game the worker stops the game and the host at the time; without, the countdown just ends there
        steps.add(timer.schedule(settings.stopGame() ? () -> finish(command.host(), command.id(), start)
                        : () -> ended(command.host(), command.id()),
                Duration.between(clock.instant(), at).toMillis(), TimeUnit.MILLISECONDS));
        countdowns.put(command.host(), new Countdown(command.id(), at, steps));
        remember(command.host(), command.id(), at, start);
    }

    /**
     * After a restart (v1.1): a countdown the previous run had under way goes on. Warnings still
     * ahead are said, the game is stopped at its time; one whose time passed while the worker
     * was down is finished now if the host's backstop has not done it yet, else forgotten.
     */
    public void resume() {
        store.load(KIND).forEach((hostId, bytes) -> {
            RconSettings settings = console.settings(hostId).orElse(null);
            String[] fields = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).split(" ");
            if (settings == null || fields.length != 3) {
                store.save(KIND, hostId, null);
                return;
            }
            String commandId = fields[0];
            Instant at = Instant.parse(fields[1]);
            Instant start = Instant.parse(fields[2]);
            Instant now = clock.instant();
            List<ScheduledFuture<?>> steps = new ArrayList<>();
            if (now.isBefore(at)) {
                for (Duration warning : settings.warnings()) {
                    Instant when = at.minus(warning);
                    if (when.isAfter(now)) {
                        steps.add(timer.schedule(() -> warn(hostId, commandId, warning, start),
                                Duration.between(now, when).toMillis(), TimeUnit.MILLISECONDS));
                    }
                }
            } else if (!now.isBefore(at.plus(settings.stopTimeout()))) {
                store.save(KIND, hostId, null);   // the backstop on the host has done it by now
                return;
            }
            steps.add(timer.schedule(settings.stopGame() ? () -> finish(hostId, commandId, start) : () -> ended(hostId, commandId),
                    Math.max(0, Duration.between(now, at).toMillis()), TimeUnit.MILLISECONDS));
            countdowns.put(hostId, new Countdown(commandId, at, steps));
            LOG.info("Host {}: resuming the game countdown of shutdown {} (due {})", hostId, commandId, at);
        });
    }

    /** Where countdowns are kept from now on, and where {@link #resume} finds the previous run's. */
    public void keepIn(dev.cubeguardian.store.FollowedWorkStore store) {
        this.store = store;
    }

    /**
     * A member of a share group that starts as a standby: the countdowns the previous run kept
     * are the active member's business now. Resumed here, one would stop the game and the host
     * even after a cancel that reached the active member. The host's own backstop shutdown,
     * sent with the command, still stands, and a cancel through the active member cancels it.
     */
    public void forgetKept() {
        store.load(KIND).forEach((hostId, bytes) -> {
            store.save(KIND, hostId, null);
            LOG.info("Host {}: the game countdown kept from the previous run is left to the share group's active worker"
                    + " (this one starts as a standby; the host's backstop shutdown still stands)", hostId);
        });
    }

    private void remember(String hostId, String commandId, Instant at, Instant start) {
        store.save(KIND, hostId, (commandId + " " + at + " " + start).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Route step after a cancel: the countdown ends, and the players hear so. */
    public void cancelled(Exchange exchange) {
        Outcome result = exchange.getMessage().getBody(Outcome.class);
        if (result != null && result.code() == ResultCode.SHUTDOWN_CANCELLED) {
            cancelCountdown(CommandExchange.command(exchange).host(), true);
        }
    }

    private void cancelCountdown(String hostId, boolean tellPlayers) {
        Countdown countdown = countdowns.remove(hostId);
        if (countdown == null) {
            return;
        }
        store.save(KIND, hostId, null);
        countdown.steps().forEach(step -> step.cancel(false));
        if (tellPlayers) {
            say(hostId, texts.text("shutdown.cancelled"));
        }
    }

    private void warn(String hostId, String commandId, Duration remaining, Instant start) {
        if (hostIsOff.test(hostId)) {
            cancelCountdown(hostId, false);
            return;
        }
        if (say(hostId, texts.shuttingDownIn(remaining))) {
            Map<String, Object> event = GameStop.phase("warning_sent");
            event.put("remaining_s", remaining.toSeconds());
            progress(hostId, SHUTDOWN, commandId, start, event);
        }
    }

    private void finish(String hostId, String commandId, Instant start) {
        Countdown countdown = countdowns.get(hostId);
        if (countdown == null || !countdown.commandId().equals(commandId)) {
            return;   // cancelled or replaced meanwhile
        }
        if (hostIsOff.test(hostId)) {
            countdowns.remove(hostId, countdown);
            store.save(KIND, hostId, null);
            return;
        }
        stopGame(hostId, SHUTDOWN, commandId, start);
        if (!countdowns.remove(hostId, countdown)) {
            // cancelled (or overtaken) while the game stopped, which may take stop-timeout: the cancel holds
            LOG.info("Shutdown {} of {} was called off during its game stop: the host stays up", commandId, hostId);
            return;
        }
        store.save(KIND, hostId, null);
        HostConfig host = inventory.host(hostId).orElseThrow();
        String now = host.ssh().orElseThrow().shutdownNowCommand();
        Map<String, Object> sent;
        try {
            ssh.run(hostId, now);
            sent = GameStop.phase("command_sent");
        } catch (RuntimeException failed) {
            // the backstop scheduled on the host still shuts it down, stop-timeout later
            LOG.warn("Shutdown of {} after the game stop failed ({}); the host's own scheduled shutdown remains", hostId,
                    failed.getMessage());
            sent = GameStop.phase("command_failed");
            sent.put("reason", failed.getMessage());
        }
        progress(hostId, SHUTDOWN, commandId, start, sent);
    }

    /** The time of a countdown without a game stop: the host's own shutdown takes over. */
    private void ended(String hostId, String commandId) {
        Countdown countdown = countdowns.get(hostId);
        if (countdown != null && countdown.commandId().equals(commandId) && countdowns.remove(hostId, countdown)) {
            store.save(KIND, hostId, null);
        }
    }

    private void stopGame(String hostId, String action, String commandId, Instant start) {
        MinecraftSettings minecraft = inventory.host(hostId).flatMap(HostConfig::minecraft).orElseThrow();
        stop.stop(hostId, minecraft, event -> progress(hostId, action, commandId, start, event));
    }

    private boolean say(String hostId, String text) {
        try {
            console.run(hostId, "say " + text);
            return true;
        } catch (RconFailure failure) {
            LOG.warn("Could not say \"{}\" in the game of {}: {}", text, hostId, failure.getMessage());
            return false;
        }
    }

    private void progress(String hostId, String action, String commandId, Instant start, Map<String, Object> fields) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "progress");
        event.put("action", action);
        event.put("id", commandId);
        event.putAll(fields);
        event.put("elapsed_s", Math.max(0, Duration.between(start, clock.instant()).toSeconds()));
        events.accept(hostId, event);
    }

    @Override
    public void close() {
        countdowns.values().forEach(countdown -> countdown.steps().forEach(step -> step.cancel(false)));
        countdowns.clear();
    }
}
