package dev.cubeguardian.demo;

import dev.cubeguardian.wol.MacAddress;
import dev.cubeguardian.wol.MagicPacketBuilder;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;

/** A UDP socket standing in for the host's network card: it wakes the host on a magic packet for its MAC. */
final class WakeOnLanListener implements AutoCloseable {

    private final DatagramSocket socket;
    private final MacAddress mac;
    private final Runnable onMagicPacket;
    private final AtomicInteger magicPackets = new AtomicInteger();
    private final Thread thread;

    WakeOnLanListener(InetAddress bind, MacAddress mac, Runnable onMagicPacket) throws SocketException {
        this.socket = new DatagramSocket(new InetSocketAddress(bind, 0));
        this.mac = mac;
        this.onMagicPacket = onMagicPacket;
        this.thread = new Thread(this::listen, "demo-wol-listener");
        thread.setDaemon(true);
    }

    WakeOnLanListener start() {
        thread.start();
        return this;
    }

    int port() {
        return socket.getLocalPort();
    }

    int magicPackets() {
        return magicPackets.get();
    }

    private void listen() {
        byte[] buffer = new byte[1024];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException closed) {
                return;
            }
            if (MagicPacketBuilder.isMagicPacketFor(packet.getData(), packet.getLength(), mac)) {
                magicPackets.incrementAndGet();
                onMagicPacket.run();
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
