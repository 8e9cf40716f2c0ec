package dev.cubeguardian.gateway;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * First in every gateway connection's pipeline: refuses a connection over the limits of its
 * address (or of the gateway) before a byte of it is read, and gives the slot back when it closes.
 */
@Sharable
final class ConnectionGuard extends ChannelInboundHandlerAdapter {

    private final HostGateway gateway;

    ConnectionGuard(HostGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        if (!gateway.limiter().admit(address, System.nanoTime())) {
            gateway.refused(Refusal.TOO_MANY_CONNECTIONS, address.getHostAddress());
            ctx.close();
            return;
        }
        ctx.channel().closeFuture().addListener(closed -> gateway.limiter().release(address));
        ctx.pipeline().remove(this);
        super.channelActive(ctx);
    }
}
