package dev.cubeguardian.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many TCP listeners on loopback served by one thread: each counts the connections it accepted,
 * which is how often a host probed by TCP was probed.
 */
public final class CountingListeners implements AutoCloseable {

    private final Selector selector = Selector.open();
    private final List<ServerSocketChannel> channels = new ArrayList<>();
    private final Map<Integer, AtomicInteger> accepted = new ConcurrentHashMap<>();
    private final Thread thread;

    public CountingListeners(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            ServerSocketChannel channel = ServerSocketChannel.open();
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_ACCEPT);
            channels.add(channel);
            accepted.put(port(i), new AtomicInteger());
        }
        thread = new Thread(this::serve, "counting-listeners");
        thread.setDaemon(true);
        thread.start();
    }

    public int size() {
        return channels.size();
    }

    public int port(int index) {
        return channels.get(index).socket().getLocalPort();
    }

    public int accepted(int index) {
        return accepted.get(port(index)).get();
    }

    private void serve() {
        while (selector.isOpen()) {
            try {
                selector.select(200);
                for (SelectionKey key : selector.selectedKeys()) {
                    ServerSocketChannel channel = (ServerSocketChannel) key.channel();
                    SocketChannel connection = channel.accept();
                    if (connection != null) {
                        accepted.get(channel.socket().getLocalPort()).incrementAndGet();
                        connection.close();
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException | java.nio.channels.ClosedSelectorException closed) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        selector.close();
        for (ServerSocketChannel channel : channels) {
            channel.close();
        }
    }
}
