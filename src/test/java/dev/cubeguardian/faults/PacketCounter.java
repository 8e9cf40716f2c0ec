package dev.cubeguardian.faults;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real UDP socket on loopback that checks every datagram byte for byte: a magic packet is
 * 6 x 0xFF then 16 times one MAC. Counts valid packets per MAC, and anything else apart.
 */
final class PacketCounter implements AutoCloseable {

    private final DatagramSocket socket;
    private final Map<String, AtomicInteger> byMac = new ConcurrentHashMap<>();
    private final AtomicInteger malformed = new AtomicInteger();
    private final AtomicInteger total = new AtomicInteger();

    PacketCounter() throws IOException {
        socket = new DatagramSocket(null);
        socket.setReceiveBufferSize(4 << 20);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setSoTimeout(200);
        Thread thread = new Thread(this::receive, "faults-wol-counter");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    int count(String mac) {
        AtomicInteger n = byMac.get(mac.toUpperCase(java.util.Locale.ROOT));
        return n == null ? 0 : n.get();
    }

    int total() {
        return total.get();
    }

    int malformed() {
        return malformed.get();
    }

    private void receive() {
        byte[] buffer = new byte[2048];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                total.incrementAndGet();
                String mac = macOf(packet.getData(), packet.getLength());
                if (mac == null) {
                    malformed.incrementAndGet();
                } else {
                    byMac.computeIfAbsent(mac, m -> new AtomicInteger()).incrementAndGet();
                }
            } catch (SocketTimeoutException idle) {
                // loop to notice close()
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static String macOf(byte[] data, int length) {
        if (length != 102) {
            return null;
        }
        for (int i = 0; i < 6; i++) {
            if (data[i] != (byte) 0xFF) {
                return null;
            }
        }
        for (int r = 1; r < 16; r++) {
            for (int i = 0; i < 6; i++) {
                if (data[6 + 6 * r + i] != data[6 + i]) {
                    return null;
                }
            }
        }
        StringBuilder mac = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            mac.append(i == 0 ? "" : ":").append(String.format("%02X", data[6 + i]));
        }
        return mac.toString();
    }

    @Override
    public void close() {
        socket.close();
    }
}
