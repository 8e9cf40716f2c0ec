package dev.cubeguardian.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cubeguardian.config.GatewaySettings;
import dev.cubeguardian.config.HostConfig;
import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.config.InvalidSettingException;
import dev.cubeguardian.config.MinecraftSettings;
import dev.cubeguardian.logging.ThrottledWarning;
import dev.cubeguardian.observe.WorkerMetrics;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Minecraft gateways of every host that has one ({@code minecraft.gateway}): one listening
 * socket each, all on one small set of Netty event loops. A gateway that cannot listen stops
 * the worker, saying which host and address; players would otherwise find nothing there.
 */
public final class GatewayServer extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
    /** Waiting wakes, events and player counts; far more than a login storm makes (one wake). */
    static final int MAX_WAITING_PUBLICATIONS = 1024;
    private static final int IO_THREADS = 2;

    private final List<HostGateway> gateways = new ArrayList<>();
    private final List<Channel> listeners = new ArrayList<>();
    private final AtomicLong droppedPublications = new AtomicLong();
    private final ThrottledWarning dropWarning = new ThrottledWarning(LOG::warn,
            "Gateway: the broker side is not keeping up; dropped a wake, event or player count", Duration.ofMinutes(1),
            System::nanoTime);
    private final ThreadPoolExecutor publisher;
    private final ThreadPoolExecutor resolver;
    private EventLoopGroup acceptors;
    private EventLoopGroup io;
    private final boolean demo;

    public GatewayServer(Inventory inventory, GatewayLink link, Locale locale, WorkerMetrics metrics, Clock clock) {
        this.publisher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_WAITING_PUBLICATIONS),
                new DefaultThreadFactory("gateway-publish", true), (task, pool) -> {
                    droppedPublications.incrementAndGet();
                    // a login flood would write this line per login: once a minute, with the count
                    dropWarning.warn();
                });
        this.resolver = new ThreadPoolExecutor(1, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256),
                new DefaultThreadFactory("gateway-resolve", true), new ThreadPoolExecutor.AbortPolicy());
        this.demo = inventory.source() == null;
        GatewayTexts texts = new GatewayTexts(locale);
        ObjectMapper json = new ObjectMapper();
        for (HostConfig host : inventory.hosts().values()) {
            host.minecraft().flatMap(MinecraftSettings::gateway).ifPresent(settings -> gateways.add(
                    new HostGateway(host, link, publisher, resolver, metrics, texts, new SleepingAnswers(settings, texts, json), clock)));
        }
        metrics.watch("cubeguardian.gateway.connections", "Open connections at the Minecraft gateways",
                () -> gateways.stream().mapToInt(g -> g.limiter().open()).sum());
        metrics.watch("cubeguardian.gateway.proxied.players", "Players connected to their server through a gateway",
                () -> gateways.stream().mapToInt(HostGateway::playersConnected).sum());
        metrics.watch("cubeguardian.gateway.buffered.bytes", "Bytes the Minecraft gateways hold for readers slower than their senders",
                this::bufferedBytes);
    }

    public boolean hasGateways() {
        return !gateways.isEmpty();
    }

    /** The port each host's gateway listens on, by host id (for tests and the demo banner). */
    public java.util.Map<String, Integer> boundPorts() {
        java.util.Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        for (int i = 0; i < listeners.size(); i++) {
            ports.put(gateways.get(i).hostId(), ((InetSocketAddress) listeners.get(i).localAddress()).getPort());
        }
        return ports;
    }

    @Override
    protected void doStart() {
        if (gateways.isEmpty()) {
            return;
        }
        acceptors = new NioEventLoopGroup(1, new DefaultThreadFactory("gateway-accept", true));
        io = new NioEventLoopGroup(IO_THREADS, new DefaultThreadFactory("gateway-io", true));
        for (HostGateway gateway : gateways) {
            listeners.add(bind(gateway));
        }
    }

    private Channel bind(HostGateway gateway) {
        GatewaySettings settings = gateway.settings();
        ConnectionGuard guard = new ConnectionGuard(gateway);
        ChannelFuture bound = new ServerBootstrap()
                .group(acceptors, io)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 128)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, ProxyConnector.WATER_MARK)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        gateway.track(channel);
                        channel.pipeline().addLast("guard", guard).addLast("first-contact", new FirstContact(gateway));
                    }
                })
                .bind(new InetSocketAddress(settings.listenHost(), settings.listenPort()));
        bound.awaitUninterruptibly(10, TimeUnit.SECONDS);
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            stopGroups();
            throw new InvalidSettingException("The Minecraft gateway of host '" + gateway.hostId() + "' cannot listen on "
                    + settings.listen() + " (" + (cause == null ? "timed out" : cause.getMessage()) + "): another program,"
                    + " the Minecraft server itself perhaps, uses that port. "
                    + (demo ? "Set CUBEGUARDIAN_DEMO_GATEWAY_PORT to a free port, or to off for a demo without a gateway."
                            : "Change minecraft.gateway.listen of '" + gateway.hostId() + "' in the inventory, or stop what listens there."));
        }
        LOG.info("Minecraft gateway of {} listening on {}, for the server at {}:{}", gateway.hostId(),
                settings.listen(), gateway.server().address(), gateway.server().port());
        return bound.channel();
    }

    @Override
    protected void doStop() {
        for (Channel listener : listeners) {
            listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        listeners.clear();
        stopGroups();
        publisher.shutdown();
        resolver.shutdown();
    }

    private void stopGroups() {
        // quiet period 0: connections are cut at once, as a stopped server's would be
        if (io != null) {
            io.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
        if (acceptors != null) {
            acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
    }

    /** Bytes written by the gateways and not yet taken by the other end (a gauge; for tests too). */
    long bufferedBytes() {
        return gateways.stream().mapToLong(HostGateway::bufferedBytes).sum();
    }

    long droppedPublications() {
        return droppedPublications.get();
    }
}
