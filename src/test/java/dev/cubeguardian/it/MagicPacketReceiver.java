package dev.cubeguardian.it;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real UDP socket on loopback where the worker's Wake-on-LAN packets land, byte for byte. */
public final class MagicPacketReceiver implements AutoCloseable {

    private final DatagramSocket socket;
    private final List<byte[]> packets = new CopyOnWriteArrayList<>();
    private final Thread thread;

    public MagicPacketReceiver() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setSoTimeout(200);
        thread = new Thread(this::receive, "test-wol-receiver");
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    public void clear() {
        packets.clear();
    }

    public List<byte[]> packets() {
        return List.copyOf(packets);
    }

    public List<byte[]> awaitPackets(int count, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (packets.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return packets();
    }

    private void receive() {
        byte[] buffer = new byte[2048];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                packets.add(Arrays.copyOf(packet.getData(), packet.getLength()));
            } catch (SocketTimeoutException idle) {
                // loop to notice close()
            } catch (IOException closed) {
                return;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
