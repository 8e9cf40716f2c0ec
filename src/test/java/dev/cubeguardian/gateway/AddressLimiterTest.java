package dev.cubeguardian.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** Connections per address: a few at once, new ones from a token bucket, and a bounded table of addresses. */
class AddressLimiterTest {

    private static final long SECOND = 1_000_000_000L;
    /** Not 0: the limiter must not assume the clock starts anywhere in particular. */
    private static final long T0 = 7_000 * SECOND;

    private final AddressLimiter limiter = new AddressLimiter();

    private static InetAddress address(int n) {
        try {
            return InetAddress.getByAddress(new byte[] {10, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void oneAddressHasAtMostEightConnectionsOpenAtOnce() {
        InetAddress player = address(1);
        for (int i = 0; i < AddressLimiter.MAX_OPEN_PER_ADDRESS; i++) {
            assertTrue(limiter.admit(player, T0), "connection " + (i + 1));
        }

        assertFalse(limiter.admit(player, T0), "the ninth at once");
        assertEquals(AddressLimiter.MAX_OPEN_PER_ADDRESS, limiter.open());

        limiter.release(player);
        assertTrue(limiter.admit(player, T0), "one closed: one may come");
    }

    @Test
    void anotherAddressIsNotHeldBackByAFullOne() {
        InetAddress flooder = address(1);
        while (limiter.admit(flooder, T0)) {
            // until refused
        }

        assertTrue(limiter.admit(address(2), T0));
    }

    @Test
    void newConnectionsComeFromABucketOfTwentyRefilledAtTwoASecond() {
        InetAddress script = address(1);
        for (int i = 0; i < AddressLimiter.BURST; i++) {
            assertTrue(limiter.admit(script, T0), "burst connection " + (i + 1));
            limiter.release(script);
        }
        assertFalse(limiter.admit(script, T0), "the bucket is empty, though nothing is open");

        assertFalse(limiter.admit(script, T0 + SECOND / 4), "a quarter second: half a token");
        assertTrue(limiter.admit(script, T0 + SECOND / 2), "half a second: one token");
        limiter.release(script);
        assertFalse(limiter.admit(script, T0 + SECOND / 2));

        // a long pause fills the bucket to its size, not beyond
        long later = T0 + 3600 * SECOND;
        int admitted = 0;
        while (limiter.admit(script, later)) {
            limiter.release(script);
            admitted++;
        }
        assertEquals(AddressLimiter.BURST, admitted);
    }

    @Test
    void aRefusedConnectionTakesNoToken() {
        InetAddress player = address(1);
        for (int i = 0; i < AddressLimiter.MAX_OPEN_PER_ADDRESS; i++) {
            limiter.admit(player, T0);
        }
        for (int i = 0; i < 100; i++) {
            assertFalse(limiter.admit(player, T0));
        }
        for (int i = 0; i < AddressLimiter.MAX_OPEN_PER_ADDRESS; i++) {
            limiter.release(player);
        }

        // 20 - 8 tokens left: the 100 refusals cost nothing
        int admitted = 0;
        while (limiter.admit(player, T0)) {
            limiter.release(player);
            admitted++;
        }
        assertEquals(AddressLimiter.BURST - AddressLimiter.MAX_OPEN_PER_ADDRESS, admitted);
    }

    @Test
    void theGatewayAsAWholeHasAtMost1024ConnectionsOpen() {
        int address = 0;
        while (limiter.open() < AddressLimiter.MAX_OPEN) {
            InetAddress next = address(address++);
            for (int i = 0; i < AddressLimiter.MAX_OPEN_PER_ADDRESS && limiter.open() < AddressLimiter.MAX_OPEN; i++) {
                assertTrue(limiter.admit(next, T0));
            }
        }

        assertFalse(limiter.admit(address(999_999), T0), "full, even for a new address");
        limiter.release(address(0));
        assertTrue(limiter.admit(address(999_999), T0));
    }

    @Test
    void theTableOfAddressesIsBoundedAndForgetsAddressesThatAreAsNewAgain() {
        // 4096 addresses each made one connection and closed it: each bucket is one token short
        for (int i = 0; i < AddressLimiter.MAX_ADDRESSES; i++) {
            assertTrue(limiter.admit(address(i), T0));
            limiter.release(address(i));
        }
        assertEquals(AddressLimiter.MAX_ADDRESSES, limiter.addresses());

        assertFalse(limiter.admit(address(100_000), T0), "a full table takes no new address");
        assertEquals(AddressLimiter.MAX_ADDRESSES, limiter.addresses(), "nor grows");

        // half a second later every bucket is full again: those addresses are forgotten
        assertTrue(limiter.admit(address(100_000), T0 + SECOND / 2));
        assertEquals(1, limiter.addresses());
    }

    @Test
    void anAddressWithAConnectionOpenIsNeverForgotten() {
        InetAddress playing = address(1);
        limiter.admit(playing, T0);
        for (int i = 2; i <= AddressLimiter.MAX_ADDRESSES; i++) {
            limiter.admit(address(i), T0);
            limiter.release(address(i));
        }

        assertTrue(limiter.admit(address(100_000), T0 + 10 * SECOND));

        // the player's slot is still counted: seven more, not eight
        int more = 0;
        while (limiter.admit(playing, T0 + 10 * SECOND)) {
            more++;
        }
        assertEquals(AddressLimiter.MAX_OPEN_PER_ADDRESS - 1, more);
    }

    @Test
    void releasingMoreThanWasAdmittedChangesNothing() {
        limiter.release(address(1));
        limiter.admit(address(2), T0);
        limiter.release(address(2));
        limiter.release(address(2));

        assertEquals(0, limiter.open());
    }

    @Test
    void anIpv6ClientIsCountedByItsSlash64WhicheverAddressItUses() throws UnknownHostException {
        // one machine, privacy addresses: the same /64, a new interface identifier each time
        for (int i = 0; i < AddressLimiter.MAX_OPEN_PER_ADDRESS; i++) {
            assertTrue(limiter.admit(InetAddress.getByName("2001:db8:1:2:0:0:0:" + Integer.toHexString(i + 1)), T0));
        }

        assertFalse(limiter.admit(InetAddress.getByName("2001:db8:1:2:dead:beef:0:1"), T0), "the same /64");
        assertTrue(limiter.admit(InetAddress.getByName("2001:db8:1:3::1"), T0), "the next /64 is someone else");
        assertEquals(2, limiter.addresses());

        limiter.release(InetAddress.getByName("2001:db8:1:2:ffff::9"));
        assertEquals(AddressLimiter.MAX_OPEN_PER_ADDRESS, limiter.open(), "released from the same /64");
    }

    @Test
    void ipv4AddressesAreEachTheirOwn() throws UnknownHostException {
        assertEquals(InetAddress.getByName("192.0.2.7"), AddressLimiter.key(InetAddress.getByName("192.0.2.7")));
        assertEquals(InetAddress.getByName("2001:db8::"), AddressLimiter.key(InetAddress.getByName("2001:db8::42:1")));
    }
}
