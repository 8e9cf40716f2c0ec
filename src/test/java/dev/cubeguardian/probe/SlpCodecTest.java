package dev.cubeguardian.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SlpCodecTest {

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    @Test
    void framesLengthThenIdThenBody() {
        assertArrayEquals(hex("0100"), SlpCodec.frame(0x00, new byte[0]));
        assertArrayEquals(hex("0301aabb"), SlpCodec.frame(0x01, hex("aabb")));
    }

    @Test
    void handshakeBodyMatchesProtocolLayout() {
        byte[] body = new PacketWriter().writeVarInt(767).writeString("mc").writeUnsignedShort(25565)
                .writeVarInt(1).toByteArray();
        // 767 = ff05, "mc" = 02 6d 63, 25565 = 63dd, next state 01
        assertArrayEquals(hex("ff0502 6d63 63dd 01".replace(" ", "")), body);
        assertArrayEquals(hex("0900ff05026d6363dd01"), SlpCodec.frame(0x00, body));
    }

    @Test
    void readsBackWhatWasFramed() throws IOException {
        byte[] body = new PacketWriter().writeString("h\u00e9llo \u00a7a").writeLong(-42L).toByteArray();
        SlpCodec.Packet packet = SlpCodec.readPacket(new ByteArrayInputStream(SlpCodec.frame(0x05, body)), 100);
        assertEquals(0x05, packet.id());
        PacketReader reader = packet.reader();
        assertEquals("h\u00e9llo \u00a7a", reader.readString(100));
        assertEquals(-42L, reader.readLong());
        assertEquals(0, reader.remaining());
    }

    @Test
    void readsOnlyOnePacketFromAStream() throws IOException {
        byte[] two = hex("020099" + "0101");
        ByteArrayInputStream in = new ByteArrayInputStream(two);
        SlpCodec.Packet first = SlpCodec.readPacket(in, 10);
        assertEquals(0x00, first.id());
        assertArrayEquals(hex("99"), first.body());
        assertEquals(0x01, SlpCodec.readPacket(in, 10).id());
    }

    @Test
    void rejectsPacketOverLimitBeforeReadingIt() {
        // Claims 65 bytes but carries none: must be refused on the length alone, not on EOF.
        byte[] frame = hex("41");
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> SlpCodec.readPacket(new ByteArrayInputStream(frame), 64));
        assertEquals("packet of 65 bytes exceeds limit of 64", e.getMessage());
    }

    @Test
    void rejectsZeroAndNegativeLength() {
        assertThrows(MalformedPacketException.class,
                () -> SlpCodec.readPacket(new ByteArrayInputStream(hex("00")), 64));
        assertThrows(MalformedPacketException.class,
                () -> SlpCodec.readPacket(new ByteArrayInputStream(hex("ffffffff0f")), 64));
    }

    @Test
    void truncatedPacketIsEof() {
        assertThrows(EOFException.class, () -> SlpCodec.readPacket(new ByteArrayInputStream(hex("050001")), 64));
    }

    @Test
    void stringLongerThanPacketIsRejected() {
        PacketReader reader = new PacketReader(hex("0a6162"));   // says 10 bytes, has 2
        assertThrows(MalformedPacketException.class, () -> reader.readString(100));
    }

    @Test
    void stringOverCharLimitIsRejected() {
        PacketReader reader = new PacketReader(new PacketWriter().writeString("abcdef").toByteArray());
        assertThrows(MalformedPacketException.class, () -> reader.readString(5));
    }

    @Test
    void shortFieldsAtEndOfPacketAreRejected() {
        assertThrows(MalformedPacketException.class, () -> new PacketReader(hex("01")).readUnsignedShort());
        assertThrows(MalformedPacketException.class, () -> new PacketReader(hex("01020304")).readLong());
        assertThrows(MalformedPacketException.class, () -> new PacketReader(hex("80")).readVarInt());
    }

    @Test
    void unsignedShortRoundTripsHighValues() throws MalformedPacketException {
        PacketReader reader = new PacketReader(new PacketWriter().writeUnsignedShort(65535).toByteArray());
        assertEquals(65535, reader.readUnsignedShort());
    }
}
