package dev.cubeguardian.wol;

/** Builds the Wake-on-LAN magic packet: 6 x 0xFF, the MAC 16 times, then the SecureOn bytes. */
public final class MagicPacketBuilder {

    private static final int SYNC_LENGTH = 6;
    private static final int MAC_REPEATS = 16;

    private MagicPacketBuilder() {
    }

    public static byte[] build(MacAddress mac, SecureOnPassword secureOn) {
        byte[] macBytes = mac.bytes();
        byte[] password = secureOn == null ? new byte[0] : secureOn.bytes();
        byte[] packet = new byte[SYNC_LENGTH + MAC_REPEATS * macBytes.length + password.length];
        for (int i = 0; i < SYNC_LENGTH; i++) {
            packet[i] = (byte) 0xFF;
        }
        for (int i = 0; i < MAC_REPEATS; i++) {
            System.arraycopy(macBytes, 0, packet, SYNC_LENGTH + i * macBytes.length, macBytes.length);
        }
        System.arraycopy(password, 0, packet, SYNC_LENGTH + MAC_REPEATS * macBytes.length, password.length);
        return packet;
    }

    /** True when the packet is a magic packet for this MAC (with or without a SecureOn tail). */
    public static boolean isMagicPacketFor(byte[] packet, int length, MacAddress mac) {
        byte[] expected = build(mac, null);
        if (length != expected.length && length != expected.length + 4 && length != expected.length + 6) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (packet[i] != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
