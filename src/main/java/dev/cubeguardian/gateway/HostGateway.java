package dev.cubeguardian.gateway;

import dev.cubeguardian.config.GatewaySettings;
import dev.cubeguardian.config.HostConfig;
import dev.cubeguardian.config.MinecraftSettings;
import dev.cubeguardian.logging.LogText;
import dev.cubeguardian.observe.WorkerMetrics;
import dev.cubeguardian.state.GatewayView;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One host's gateway as its connections see it: the settings, the texts, the wake cooldown and
 * connection limits, and the way out to the broker. Anything that publishes is handed to the
 * publishing executor, so a Netty event loop never waits for the MQTT side.
 */
final class HostGateway {

    private static final Logger LOG = LoggerFactory.getLogger(HostGateway.class);

    private final HostConfig host;
    private final MinecraftSettings server;
    private final GatewaySettings settings;
    private final GatewayLink link;
    private final Executor publisher;
    private final Executor resolver;
    private final WorkerMetrics metrics;
    private final SleepingAnswers answers;
    private final LoginDecision decision;
    private final GatewayTexts texts;
    private final WakeCooldown cooldown;
    private final AddressLimiter limiter = new AddressLimiter();
    private final AtomicInteger players = new AtomicInteger();
    /** Every open connection of this gateway, players' and the proxy's to the server: what they hold is counted. */
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    HostGateway(HostConfig host, GatewayLink link, Executor publisher, Executor resolver, WorkerMetrics metrics,
            GatewayTexts texts, SleepingAnswers answers, Clock clock) {
        this.resolver = resolver;
        this.host = host;
        this.server = host.minecraft().orElseThrow();
        this.settings = server.gateway().orElseThrow();
        this.link = link;
        this.publisher = publisher;
        this.metrics = metrics;
        this.texts = texts;
        this.answers = answers;
        this.cooldown = new WakeCooldown(settings.wakeCooldown(), clock);
        this.decision = new LoginDecision(settings, cooldown, clock);
    }

    String hostId() {
        return host.id();
    }

    String displayName() {
        return host.displayName();
    }

    MinecraftSettings server() {
        return server;
    }

    GatewaySettings settings() {
        return settings;
    }

    /** Where the real server's name is looked up, off the event loops. */
    Executor resolver() {
        return resolver;
    }

    SleepingAnswers answers() {
        return answers;
    }

    LoginDecision decision() {
        return decision;
    }

    GatewayTexts texts() {
        return texts;
    }

    WakeCooldown cooldown() {
        return cooldown;
    }

    AddressLimiter limiter() {
        return limiter;
    }

    /** A connection of this gateway (a player's, or the proxy's to the server); forgotten when it closes. */
    void track(Channel channel) {
        channels.add(channel);
    }

    /**
     * What this gateway's connections hold, written but not yet taken by the other end: the
     * proxy's back-pressure keeps it to about the high-water mark per direction, whatever the
     * players and the server send.
     */
    long bufferedBytes() {
        long total = 0;
        for (Channel channel : channels) {
            ChannelOutboundBuffer pending = channel.unsafe().outboundBuffer();
            if (pending != null) {
                total += pending.totalPendingWriteBytes();
            }
        }
        return total;
    }

    GatewayView view() {
        return link.view(host.id());
    }

    /** Publishes {@code <base>/<host>/cmd/wake}; the only command a gateway ever sends, and only for its host. */
    void requestWake(String requestedBy) {
        // one id per cooldown window: gateways of two share group members (or a login storm) wake
        // once, and each wake the cooldown lets through is a new command
        String id = dev.cubeguardian.command.DerivedIds.ofWindow("gw", host.id(), cooldown.lastClaim(), cooldown.window());
        // the player chose the name: made harmless for the log, as every client-given text is
        LOG.info("Gateway of {}: {} asks to play, requesting wake {}", host.id(), LogText.of(requestedBy), id);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", id);
        payload.put("requested_by", requestedBy);
        publisher.execute(() -> link.command(host.id(), "wake", payload));
    }

    void login(String player, String outcome, String reason) {
        metrics.gatewayLogin(host.id(), outcome);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "gateway_login");
        event.put("player", player);
        event.put("outcome", outcome);
        if (reason != null) {
            event.put("reason", reason);
        }
        publisher.execute(() -> link.event(host.id(), event));
    }

    void refused(Refusal refusal, String detail) {
        metrics.gatewayRefused(host.id(), refusal.wireName());
        LOG.debug("Gateway of {}: connection closed ({}): {}", host.id(), refusal.wireName(), detail);
    }

    void playerConnected() {
        int now = players.incrementAndGet();
        publisher.execute(() -> link.playersConnected(host.id(), players.get()));
        LOG.debug("Gateway of {}: {} player(s) connected through the proxy", host.id(), now);
    }

    void playerDisconnected() {
        players.decrementAndGet();
        publisher.execute(() -> link.playersConnected(host.id(), players.get()));
    }

    int playersConnected() {
        return players.get();
    }
}
