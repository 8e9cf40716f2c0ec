package dev.cubeguardian.state;

import dev.cubeguardian.probe.HostReachability;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A TCP connect probe that holds no thread while it waits: a thousand silent hosts cost a
 * thousand pending connects, not a thousand blocked threads. Only for IP literals (a name
 * would need a blocking DNS lookup); the monitor uses the blocking prober for everything else.
 */
final class AsyncTcpProbe implements AutoCloseable {

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");

    private final AsynchronousChannelGroup group;
    private final ScheduledExecutorService timer;

    AsyncTcpProbe(ScheduledExecutorService timer) throws IOException {
        this.group = AsynchronousChannelGroup.withFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "host-probes-async");
            thread.setDaemon(true);
            return thread;
        });
        this.timer = timer;
    }

    static boolean handles(String address) {
        return IP_LITERAL.matcher(address).matches();
    }

    CompletableFuture<HostReachability> probe(String address, int port, Duration timeout) {
        CompletableFuture<HostReachability> answer = new CompletableFuture<>();
        AsynchronousSocketChannel channel;
        try {
            channel = AsynchronousSocketChannel.open(group);
        } catch (IOException e) {
            answer.complete(HostReachability.unreachable(HostReachability.TCP));
            return answer;
        }
        long start = System.nanoTime();
        // closing the channel at the deadline fails the pending connect, which answers "unreachable".
        // On the monitor's grid, like the probes' starts: the deadlines of the probes started together
        // end together, and the monitor's thread wakes once for them, not once each (benchmark 10)
        var deadline = timer.schedule(() -> close(channel), HostMonitor.onTheGrid(System.nanoTime(), timeout.toMillis()),
                TimeUnit.MILLISECONDS);
        try {
            channel.connect(new InetSocketAddress(InetAddress.getByName(address), port), null,
                    new CompletionHandler<Void, Void>() {
                        @Override
                        public void completed(Void result, Void attachment) {
                            deadline.cancel(false);
                            double ms = (System.nanoTime() - start) / 1_000_000.0;
                            close(channel);
                            answer.complete(HostReachability.reachable(HostReachability.TCP, ms));
                        }

                        @Override
                        public void failed(Throwable failure, Void attachment) {
                            deadline.cancel(false);
                            close(channel);
                            answer.complete(HostReachability.unreachable(HostReachability.TCP));
                        }
                    });
        } catch (IOException | RuntimeException e) {
            deadline.cancel(false);
            close(channel);
            answer.complete(HostReachability.unreachable(HostReachability.TCP));
        }
        return answer;
    }

    private static void close(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            group.shutdownNow();
        } catch (IOException ignored) {
            // stopping anyway
        }
    }
}
