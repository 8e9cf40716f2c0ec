package dev.cubeguardian.probe;

import dev.cubeguardian.config.ProbeSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** Asks whether a host is up, by ICMP echo or by a TCP connect, as its settings say. */
public final class HostProber {

    private final IcmpProbe icmp;

    /** Uses the ping binary found on PATH, or the JDK fallback when there is none. */
    public HostProber() {
        this(PingBinary.onPath());
    }

    /** @param pingBinary the ping executable to run; empty forces the JDK fallback */
    public HostProber(Optional<Path> pingBinary) {
        this.icmp = new IcmpProbe(Objects.requireNonNull(pingBinary, "pingBinary"));
    }

    /**
     * A host that does not answer is a normal result, not an exception.
     *
     * @throws ProbeFailedException the address is invalid or does not resolve, or no way to ping exists
     * @throws IllegalArgumentException the settings are incomplete (no timeout, TCP without a port)
     */
    public HostReachability probe(String address, ProbeSettings settings) throws ProbeFailedException {
        Objects.requireNonNull(settings, "settings");
        if (settings.method() == null) {
            throw new IllegalArgumentException("probe method is missing");
        }
        Duration timeout = settings.timeout();
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("probe timeout must be positive, was " + timeout);
        }
        InetAddress ip = HostAddresses.resolve(address);
        switch (settings.method()) {
            case ICMP:
                return icmp.probe(ip, timeout);
            case TCP:
                return tcp(ip, requirePort(settings.port()), timeout);
            default:
                throw new IllegalArgumentException("unknown probe method " + settings.method());
        }
    }

    private static int requirePort(Integer port) {
        if (port == null || port < 1 || port > 65_535) {
            throw new IllegalArgumentException("a tcp probe needs a port between 1 and 65535, was " + port);
        }
        return port;
    }

    private static HostReachability tcp(InetAddress ip, int port, Duration timeout) {
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        // straight to the host: a JVM-wide SOCKS proxy would answer for it (and looking one up
        // parses a URI per probe, a visible part of a check's CPU in performance.md)
        try (Socket socket = new Socket(java.net.Proxy.NO_PROXY)) {
            long started = System.nanoTime();
            socket.connect(new InetSocketAddress(ip, port), millis);
            return HostReachability.reachable(HostReachability.TCP,
                    HostReachability.nanosToMillis(System.nanoTime() - started));
        } catch (IOException e) {
            // Refused, timed out, no route: all mean "not reachable on this port right now".
            return HostReachability.unreachable(HostReachability.TCP);
        }
    }
}
