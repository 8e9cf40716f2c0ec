package dev.cubeguardian.probe;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * One ICMP echo via the system ping binary (the JVM cannot open raw sockets), or the JDK's
 * {@link InetAddress#isReachable} when there is no usable ping.
 */
final class IcmpProbe {

    // Process start-up and ping's own bookkeeping on top of its -W reply wait.
    private static final long MARGIN_MILLIS = 1_000;
    private static final int MAX_OUTPUT_BYTES = 16 * 1024;

    private final Optional<Path> pingBinary;

    IcmpProbe(Optional<Path> pingBinary) {
        this.pingBinary = pingBinary;
    }

    HostReachability probe(InetAddress ip, Duration timeout) throws ProbeFailedException {
        if (pingBinary.isEmpty()) {
            return jdkReachability(ip, timeout);
        }
        List<String> command = command(pingBinary.get(), ip, timeout);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("LC_ALL", "C");   // "time=0.4 ms", not a localised "0,4"
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return jdkReachability(ip, timeout);
        }
        try {
            process.getOutputStream().close();
            long limit = replyWaitSeconds(timeout) * 1_000L + MARGIN_MILLIS;
            if (!process.waitFor(limit, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return HostReachability.unreachable(HostReachability.ICMP);
            }
            long elapsed = System.nanoTime() - started;
            // Safe to read only now: one echo's output is far below the pipe buffer size.
            String stdout = readOutput(process.getInputStream());
            switch (process.exitValue()) {
                case 0: {
                    OptionalDouble latency = PingOutput.latencyMs(stdout);
                    return HostReachability.reachable(HostReachability.ICMP,
                            latency.isPresent() ? latency.getAsDouble() : HostReachability.nanosToMillis(elapsed));
                }
                case 1:
                    return HostReachability.unreachable(HostReachability.ICMP);
                default:
                    // iputils exits 2 when it could not ping at all, typically a container
                    // without CAP_NET_RAW; the JDK check can still give an answer.
                    return jdkReachability(ip, timeout);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ProbeFailedException("Interrupted while pinging " + ip.getHostAddress(), e);
        } catch (IOException e) {
            process.destroyForcibly();
            return jdkReachability(ip, timeout);
        }
    }

    /** Argument list, never a shell line: the address is a resolved literal, so never an option. */
    static List<String> command(Path binary, InetAddress ip, Duration timeout) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-n", "-c", "1", "-W",
                Long.toString(replyWaitSeconds(timeout))));
        if (ip instanceof Inet6Address) {
            command.add("-6");
        }
        command.add(ip.getHostAddress());
        return command;
    }

    // ping's -W takes whole seconds; rounding down could turn 500 ms into "wait forever" (0).
    static long replyWaitSeconds(Duration timeout) {
        long millis = timeout.toMillis();
        return Math.max(1, (millis + 999) / 1_000);
    }

    private static String readOutput(InputStream in) throws IOException {
        try (in) {
            return new String(in.readNBytes(MAX_OUTPUT_BYTES), StandardCharsets.US_ASCII);
        }
    }

    private static HostReachability jdkReachability(InetAddress ip, Duration timeout) throws ProbeFailedException {
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        long started = System.nanoTime();
        try {
            if (ip.isReachable(millis)) {
                return HostReachability.reachable(HostReachability.ICMP,
                        HostReachability.nanosToMillis(System.nanoTime() - started));
            }
            return HostReachability.unreachable(HostReachability.ICMP);
        } catch (IOException e) {
            throw new ProbeFailedException("Cannot ping " + ip.getHostAddress()
                    + ": no ping binary on PATH and the JVM's reachability check failed ("
                    + e.getMessage() + ")", e);
        }
    }
}
