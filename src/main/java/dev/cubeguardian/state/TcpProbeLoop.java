package dev.cubeguardian.state;

import dev.cubeguardian.probe.HostReachability;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP connect probes on one thread and one selector, as a script would do them: non-blocking
 * connects, their deadlines in a heap, the answers handed to the probe pool a batch at a time.
 * A thousand silent hosts cost a thousand pending connects, not a thousand blocked threads. Only
 * for IP literals (a name would need a blocking DNS lookup); the monitor uses the blocking prober
 * for everything else.
 *
 * <p>Why not {@code AsynchronousSocketChannel}, as before: with its completion handlers, a
 * CompletableFuture and a pool per answer, every probe crossed threads about four times, and
 * 10,000 hosts at 15 s made 8 futex calls per probe, 5,000 a second (strace, benchmark 10). Here a
 * batch of probes started on the same 20 ms of the monitor's grid costs one wake-up of this thread,
 * and a batch of answers one task of the pool.
 */
final class TcpProbeLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TcpProbeLoop.class);
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");
    /** Answers per task of the pool: a burst of timeouts is shared by its threads, not run on one. */
    static final int BATCH = 32;

    private record Request(String address, int port, long timeoutMs, Consumer<HostReachability> answer) {
    }

    private record Answer(Consumer<HostReachability> to, HostReachability reachability) {
    }

    /** A connect in progress. */
    private static final class Pending {
        final SocketChannel channel;
        final Consumer<HostReachability> answer;
        final long startNanos = System.nanoTime();
        final long deadlineMillis;
        SelectionKey key;
        boolean done;

        Pending(SocketChannel channel, Consumer<HostReachability> answer, long deadlineMillis) {
            this.channel = channel;
            this.answer = answer;
            this.deadlineMillis = deadlineMillis;
        }
    }

    private final Selector selector;
    private final Executor answers;
    private final Queue<Request> requests = new ConcurrentLinkedQueue<>();
    /** Set by the first request since the loop last looked: later ones need not wake it again. */
    private final AtomicBoolean woken = new AtomicBoolean();
    /** The loop's own: deadlines of connects in progress, soonest first (finished ones drop out when due). */
    private final PriorityQueue<Pending> deadlines = new PriorityQueue<>(Comparator.comparingLong(p -> p.deadlineMillis));
    private final Thread thread;
    private volatile boolean open = true;

    /** {@code answers}: where the answers run (the monitor's probe pool), never on this thread. */
    TcpProbeLoop(Executor answers) throws IOException {
        this.selector = Selector.open();
        this.answers = answers;
        this.thread = new Thread(this::run, "host-probes-tcp");
        thread.setDaemon(true);
        thread.start();
    }

    static boolean handles(String address) {
        return IP_LITERAL.matcher(address).matches();
    }

    /** Connects to address:port; {@code answer} gets reachable (with the time taken) or unreachable, on the pool. */
    void probe(String address, int port, Duration timeout, Consumer<HostReachability> answer) {
        requests.add(new Request(address, port, timeout.toMillis(), answer));
        if (woken.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    private void run() {
        List<Answer> done = new ArrayList<>();
        while (open) {
            try {
                startRequested(done);
                woken.set(false);
                // a request added after the flag was cleared wakes the select below; one added before is started now
                if (!requests.isEmpty()) {
                    selector.selectNow();
                } else {
                    Pending next = deadlines.peek();
                    long wait = next == null ? 0 : Math.max(1, next.deadlineMillis - System.nanoTime() / 1_000_000);
                    selector.select(wait);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Pending pending = (Pending) key.attachment();
                    boolean connected;
                    try {
                        connected = pending.channel.finishConnect();
                    } catch (IOException refused) {
                        connected = false;
                    }
                    finish(pending, connected, done);
                }
                selector.selectedKeys().clear();
                long now = System.nanoTime() / 1_000_000;
                while (!deadlines.isEmpty() && deadlines.peek().deadlineMillis <= now) {
                    Pending due = deadlines.poll();
                    if (!due.done) {
                        finish(due, false, done);   // no answer in time: closing it drops the SYN's retries
                    }
                }
                hand(done);
                done = new ArrayList<>();
            } catch (ClosedSelectorException stopping) {
                return;
            } catch (IOException | RuntimeException unexpected) {
                LOG.warn("TCP probe loop: {}", unexpected.toString());
            }
        }
    }

    private void startRequested(List<Answer> done) {
        Request request;
        while ((request = requests.poll()) != null) {
            SocketChannel channel = null;
            try {
                InetAddress address = InetAddress.getByName(request.address());   // a literal: no lookup
                // the address's own family: a dual-stack socket costs a setsockopt per probe
                channel = SocketChannel.open(address instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
                channel.configureBlocking(false);
                Pending pending = new Pending(channel, request.answer(),
                        System.nanoTime() / 1_000_000 + HostMonitor.onTheGrid(System.nanoTime(), request.timeoutMs()));
                if (channel.connect(new InetSocketAddress(address, request.port()))) {
                    finish(pending, true, done);
                } else {
                    pending.key = channel.register(selector, SelectionKey.OP_CONNECT, pending);
                    deadlines.add(pending);
                }
            } catch (IOException | RuntimeException e) {
                // refused at once, no route, no file descriptor left: unreachable all the same
                close(channel);
                done.add(new Answer(request.answer(), HostReachability.unreachable(HostReachability.TCP)));
            }
        }
    }

    private static void finish(Pending pending, boolean connected, List<Answer> done) {
        pending.done = true;
        if (pending.key != null) {
            pending.key.cancel();
        }
        double ms = (System.nanoTime() - pending.startNanos) / 1_000_000.0;
        close(pending.channel);
        done.add(new Answer(pending.answer, connected ? HostReachability.reachable(HostReachability.TCP, ms)
                : HostReachability.unreachable(HostReachability.TCP)));
    }

    private void hand(List<Answer> done) {
        for (int from = 0; from < done.size(); from += BATCH) {
            List<Answer> batch = done.subList(from, Math.min(done.size(), from + BATCH));
            try {
                answers.execute(() -> batch.forEach(TcpProbeLoop::deliver));
            } catch (RejectedExecutionException stopping) {
                return;   // the monitor is stopping
            }
        }
    }

    private static void deliver(Answer answer) {
        try {
            answer.to().accept(answer.reachability());
        } catch (RuntimeException unexpected) {
            LOG.error("A probe's answer failed", unexpected);
        }
    }

    private static void close(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() {
        open = false;
        try {
            selector.wakeup();
            thread.join(1_000);
            for (SelectionKey key : selector.keys()) {
                close((SocketChannel) key.channel());
            }
            selector.close();
        } catch (IOException | java.nio.channels.ClosedSelectorException ignored) {
            // stopping anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
