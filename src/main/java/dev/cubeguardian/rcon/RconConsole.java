package dev.cubeguardian.rcon;

import dev.cubeguardian.config.HostConfig;
import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.config.MinecraftSettings;
import dev.cubeguardian.config.RconSettings;
import dev.cubeguardian.mqtt.MqttClientSettings;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The game console of each host with {@code minecraft.rcon}: one RCON connection per host, kept
 * open between uses (a vanilla server logs every new RCON connection, and the monitor asks for
 * the player list at every probe), made again after any failure. One command at a time per
 * host; each bounded by {@code rcon.timeout}. The password is read from its file for each login
 * and is in no message of this class.
 */
public final class RconConsole implements AutoCloseable {

    private static final class Line {
        RconClient client;
    }

    private final Map<String, HostConfig> hosts;
    private final Map<String, Line> lines = new ConcurrentHashMap<>();

    public RconConsole(Inventory inventory) {
        this.hosts = inventory.hosts();
    }

    public boolean has(String hostId) {
        return settings(hostId).isPresent();
    }

    public Optional<RconSettings> settings(String hostId) {
        return Optional.ofNullable(hosts.get(hostId)).flatMap(HostConfig::minecraft).flatMap(MinecraftSettings::rcon);
    }

    /** Runs one command and returns what the server answered. */
    public String run(String hostId, String command) throws RconFailure {
        RconSettings settings = settings(hostId).orElseThrow(() -> new IllegalArgumentException(hostId + " has no rcon section"));
        String address = hosts.get(hostId).minecraft().orElseThrow().address();
        Line line = lines.computeIfAbsent(hostId, id -> new Line());
        synchronized (line) {
            for (int attempt = 0; ; attempt++) {
                boolean fresh = line.client == null;
                try {
                    if (fresh) {
                        line.client = RconClient.connect(address, settings.port(),
                                MqttClientSettings.readSecret(settings.passwordFile()).strip(), settings.timeout());
                    }
                    return line.client.command(command);
                } catch (RconClient.AuthFailedException refused) {
                    drop(line);
                    throw new RconFailure(RconHealth.AUTH_FAILED, "RCON of " + hostId + " refused the password (from "
                            + settings.passwordFile() + ")", null);
                } catch (IOException | RuntimeException e) {
                    drop(line);
                    // a kept connection may have been closed by a server restart: one new try
                    if (!fresh && attempt == 0) {
                        continue;
                    }
                    throw new RconFailure(RconHealth.UNREACHABLE, "RCON of " + hostId + " at " + address + ":"
                            + settings.port() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** RCON's health and, when it works, every player online (null when the answer was not a list). */
    public record Reading(RconHealth health, List<String> players) {
    }

    public Reading read(String hostId) {
        try {
            return new Reading(RconHealth.OK, PlayerList.parse(run(hostId, "list")));
        } catch (RconFailure failure) {
            return new Reading(failure.health(), null);
        }
    }

    /**
     * The probe's service status with what RCON adds, for a host with an rcon section: its health
     * and the complete player list. Unchanged for the others. A server that does not answer its
     * status ping is not asked over RCON either (its port is closed too, or it is starting).
     */
    public dev.cubeguardian.probe.ServiceStatus addTo(String hostId, dev.cubeguardian.probe.ServiceStatus service) {
        if (service == null || !has(hostId)) {
            return service;
        }
        if (!service.reachable()) {
            return service.withRcon(RconHealth.UNREACHABLE.wireName(), null);
        }
        Reading reading = read(hostId);
        return service.withRcon(reading.health().wireName(), reading.players());
    }

    private static void drop(Line line) {
        if (line.client != null) {
            try {
                line.client.close();
            } catch (IOException ignored) {
                // closing a broken connection: nothing more to learn
            }
            line.client = null;
        }
    }

    @Override
    public void close() {
        lines.values().forEach(line -> {
            synchronized (line) {
                drop(line);
            }
        });
    }
}
