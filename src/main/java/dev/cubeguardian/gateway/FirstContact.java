package dev.cubeguardian.gateway;

import dev.cubeguardian.state.GatewayView;
import dev.cubeguardian.state.HostState;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A new connection until the gateway knows where it goes: reads the handshake (and the login
 * start's player name), then hands it to the real server through the proxy, or answers it
 * itself while the server sleeps. Every byte read is kept, to be replayed to the real server.
 * Bounded in size ({@link FirstPackets}) and in time ({@link #HANDSHAKE_TIME}).
 */
final class FirstContact extends ChannelInboundHandlerAdapter {

    static final Duration HANDSHAKE_TIME = Duration.ofSeconds(5);
    /** Legacy clients send 0xFE, then (1.4+) 0x01 and (1.6) more; wait this long for the second byte. */
    static final long LEGACY_FOLLOW_UP_MILLIS = 150;

    private final HostGateway gateway;
    private ByteBuf received;
    private ScheduledFuture<?> deadline;
    private boolean decided;
    private boolean legacyWaiting;

    FirstContact(HostGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        received = ctx.alloc().buffer(256);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        deadline = ctx.executor().schedule(() -> {
            if (!decided) {
                refuse(ctx, Refusal.TIMEOUT, "no complete handshake within " + HANDSHAKE_TIME.toSeconds() + " s");
            }
        }, HANDSHAKE_TIME.toMillis(), TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf bytes = (ByteBuf) msg;
        try {
            if (received.readableBytes() + bytes.readableBytes() > FirstPackets.MAX_HANDSHAKE_BYTES
                    + FirstPackets.MAX_LOGIN_START_BYTES + 64 * 1024) {
                // even while the proxy connects, a client may not pile up bytes for us to hold
                refuse(ctx, Refusal.HANDSHAKE_TOO_LARGE, "too much sent before the gateway answered");
                return;
            }
            received.writeBytes(bytes);
        } finally {
            bytes.release();
        }
        if (decided) {
            return;   // the proxy is connecting: these bytes are replayed with the rest
        }
        FirstPackets.Read read;
        try {
            read = FirstPackets.read(received);
        } catch (RefusedException e) {
            refuse(ctx, e.refusal(), e.getMessage());
            return;
        }
        switch (read.progress()) {
            case NEED_MORE -> { }
            case LEGACY_PING -> legacy(ctx);
            case STATUS, LOGIN -> route(ctx, read);
        }
    }

    private void legacy(ChannelHandlerContext ctx) {
        if (received.readableBytes() >= 2) {
            route(ctx, new FirstPackets.Read(FirstPackets.Progress.LEGACY_PING, null, 0, null));
            return;
        }
        if (legacyWaiting) {
            return;
        }
        legacyWaiting = true;
        ctx.executor().schedule(() -> {
            // still the lone 0xFE of a 1.3 client? What came meanwhile may have made it a modern handshake
            if (!decided && ctx.channel().isActive() && received != null && received.readableBytes() == 1) {
                route(ctx, new FirstPackets.Read(FirstPackets.Progress.LEGACY_PING, null, 0, null));
            }
        }, LEGACY_FOLLOW_UP_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void route(ChannelHandlerContext ctx, FirstPackets.Read read) {
        decided = true;
        GatewayView view = gateway.view();
        if (goesToServer(view.state())) {
            ProxyConnector.connect(ctx, gateway, read, this::takeReceived,
                    () -> answer(ctx, read, view, view.state() == HostState.ONLINE ? HostState.UNREACHABLE : view.state()));
        } else {
            answer(ctx, read, view, view.state());
        }
    }

    /**
     * Online: players go through. Unknown (the worker just started and has not probed yet) and
     * stopping (a delayed shutdown may leave minutes of play) are tried too; if the server does
     * not take the connection, the gateway answers instead.
     */
    private static boolean goesToServer(HostState state) {
        return state == HostState.ONLINE || state == HostState.UNKNOWN || state == HostState.STOPPING;
    }

    /** Gives the bytes read so far to the proxy, which writes them to the server first. */
    private ByteBuf takeReceived() {
        ByteBuf all = received;
        received = null;
        return all;
    }

    private void answer(ChannelHandlerContext ctx, FirstPackets.Read read, GatewayView view, HostState shown) {
        if (!ctx.channel().isActive() || received == null) {
            return;
        }
        // after a proxy that could not connect, the player's side was left not reading: the
        // status conversation would never see the ping that follows the status
        ctx.channel().config().setAutoRead(true);
        switch (read.progress()) {
            case LEGACY_PING -> {
                boolean modern = received.readableBytes() >= 2 && received.getUnsignedByte(received.readerIndex() + 1) == 0x01;
                String text = gateway.answers().legacyText(view, shown, modern);
                ctx.writeAndFlush(Packets.legacyKick(ctx.alloc(), text)).addListener(ChannelFutureListener.CLOSE);
            }
            case LOGIN -> login(ctx, read, view, shown);
            case STATUS -> {
                received.readerIndex(read.handshakeEnd());
                ByteBuf rest = takeReceived();
                cancelDeadline();
                ctx.pipeline().replace(this, "status", new StatusConversation(gateway, read.handshake(), view, shown, rest));
            }
            default -> ctx.close();
        }
    }

    private void login(ChannelHandlerContext ctx, FirstPackets.Read read, GatewayView view, HostState shown) {
        LoginDecision.Answer answer = gateway.decision().decide(view, shown, read.player());
        if (answer.wake()) {
            gateway.requestWake("gateway:" + read.player());
        }
        gateway.login(read.player(), answer.outcome(), answer.reason());
        String text = answer.comeBack() == null
                ? gateway.texts().text(answer.kickKey(), gateway.displayName())
                : gateway.texts().text(answer.kickKey(), gateway.displayName(), gateway.texts().comeBackIn(answer.comeBack()));
        ctx.writeAndFlush(Packets.loginDisconnect(ctx.alloc(), gateway.answers().disconnectJson(text)))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void refuse(ChannelHandlerContext ctx, Refusal refusal, String detail) {
        decided = true;
        gateway.refused(refusal, detail);
        ctx.close();
    }

    void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelDeadline();
        if (received != null) {
            received.release();
            received = null;
        }
    }
}
