package dev.cubeguardian.rcon;

import dev.cubeguardian.config.MinecraftSettings;
import dev.cubeguardian.config.RconSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Stops a host's game cleanly before the host goes down: {@code save-all flush}, {@code stop},
 * then waits (at most {@code rcon.stop-timeout}) until the game port no longer takes
 * connections. Says how it went in progress events; a failure is reported and the caller
 * shuts the host down anyway (the OS stops the game, which saves on SIGTERM).
 */
public final class GameStop {

    private static final long PORT_POLL_MILLIS = 500;

    private final RconConsole console;

    public GameStop(RconConsole console) {
        this.console = console;
    }

    /**
     * @param progress receives each progress event's own fields (phase, reason, ...)
     * @return true when the game stopped, false when it could not be stopped (the host still goes down)
     */
    public boolean stop(String hostId, MinecraftSettings minecraft, Consumer<Map<String, Object>> progress) {
        RconSettings settings = console.settings(hostId).orElseThrow();
        boolean stopSent = false;
        boolean lostAfterStop = false;
        try {
            console.run(hostId, "save-all flush");
            progress.accept(phase("game_saved"));
            stopSent = true;
            console.run(hostId, "stop");
        } catch (RconFailure failure) {
            if (failure.health() == RconHealth.AUTH_FAILED || !stopSent && portOpen(minecraft)) {
                progress.accept(failed(failure.health() == RconHealth.AUTH_FAILED ? "rcon_auth_failed" : "rcon_unreachable"));
                return false;
            }
            // a server that got its stop drops the console at once, and closes the game port only
            // once the worlds are saved: the port decides, within stop-timeout
            lostAfterStop = stopSent;
        }
        long deadline = System.nanoTime() + settings.stopTimeout().toNanos();
        while (portOpen(minecraft)) {
            if (System.nanoTime() >= deadline) {
                // the console gone and the game still up: the stop may never have reached it
                progress.accept(failed(lostAfterStop ? "rcon_unreachable" : "stop_timeout"));
                return false;
            }
            try {
                Thread.sleep(PORT_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                progress.accept(failed("stop_timeout"));
                return false;
            }
        }
        progress.accept(phase("game_stopped"));
        return true;
    }

    private static boolean portOpen(MinecraftSettings minecraft) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(minecraft.address(), minecraft.port()),
                    (int) Math.min(Duration.ofSeconds(2).toMillis(), minecraft.timeout().toMillis()));
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    static Map<String, Object> phase(String phase) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("phase", phase);
        return event;
    }

    private static Map<String, Object> failed(String reason) {
        Map<String, Object> event = phase("game_stop_failed");
        event.put("reason", reason);
        return event;
    }
}
