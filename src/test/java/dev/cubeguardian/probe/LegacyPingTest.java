package dev.cubeguardian.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class LegacyPingTest {

    @Test
    void parses14PlusFormat() throws MalformedPacketException {
        LegacyResponse r = LegacyResponse.parse("\u00a71\u000078\u00001.6.4\u0000A \u00a7aclassic\u00003\u000020");
        assertEquals(78, r.protocolNumber());
        assertEquals("1.6.4", r.version());
        assertEquals("A \u00a7aclassic", r.motd());
        assertEquals(3, r.online());
        assertEquals(20, r.max());
    }

    @Test
    void parsesPre14Format() throws MalformedPacketException {
        LegacyResponse r = LegacyResponse.parse("Old beta server\u00a75\u00a710");
        assertNull(r.protocolNumber());
        assertNull(r.version());
        assertEquals("Old beta server", r.motd());
        assertEquals(5, r.online());
        assertEquals(10, r.max());
    }

    @Test
    void rejectsGarbage() {
        assertThrows(MalformedPacketException.class, () -> LegacyResponse.parse("hello"));
        assertThrows(MalformedPacketException.class, () -> LegacyResponse.parse("motd\u00a7x\u00a7y"));
        assertThrows(MalformedPacketException.class, () -> LegacyResponse.parse("\u00a71\u000078\u00001.6.4"));
    }

    @Test
    void kickTextsRoundTrip() throws MalformedPacketException {
        LegacyResponse r = new LegacyResponse(127, "1.21.4", "hi", 1, 8);
        assertEquals(r, LegacyResponse.parse(r.toKickText()));
        assertEquals(new LegacyResponse(null, null, "hi", 1, 8), LegacyResponse.parse(r.toPre14KickText()));
    }

    @Test
    void requestIsFe01WithPingHostPluginMessage() {
        byte[] expected = HexFormat.of().parseHex(
                "fe01fa"
                        + "000b" + "004d0043007c00500069006e00670048006f00730074"   // "MC|PingHost"
                        + "000f"                                                   // 7 + 2 * 4
                        + "4e"                                                     // protocol 78
                        + "0004" + "0068006f00730074"                              // "host"
                        + "000063dd");                                            // port 25565
        assertArrayEquals(expected, LegacyPingCodec.request("host", 25565));
    }

    @Test
    void kickPacketRoundTripsAsUtf16() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LegacyPingCodec.writeKick(out, "\u00a71\u0000x");
        assertArrayEquals(HexFormat.of().parseHex("ff0004" + "00a7" + "0031" + "0000" + "0078"), out.toByteArray());
        assertEquals("\u00a71\u0000x", LegacyPingCodec.readKick(new ByteArrayInputStream(out.toByteArray())));
    }

    @Test
    void kickWithWrongIdOrLengthIsRejected() {
        assertThrows(MalformedPacketException.class,
                () -> LegacyPingCodec.readKick(new ByteArrayInputStream(HexFormat.of().parseHex("fe0001"))));
        assertThrows(MalformedPacketException.class,
                () -> LegacyPingCodec.readKick(new ByteArrayInputStream(HexFormat.of().parseHex("ff0000"))));
        assertThrows(MalformedPacketException.class,
                () -> LegacyPingCodec.readKick(new ByteArrayInputStream(HexFormat.of().parseHex("ff8000"))));
    }
}
