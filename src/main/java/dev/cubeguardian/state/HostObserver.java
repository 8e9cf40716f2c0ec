package dev.cubeguardian.state;

import dev.cubeguardian.probe.Observation;

import dev.cubeguardian.config.HostConfig;
import dev.cubeguardian.config.MinecraftSettings;
import dev.cubeguardian.observe.WorkerMetrics;
import dev.cubeguardian.probe.HostProber;
import dev.cubeguardian.probe.HostReachability;
import dev.cubeguardian.probe.MinecraftPinger;
import dev.cubeguardian.probe.ProbeFailedException;
import dev.cubeguardian.probe.ServiceStatus;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Probes a host and its game once, the way a check does, for the monitor. */
public final class HostObserver {

    private static final Logger LOG = LoggerFactory.getLogger(HostObserver.class);

    private final HostProber hostProber;
    private final MinecraftPinger pinger;
    private final Clock clock;
    private final WorkerMetrics metrics;

    private final dev.cubeguardian.rcon.RconConsole rcon;

    public HostObserver(HostProber hostProber, MinecraftPinger pinger, dev.cubeguardian.rcon.RconConsole rcon, Clock clock,
            WorkerMetrics metrics) {
        this.rcon = rcon;
        this.metrics = metrics;
        this.hostProber = hostProber;
        this.pinger = pinger;
        this.clock = clock;
    }

    /** An observation from a host probe made elsewhere (a host without a game). */
    Observation observed(HostConfig host, HostReachability reachability) {
        metrics.probe(host.id(), "host", reachability.reachable());
        return new Observation(reachability, null, clock.instant());
    }

    public Observation observe(HostConfig host) {
        HostReachability reachability;
        try {
            reachability = hostProber.probe(host.address(), host.probe());
        } catch (ProbeFailedException cannotProbe) {
            // e.g. a DNS name that stopped resolving: for the state, the host does not answer
            LOG.debug("Probe of {} failed: {}", host.id(), cannotProbe.getMessage());
            reachability = HostReachability.unreachable(host.probe().method().wireName());
        }
        ServiceStatus service = null;
        if (host.minecraft().isPresent()) {
            MinecraftSettings minecraft = host.minecraft().get();
            if (!reachability.reachable() && minecraft.address().equals(host.address())) {
                service = ServiceStatus.unreachable();
            } else {
                try {
                    service = pinger.ping(minecraft.address(), minecraft.port(), minecraft.timeout());
                } catch (ProbeFailedException cannotPing) {
                    service = ServiceStatus.unreachable();
                }
            }
        }
        service = rcon.addTo(host.id(), service);
        metrics.probe(host.id(), "host", reachability.reachable());
        if (service != null) {
            metrics.probe(host.id(), "service", service.reachable());
        }
        return new Observation(reachability, service, clock.instant());
    }
}
