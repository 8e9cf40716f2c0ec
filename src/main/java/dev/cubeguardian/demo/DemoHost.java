package dev.cubeguardian.demo;

import dev.cubeguardian.wol.MacAddress;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated machine: powered on by a magic packet for its MAC, its SSH server up while it
 * runs, its Minecraft server answering some seconds after boot, a {@code shutdown} command
 * that behaves like systemd's ({@code -h now}, {@code -h +N}, {@code -c}), and {@code reboot}:
 * off a second later, dark for {@link #REBOOT_DARK} (firmware, boot loader), then booting as
 * after a magic packet.
 */
final class DemoHost {

    private static final Logger LOG = LoggerFactory.getLogger(DemoHost.class);
    private static final Pattern SCHEDULED = Pattern.compile("shutdown -h \\+(\\d{1,4})");
    private static final Duration POWER_OFF_AFTER_NOW = Duration.ofSeconds(1);
    /** Long enough for the worker's default probes (3 misses 500 ms apart) to see it down, as with a real machine. */
    static final Duration REBOOT_DARK = Duration.ofSeconds(3);

    record ExecResult(int exitStatus, String stdout, String stderr) {
    }

    /** What the host's services do when it powers on and off; the homelab wires them. */
    interface Services {
        void startSsh() throws Exception;

        void startGame() throws Exception;

        void stopAll();
    }

    enum Power { OFF, BOOTING, ON }

    private final MacAddress mac;
    private final DemoHomelab.Options options;
    private final ScheduledExecutorService timer;
    private final Services services;
    private final List<String> commandsReceived = new CopyOnWriteArrayList<>();
    private Power power = Power.OFF;
    private ScheduledFuture<?> gameStart;
    private ScheduledFuture<?> powerOff;
    private boolean rebooting;

    DemoHost(MacAddress mac, DemoHomelab.Options options, ScheduledExecutorService timer, Services services) {
        this.mac = mac;
        this.options = options;
        this.timer = timer;
        this.services = services;
    }

    MacAddress mac() {
        return mac;
    }

    synchronized Power power() {
        return power;
    }

    List<String> commandsReceived() {
        return List.copyOf(commandsReceived);
    }

    synchronized void magicPacket() {
        if (power != Power.OFF) {
            return;
        }
        LOG.info("Demo host: magic packet received, powering on");
        powerOn();
    }

    private synchronized void powerOn() {
        if (power != Power.OFF) {
            return;
        }
        power = Power.BOOTING;
        try {
            services.startSsh();
        } catch (Exception e) {
            LOG.error("Demo host: SSH server did not start", e);
        }
        gameStart = timer.schedule(this::gameUp, options.bootSeconds(), TimeUnit.SECONDS);
    }

    private synchronized void gameUp() {
        if (power != Power.BOOTING) {
            return;
        }
        try {
            services.startGame();
            power = Power.ON;
            LOG.info("Demo host: Minecraft server is up");
        } catch (Exception e) {
            LOG.error("Demo host: Minecraft server did not start", e);
        }
    }

    synchronized ExecResult exec(String commandLine) {
        commandsReceived.add(commandLine);
        if (commandLine.equals("shutdown -h now")) {
            rebooting = false;   // the last word: off, and staying off
            schedulePowerOff(POWER_OFF_AFTER_NOW);
            return new ExecResult(0, "", "");
        }
        Matcher scheduled = SCHEDULED.matcher(commandLine);
        if (scheduled.matches()) {
            int minutes = Integer.parseInt(scheduled.group(1));
            schedulePowerOff(Duration.ofSeconds((long) minutes * options.secondsPerMinute()));
            String at = LocalTime.now().plusMinutes(minutes).format(DateTimeFormatter.ofPattern("HH:mm"));
            return new ExecResult(0, "", "Shutdown scheduled for " + at + ", use 'shutdown -c' to cancel.\n");
        }
        if (commandLine.equals("reboot")) {
            rebooting = true;
            schedulePowerOff(POWER_OFF_AFTER_NOW);
            return new ExecResult(0, "", "");
        }
        if (commandLine.equals("shutdown -c")) {
            // like systemd: a reboot under way is not a scheduled shutdown, and cannot be cancelled
            if (powerOff != null && !rebooting) {
                powerOff.cancel(false);
                powerOff = null;
            }
            return new ExecResult(0, "", "");
        }
        return new ExecResult(127, "", "sh: 1: " + commandLine.split(" ", 2)[0] + ": not found\n");
    }

    private void schedulePowerOff(Duration after) {
        if (powerOff != null) {
            powerOff.cancel(false);
        }
        powerOff = timer.schedule(this::powerOff, after.toMillis(), TimeUnit.MILLISECONDS);
    }

    synchronized void powerOff() {
        if (gameStart != null) {
            gameStart.cancel(false);
        }
        powerOff = null;
        services.stopAll();
        power = Power.OFF;
        if (rebooting) {
            rebooting = false;
            LOG.info("Demo host: restarting");
            timer.schedule(() -> {
                LOG.info("Demo host: booting again after its restart");
                powerOn();
            }, REBOOT_DARK.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        LOG.info("Demo host: powered off");
    }
}
