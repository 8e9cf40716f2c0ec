package dev.cubeguardian.gateway;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Connections per client address: at most {@link #MAX_OPEN_PER_ADDRESS} at once, and new ones
 * from a token bucket ({@link #BURST} at once, {@link #REFILL_PER_SECOND} a second after
 * that). A household behind one NAT address with a few players and their server lists stays far
 * below; a script opening connections in a loop does not. The table of addresses is bounded
 * too, so a flood from many addresses cannot grow it without end.
 *
 * <p>An IPv6 client is counted by its /64, the network one household or machine gets: a single
 * host may use any of its 2^64 addresses, and counting each on its own would let it open
 * thousands of connections and fill the table in seconds.
 */
final class AddressLimiter {

    static final int MAX_OPEN_PER_ADDRESS = 8;
    static final int BURST = 20;
    static final double REFILL_PER_SECOND = 2.0;
    static final int MAX_OPEN = 1024;
    static final int MAX_ADDRESSES = 4096;

    private static final class Entry {
        int open;
        double tokens = BURST;
        long refilledAt;
    }

    private final Map<InetAddress, Entry> entries = new HashMap<>();
    private int open;

    /** Takes one connection for the address; false when it must be refused. */
    synchronized boolean admit(InetAddress client, long nowNanos) {
        InetAddress address = key(client);
        if (open >= MAX_OPEN) {
            return false;
        }
        Entry entry = entries.get(address);
        if (entry == null) {
            if (entries.size() >= MAX_ADDRESSES) {
                sweep(nowNanos);
                if (entries.size() >= MAX_ADDRESSES) {
                    return false;
                }
            }
            entry = new Entry();
            entry.refilledAt = nowNanos;
            entries.put(address, entry);
        }
        refill(entry, nowNanos);
        if (entry.open >= MAX_OPEN_PER_ADDRESS || entry.tokens < 1) {
            return false;
        }
        entry.tokens -= 1;
        entry.open++;
        open++;
        return true;
    }

    synchronized void release(InetAddress client) {
        Entry entry = entries.get(key(client));
        if (entry != null && entry.open > 0) {
            entry.open--;
            open--;
        }
    }

    synchronized int open() {
        return open;
    }

    synchronized int addresses() {
        return entries.size();
    }

    /** What a client is counted by: its IPv4 address, or its IPv6 address's /64. */
    static InetAddress key(InetAddress client) {
        if (!(client instanceof Inet6Address)) {
            return client;
        }
        byte[] prefix = java.util.Arrays.copyOf(client.getAddress(), 16);
        java.util.Arrays.fill(prefix, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(prefix);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("16 bytes are an IPv6 address", impossible);
        }
    }

    /** Forgets addresses with nothing open whose bucket has filled up again: they are as new. */
    private void sweep(long nowNanos) {
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            refill(entry, nowNanos);
            if (entry.open == 0 && entry.tokens >= BURST) {
                it.remove();
            }
        }
    }

    private static void refill(Entry entry, long nowNanos) {
        double seconds = (nowNanos - entry.refilledAt) / 1e9;
        if (seconds > 0) {
            entry.tokens = Math.min(BURST, entry.tokens + seconds * REFILL_PER_SECOND);
            entry.refilledAt = nowNanos;
        }
    }
}
