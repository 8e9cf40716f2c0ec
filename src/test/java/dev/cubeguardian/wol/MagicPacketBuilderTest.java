package dev.cubeguardian.wol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MagicPacketBuilderTest {

    private static final MacAddress MAC = MacAddress.parse("AA:BB:CC:DD:EE:FF");
    private static final String SYNC = "ffffffffffff";
    private static final String MAC_HEX = "aabbccddeeff";

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    @Test
    void plainPacketIs102ExactBytes() {
        // When
        byte[] packet = MagicPacketBuilder.build(MAC, null);

        // Then
        assertEquals(102, packet.length);
        assertEquals(SYNC + MAC_HEX.repeat(16), hex(packet));
    }

    @Test
    void plainPacketStructure() {
        byte[] packet = MagicPacketBuilder.build(MAC, null);
        for (int i = 0; i < 6; i++) {
            assertEquals((byte) 0xFF, packet[i], "sync byte " + i);
        }
        for (int repeat = 0; repeat < 16; repeat++) {
            assertArrayEquals(MAC.bytes(), Arrays.copyOfRange(packet, 6 + repeat * 6, 12 + repeat * 6),
                    "repetition " + repeat);
        }
    }

    @Test
    void fourBytePasswordMakes106Bytes() {
        byte[] packet = MagicPacketBuilder.build(MAC, SecureOnPassword.parse("01:02:03:04"));
        assertEquals(106, packet.length);
        assertEquals(SYNC + MAC_HEX.repeat(16) + "01020304", hex(packet));
    }

    @Test
    void dottedPasswordMakes106BytesWithItsByteValues() {
        byte[] packet = MagicPacketBuilder.build(MAC, SecureOnPassword.parse("192.0.2.1"));
        assertEquals(106, packet.length);
        assertEquals(SYNC + MAC_HEX.repeat(16) + "c0000201", hex(packet));
    }

    @Test
    void sixBytePasswordMakes108Bytes() {
        byte[] packet = MagicPacketBuilder.build(MAC, SecureOnPassword.parse("01:02:03:04:05:06"));
        assertEquals(108, packet.length);
        assertEquals(SYNC + MAC_HEX.repeat(16) + "010203040506", hex(packet));
    }

    @Test
    void macWithFfAndZeroBytes() {
        byte[] packet = MagicPacketBuilder.build(MacAddress.parse("00:00:00:00:00:FF"), null);
        assertEquals(SYNC + "0000000000ff".repeat(16), hex(packet));
    }

    @Test
    void builtPacketsAreRecognized() {
        assertTrue(MagicPacketBuilder.isMagicPacketFor(MagicPacketBuilder.build(MAC, null), 102, MAC));
        assertTrue(MagicPacketBuilder.isMagicPacketFor(
                MagicPacketBuilder.build(MAC, SecureOnPassword.parse("01:02:03:04")), 106, MAC));
        assertTrue(MagicPacketBuilder.isMagicPacketFor(
                MagicPacketBuilder.build(MAC, SecureOnPassword.parse("01:02:03:04:05:06")), 108, MAC));
    }

    @Test
    void receiveBufferLargerThanThePacketIsJudgedByLength() {
        // Given: a datagram buffer of 1500 bytes holding a 102-byte packet
        byte[] buffer = new byte[1500];
        System.arraycopy(MagicPacketBuilder.build(MAC, null), 0, buffer, 0, 102);

        // Then
        assertTrue(MagicPacketBuilder.isMagicPacketFor(buffer, 102, MAC));
        assertFalse(MagicPacketBuilder.isMagicPacketFor(buffer, 1500, MAC));
    }

    @Test
    void packetForAnotherMacIsNotRecognized() {
        byte[] packet = MagicPacketBuilder.build(MacAddress.parse("AA:BB:CC:DD:EE:FE"), null);
        assertFalse(MagicPacketBuilder.isMagicPacketFor(packet, 102, MAC));
    }

    @ParameterizedTest(name = "byte {0} changed")
    @ValueSource(ints = {0, 5, 6, 11, 50, 101})
    void anyChangedByteIsNotRecognized(int index) {
        byte[] packet = MagicPacketBuilder.build(MAC, null);
        packet[index] ^= 0x01;
        assertFalse(MagicPacketBuilder.isMagicPacketFor(packet, 102, MAC));
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {0, 6, 101, 103, 104, 105, 107, 109, 110})
    void otherLengthsAreNotRecognized(int length) {
        byte[] buffer = new byte[200];
        System.arraycopy(MagicPacketBuilder.build(MAC, null), 0, buffer, 0, 102);
        assertFalse(MagicPacketBuilder.isMagicPacketFor(buffer, length, MAC));
    }

    @Test
    void secureOnTailIsNotCheckedByRecognition() {
        // the listener recognizes the packet for the MAC, whatever the password
        byte[] packet = MagicPacketBuilder.build(MAC, SecureOnPassword.parse("ff:ff:ff:ff"));
        assertTrue(MagicPacketBuilder.isMagicPacketFor(packet, 106, MAC));
    }
}
