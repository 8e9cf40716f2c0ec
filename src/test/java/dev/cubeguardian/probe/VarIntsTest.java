package dev.cubeguardian.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class VarIntsTest {

    // Vectors from the protocol documentation (wiki.vg / minecraft.wiki "VarInt and VarLong").
    @ParameterizedTest
    @CsvSource({
            "0, 00",
            "1, 01",
            "2, 02",
            "127, 7f",
            "128, 8001",
            "255, ff01",
            "25565, ddc701",
            "2097151, ffff7f",
            "2147483647, ffffffff07",
            "-1, ffffffff0f",
            "-2147483648, 8080808008",
    })
    void encodesAndDecodesKnownValues(int value, String hex) throws IOException {
        byte[] bytes = HexFormat.of().parseHex(hex);
        assertArrayEquals(bytes, VarInts.encode(value));
        assertEquals(bytes.length, VarInts.size(value));
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        assertEquals(value, VarInts.read(in));
        assertEquals(0, in.available(), "must consume exactly the VarInt");
    }

    @Test
    void rejectsSixByteVarInt() {
        byte[] bytes = HexFormat.of().parseHex("ffffffffff01");
        assertThrows(MalformedPacketException.class, () -> VarInts.read(new ByteArrayInputStream(bytes)));
    }

    @Test
    void rejectsFifthByteWithBitsBeyond32() {
        byte[] bytes = HexFormat.of().parseHex("ffffffff7f");
        assertThrows(MalformedPacketException.class, () -> VarInts.read(new ByteArrayInputStream(bytes)));
    }

    @Test
    void truncatedVarIntIsEof() {
        byte[] bytes = HexFormat.of().parseHex("ff80");
        assertThrows(EOFException.class, () -> VarInts.read(new ByteArrayInputStream(bytes)));
        assertThrows(EOFException.class, () -> VarInts.read(new ByteArrayInputStream(new byte[0])));
    }
}
