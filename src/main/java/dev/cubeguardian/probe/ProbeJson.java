package dev.cubeguardian.probe;

import java.util.Map;
import dev.cubeguardian.command.Outcome;

/** The wire shape of probe results, shared by check results and (later) state messages. */
public final class ProbeJson {

    private ProbeJson() {
    }

    public static Map<String, Object> host(HostReachability reachability) {
        return Outcome.details("reachable", reachability.reachable(), "method", reachability.method(),
                "latency_ms", reachability.latencyMs());
    }

    public static Map<String, Object> service(ServiceStatus status) {
        Map<String, Object> service = Outcome.details("reachable", status.reachable(), "version", status.version(),
                "players_online", status.playersOnline(), "players_max", status.playersMax(),
                "players", status.players(), "motd", status.motd(), "latency_ms", status.latencyMs());
        if (status.rcon() != null) {
            service.put("rcon", status.rcon());   // v1.1: only for hosts with minecraft.rcon
        }
        return service;
    }
}
