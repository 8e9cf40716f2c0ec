package dev.cubeguardian.gateway;

import dev.cubeguardian.config.MinecraftSettings;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Carries a player's connection to the real server: connects (the player's side stops reading
 * meanwhile), sends the PROXY v2 header when configured, replays every byte the gateway read,
 * then relays both ways. If the server does not take the connection, the gateway answers the
 * player itself ({@code fallback}).
 */
final class ProxyConnector {

    /** Each direction buffers at most this much for a slow reader before the other side pauses. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 128 * 1024);

    private ProxyConnector() {
    }

    static void connect(ChannelHandlerContext ctx, HostGateway gateway, FirstPackets.Read read,
            Supplier<ByteBuf> received, Runnable fallback) {
        Channel player = ctx.channel();
        player.config().setAutoRead(false);
        MinecraftSettings server = gateway.server();
        if (io.netty.util.NetUtil.isValidIpV4Address(server.address()) || io.netty.util.NetUtil.isValidIpV6Address(server.address())) {
            // an address literal needs no look-up: connect at once, on this event loop
            connectTo(ctx, gateway, read, new InetSocketAddress(
                    io.netty.util.NetUtil.createInetAddressFromIpAddressString(server.address()), server.port()), received, fallback);
            return;
        }
        // a DNS name is resolved off the event loop: a slow resolver must not stall other players
        CompletableFuture.supplyAsync(() -> resolve(server.address()), gateway.resolver())
                .whenComplete((address, failure) -> ctx.executor().execute(() -> {
                    if (!player.isActive()) {
                        return;
                    }
                    if (failure != null) {
                        fallback.run();
                        return;
                    }
                    connectTo(ctx, gateway, read, new InetSocketAddress(address, server.port()), received, fallback);
                }));
    }

    private static void connectTo(ChannelHandlerContext ctx, HostGateway gateway, FirstPackets.Read read,
            InetSocketAddress target, Supplier<ByteBuf> received, Runnable fallback) {
        Channel player = ctx.channel();
        ChannelFuture connecting = new Bootstrap()
                .group(player.eventLoop())
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) gateway.server().timeout().toMillis())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .handler(new Relay(player))
                .connect(target);
        gateway.track(connecting.channel());
        connecting.addListener(done -> {
            Channel server = connecting.channel();
            if (!done.isSuccess()) {
                fallback.run();
                return;
            }
            if (!player.isActive()) {
                server.close();
                return;
            }
            if (gateway.settings().proxyProtocol()) {
                server.pipeline().addFirst("proxy-protocol", HAProxyMessageEncoder.INSTANCE);
                server.write(ProxyProtocolHeader.of(player));
                server.pipeline().remove("proxy-protocol");
            }
            server.writeAndFlush(received.get());
            ctx.pipeline().replace(ctx.handler(), "relay", new Relay(server));
            player.config().setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK);
            if (read.progress() == FirstPackets.Progress.LOGIN) {
                gateway.login(read.player(), "proxied", null);
                gateway.playerConnected();
                player.closeFuture().addListener(closed -> gateway.playerDisconnected());
            }
            player.config().setAutoRead(true);
            server.config().setAutoRead(true);
        });
    }

    private static InetAddress resolve(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
