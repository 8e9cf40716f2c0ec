package dev.cubeguardian.probe;

import dev.cubeguardian.command.Command;
import dev.cubeguardian.command.CommandExchange;
import dev.cubeguardian.command.CommandRefusedException;
import dev.cubeguardian.command.Outcome;
import dev.cubeguardian.command.ResultCode;
import dev.cubeguardian.config.HostConfig;
import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.config.MinecraftSettings;
import java.util.Map;
import org.apache.camel.Exchange;

/** Route {@code cmd-check}: probes the host and its game service now and says what it found. */
public final class HostCheck {

    public static final String OBSERVATION = "CubeGuardianObservation";

    private final Inventory inventory;
    private final HostProber hostProber;
    private final MinecraftPinger pinger;
    private final java.time.Clock clock;

    private final dev.cubeguardian.rcon.RconConsole rcon;

    public HostCheck(Inventory inventory, HostProber hostProber, MinecraftPinger pinger, dev.cubeguardian.rcon.RconConsole rcon,
            java.time.Clock clock) {
        this.rcon = rcon;
        this.clock = clock;
        this.inventory = inventory;
        this.hostProber = hostProber;
        this.pinger = pinger;
    }

    /**
     * What one probe of a host found, or why it could not probe: a round of checks shares it
     * (see {@code CheckRounds}), so a failure is kept and given to each check, not thrown once.
     */
    public record Probe(HostReachability reachability, ServiceStatus service, java.time.Instant at, Exception failure) {
    }

    /** Probes the host and its game service once; never throws. */
    public Probe probeOnce(String hostId) {
        HostConfig host = inventory.host(hostId).orElseThrow();
        try {
            HostReachability reachability = hostProber.probe(host.address(), host.probe());
            ServiceStatus service = host.minecraft().isPresent() ? rcon.addTo(host.id(), service(host, reachability)) : null;
            return new Probe(reachability, service, clock.instant(), null);
        } catch (ProbeFailedException | RuntimeException failed) {
            return new Probe(null, null, clock.instant(), failed);
        }
    }

    public Outcome check(Exchange exchange) {
        Command command = CommandExchange.command(exchange);
        HostConfig host = inventory.host(command.host()).orElseThrow();
        Object shared = exchange.getProperty(CommandExchange.SHARED_PROBE);
        Probe probe = shared instanceof Probe round ? round : probeOnce(host.id());
        if (probe.failure() instanceof ProbeFailedException cannotProbe) {
            throw new CommandRefusedException(Outcome.of(ResultCode.PROBE_FAILED,
                    Outcome.details("reason", cannotProbe.getMessage()), host.displayName(), cannotProbe.getMessage()));
        }
        if (probe.failure() instanceof RuntimeException unexpected) {
            throw unexpected;
        }
        // a fresh probe: the host's monitor learns from it too, once per round of checks
        if (shared == null || exchange.getProperty(CommandExchange.SHARED_PROBE_FIRST, Boolean.FALSE, Boolean.class)) {
            exchange.setProperty(OBSERVATION, new Observation(probe.reachability(), probe.service(), probe.at()));
        }
        Map<String, Object> details = Outcome.details(
                "host", ProbeJson.host(probe.reachability()),
                "service", probe.service() == null ? null : ProbeJson.service(probe.service()));
        return describe(host, probe.reachability(), probe.service(), details);
    }

    private ServiceStatus service(HostConfig host, HostReachability reachability) throws ProbeFailedException {
        MinecraftSettings minecraft = host.minecraft().orElseThrow();
        // a service on the host itself cannot answer while the host does not: spare the timeout
        if (!reachability.reachable() && minecraft.address().equals(host.address())) {
            return ServiceStatus.unreachable();
        }
        return pinger.ping(minecraft.address(), minecraft.port(), minecraft.timeout());
    }

    private static Outcome describe(HostConfig host, HostReachability reachability, ServiceStatus service,
            Map<String, Object> details) {
        String name = host.displayName();
        if (service != null && service.reachable() && "tcp".equals(service.protocol())) {
            return Outcome.variant(ResultCode.CHECKED, "service_port_open", details, name);
        }
        if (service != null && service.reachable()) {
            return Outcome.variant(ResultCode.CHECKED, "service_up", details, name, service.version(),
                    service.playersOnline() == null ? 0 : service.playersOnline(),
                    service.playersMax() == null ? 0 : service.playersMax());
        }
        if (!reachability.reachable()) {
            return Outcome.variant(ResultCode.CHECKED, "off", details, name);
        }
        return Outcome.variant(ResultCode.CHECKED, service == null ? "host_up" : "service_down", details, name);
    }
}
