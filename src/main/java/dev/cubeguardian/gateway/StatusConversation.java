package dev.cubeguardian.gateway;

import dev.cubeguardian.config.GatewaySettings.WakeOn;
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
 * The server list conversation the gateway holds itself while the real server sleeps: status
 * request, status response, ping, pong, close. Packets are tiny; anything else, or anything
 * slow, closes the connection.
 */
final class StatusConversation extends ChannelInboundHandlerAdapter {

    /** A status and a ping take milliseconds; vanilla gives up on a client after 30 s. */
    static final Duration CONVERSATION_TIME = Duration.ofSeconds(10);
    /** Status request: 1 byte; ping: 9. Nothing else belongs here. */
    static final int MAX_STATUS_PACKET = 64;
    private static final int STATUS_REQUEST = 0x00;
    private static final int PING = 0x01;

    private final HostGateway gateway;
    private final Handshake handshake;
    private final GatewayView view;
    private final HostState shown;
    private ByteBuf received;
    private ScheduledFuture<?> deadline;
    private boolean statusSent;

    StatusConversation(HostGateway gateway, Handshake handshake, GatewayView view, HostState shown, ByteBuf received) {
        this.gateway = gateway;
        this.handshake = handshake;
        this.view = view;
        this.shown = shown;
        this.received = received;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> {
            gateway.refused(Refusal.TIMEOUT, "status conversation longer than " + CONVERSATION_TIME.toSeconds() + " s");
            ctx.close();
        }, CONVERSATION_TIME.toMillis(), TimeUnit.MILLISECONDS);
        // the status request often came in the same segment as the handshake
        ctx.executor().execute(() -> readPackets(ctx));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf bytes = (ByteBuf) msg;
        try {
            if (received == null) {
                return;
            }
            if (received.readableBytes() + bytes.readableBytes() > 4 * MAX_STATUS_PACKET) {
                refuse(ctx, Refusal.UNEXPECTED_PACKET, "more than a status request and a ping");
                return;
            }
            received.writeBytes(bytes);
        } finally {
            bytes.release();
        }
        readPackets(ctx);
    }

    private void readPackets(ChannelHandlerContext ctx) {
        while (received != null && received.isReadable() && ctx.channel().isActive()) {
            WireReader reader = new WireReader(received, received.readerIndex(), received.writerIndex());
            try {
                int length = reader.readVarInt();
                if (length > FirstPackets.MAX_PACKET_BYTES) {
                    refuse(ctx, Refusal.PACKET_TOO_LARGE, "packet of " + length + " bytes");
                    return;
                }
                if (length <= 0 || length > MAX_STATUS_PACKET) {
                    refuse(ctx, Refusal.UNEXPECTED_PACKET, "packet of " + length + " bytes while asleep");
                    return;
                }
                if (reader.remaining() < length) {
                    return;   // wait for the rest
                }
                int end = reader.index() + length;
                int id = reader.readVarInt();
                if (id == STATUS_REQUEST && end == reader.index() && !statusSent) {
                    statusSent = true;
                    received.readerIndex(end);
                    answerStatus(ctx);
                } else if (id == PING && end - reader.index() == 8) {
                    long payload = reader.readLong();
                    received.readerIndex(end);
                    ctx.writeAndFlush(Packets.pong(ctx.alloc(), payload)).addListener(ChannelFutureListener.CLOSE);
                    return;
                } else {
                    refuse(ctx, Refusal.UNEXPECTED_PACKET, "packet 0x" + Integer.toHexString(id) + " in the status conversation");
                    return;
                }
            } catch (WireReader.Incomplete incomplete) {
                return;
            } catch (RefusedException e) {
                refuse(ctx, e.refusal(), e.getMessage());
                return;
            }
        }
    }

    private void answerStatus(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(Packets.statusResponse(ctx.alloc(), gateway.answers().statusJson(view, shown, handshake.protocol())));
        // a status ping wakes only with wake-on: status, and only anonymously allowed hosts: a
        // server list cannot say which player looks at it
        boolean asleep = shown == HostState.OFF || shown == HostState.UNREACHABLE || shown == HostState.UNKNOWN;
        if (asleep && gateway.settings().wakeOn() == WakeOn.STATUS && gateway.settings().allow().isEmpty()
                && gateway.cooldown().tryClaim()) {
            gateway.requestWake("gateway:server-list");
        }
    }

    private void refuse(ChannelHandlerContext ctx, Refusal refusal, String detail) {
        gateway.refused(refusal, detail);
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        if (received != null) {
            received.release();
            received = null;
        }
    }
}
