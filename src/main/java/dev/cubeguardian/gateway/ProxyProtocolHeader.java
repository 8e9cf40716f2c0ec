package dev.cubeguardian.gateway;

import io.netty.channel.Channel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The PROXY protocol v2 header that tells the real server (Paper, Velocity, with proxy-protocol
 * on) who the player really is: source = the player, destination = the gateway's address.
 */
final class ProxyProtocolHeader {

    private ProxyProtocolHeader() {
    }

    static HAProxyMessage of(Channel player) {
        InetSocketAddress source = (InetSocketAddress) player.remoteAddress();
        InetSocketAddress destination = (InetSocketAddress) player.localAddress();
        boolean v4 = source.getAddress() instanceof Inet4Address && destination.getAddress() instanceof Inet4Address;
        return new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY,
                v4 ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6,
                text(source.getAddress(), v4), text(destination.getAddress(), v4), source.getPort(), destination.getPort());
    }

    /** One family for both ends: an IPv4 end beside an IPv6 one is written as ::ffff:a.b.c.d. */
    private static String text(InetAddress address, boolean v4) {
        if (v4 || !(address instanceof Inet4Address)) {
            String text = address.getHostAddress();
            int zone = text.indexOf('%');
            return zone < 0 ? text : text.substring(0, zone);
        }
        return "::ffff:" + address.getHostAddress();
    }
}
