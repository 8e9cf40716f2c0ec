package dev.cubeguardian.gateway;

import static dev.cubeguardian.gateway.Wire.bytes;
import static dev.cubeguardian.gateway.Wire.concat;
import static dev.cubeguardian.gateway.Wire.frame;
import static dev.cubeguardian.gateway.Wire.handshake;
import static dev.cubeguardian.gateway.Wire.loginStart;
import static dev.cubeguardian.gateway.Wire.statusRequest;
import static dev.cubeguardian.gateway.Wire.string;
import static dev.cubeguardian.gateway.Wire.unsignedShort;
import static dev.cubeguardian.gateway.Wire.varInt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.gateway.FirstPackets.Progress;
import dev.cubeguardian.gateway.FirstPackets.Read;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The handshake and login start reader: every version's first packets, cut anywhere, and what it refuses. */
class FirstPacketsTest {

    private static Read read(byte[] bytes) throws RefusedException {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        Read read = FirstPackets.read(buf);
        assertEquals(0, buf.readerIndex(), "reading consumes nothing: the bytes are replayed to the real server");
        return read;
    }

    private static RefusedException refused(byte[] bytes) {
        return assertThrows(RefusedException.class, () -> read(bytes));
    }

    private static void assertRefused(Refusal expected, byte[] bytes) {
        RefusedException e = refused(bytes);
        assertEquals(expected, e.refusal(), e.getMessage());
    }

    /** Every strict prefix is NEED_MORE; the whole is {@code complete}. */
    private static Read assertNeedsAllOf(byte[] whole) throws RefusedException {
        for (int cut = 1; cut < whole.length; cut++) {
            assertEquals(Progress.NEED_MORE, read(Arrays.copyOf(whole, cut)).progress(), "cut after " + cut + " bytes");
        }
        return read(whole);
    }

    // --- what honest clients send ----------------------------------------------------------

    /** 1.7.10, 1.8, 1.12.2, 1.16.5, 1.20.4, 1.21.4, 1.21.5, 1.21.6 and a snapshot (bit 30 set). */
    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {5, 47, 340, 754, 765, 769, 770, 771, 0x40000000 | 250})
    void aStatusHandshakeOfEveryVersionIsReadAndItsProtocolKept(int protocol) throws RefusedException {
        byte[] handshake = handshake(protocol, "mc.example.org", 25565, Wire.STATUS);

        Read read = read(concat(handshake, statusRequest()));

        assertEquals(Progress.STATUS, read.progress());
        assertEquals(new Handshake(protocol, "mc.example.org", 25565, Handshake.STATUS), read.handshake());
        assertEquals(handshake.length, read.handshakeEnd(), "the status conversation starts right after the handshake");
        assertNull(read.player());
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {5, 47, 340, 754, 765, 769, 770, 0x40000000 | 250})
    void aLoginOfEveryVersionNamesItsPlayer(int protocol) throws RefusedException {
        // 1.20.2+ send the UUID after the name; older ones the name alone (1.19's signature data also follows it)
        byte[] start = protocol >= 764 ? loginStart("Alice_01", UUID.randomUUID()) : loginStart("Alice_01");
        byte[] handshake = handshake(protocol, "mc.example.org", 25565, Wire.LOGIN);

        Read read = read(concat(handshake, start));

        assertEquals(Progress.LOGIN, read.progress());
        assertEquals("Alice_01", read.player());
        assertEquals(protocol, read.handshake().protocol());
        assertEquals(handshake.length, read.handshakeEnd());
    }

    @Test
    void aTransferFrom1205IsALoginToo() throws RefusedException {
        Read read = read(concat(handshake(766, "mc.example.org", 25565, Wire.TRANSFER), loginStart("bob", UUID.randomUUID())));

        assertEquals(Progress.LOGIN, read.progress());
        assertEquals("bob", read.player());
        assertTrue(read.handshake().isLogin());
    }

    @Test
    void aStatusHandshakeCutAtEveryByteNeedsMoreUntilItIsWhole() throws RefusedException {
        byte[] handshake = handshake(769, "play.example.org", 25565, Wire.STATUS);

        Read read = assertNeedsAllOf(handshake);

        assertEquals(Progress.STATUS, read.progress());
        assertEquals(769, read.handshake().protocol());
    }

    @Test
    void aLoginCutAtEveryByteNeedsMoreUntilTheLoginStartIsWhole() throws RefusedException {
        byte[] login = concat(handshake(765, "play.example.org", 25565, Wire.LOGIN), loginStart("Steve", UUID.randomUUID()));

        Read read = assertNeedsAllOf(login);

        assertEquals(Progress.LOGIN, read.progress());
        assertEquals("Steve", read.player());
    }

    @Test
    void aHandshakeWithATwoByteLengthIsCutInsideItsLength() throws RefusedException {
        // a Forge-style address makes the handshake longer than 127 bytes: its length takes two bytes
        String address = "mc.example.org\0FML3\0" + "x".repeat(120);
        byte[] handshake = handshake(47, address, 25565, Wire.STATUS);
        assertTrue((handshake[0] & 0x80) != 0, "a two-byte length");

        Read read = assertNeedsAllOf(handshake);

        assertEquals(address, read.handshake().serverAddress());
    }

    @Test
    void aHandshakeOf254BytesIsAModernClientNotALegacyPing() throws RefusedException {
        // its length is the VarInt FE 01: vanilla reads FE 01 followed by anything but FA as a modern client
        String address = "a".repeat(246);
        byte[] handshake = handshake(769, address, 25565, Wire.LOGIN);
        assertEquals(0xFE, handshake[0] & 0xFF);
        assertEquals(0x01, handshake[1]);

        Read read = read(concat(handshake, loginStart("alice")));

        assertEquals(Progress.LOGIN, read.progress());
        assertEquals("alice", read.player());
        assertEquals(address, read.handshake().serverAddress());
    }

    @Test
    void theLegacyPingsOfEveryOldClientAreRecognised() throws RefusedException {
        assertEquals(Progress.LEGACY_PING, read(bytes(0xFE)).progress(), "1.3 and older: FE alone");
        assertEquals(Progress.LEGACY_PING, read(bytes(0xFE, 0x01)).progress(), "1.4 and 1.5: FE 01");
        assertEquals(Progress.LEGACY_PING, read(Wire.legacyPing16("mc.example.org", 25565)).progress(), "1.6: FE 01 FA ...");
    }

    @Test
    void aPlayerNameOfSixteenCharactersAndOneOfUnicodeAreKept() throws RefusedException {
        byte[] handshake = handshake(769, "mc", 25565, Wire.LOGIN);
        assertEquals("Sixteen_chars_ok", read(concat(handshake, loginStart("Sixteen_chars_ok"))).player());
        // offline-mode servers take any printable name; the gateway passes it on as it came
        assertEquals("\"}\\é名字🙂", read(concat(handshake, loginStart("\"}\\é名字🙂"))).player());
    }

    // --- what it refuses ------------------------------------------------------------------

    @Test
    void aFirstPacketThatIsNotAHandshakeIsNotMinecraft() {
        assertRefused(Refusal.NOT_MINECRAFT, frame(0x01, varInt(769), string("mc"), unsignedShort(25565), varInt(1)));
    }

    @ParameterizedTest(name = "next state {0}")
    @ValueSource(ints = {0, 4, 5, 127, -1})
    void aHandshakeAskingForAnUnknownStateIsNotMinecraft(int next) {
        assertRefused(Refusal.NOT_MINECRAFT, handshake(769, "mc", 25565, next));
    }

    @Test
    void aHandshakeWithBytesAfterItsFieldsIsNotMinecraft() {
        assertRefused(Refusal.NOT_MINECRAFT, frame(0x00, varInt(769), string("mc"), unsignedShort(25565), varInt(1), bytes(0)));
    }

    @Test
    void aHandshakeShorterThanItsFieldsIsNotMinecraft() {
        // the length says 6 bytes: the port and the next state are not in them
        assertRefused(Refusal.NOT_MINECRAFT, concat(varInt(6), bytes(0x00), varInt(769), string("mc")));
    }

    @Test
    void aVarIntLongerThanFiveBytesIsNotMinecraft() {
        assertRefused(Refusal.NOT_MINECRAFT, bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x01));
        // five bytes, but more than 32 bits
        assertRefused(Refusal.NOT_MINECRAFT, bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x7F));
        // inside the handshake: the protocol number
        assertRefused(Refusal.NOT_MINECRAFT, concat(varInt(10), bytes(0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0, 0, 0)));
    }

    @Test
    void aZeroOrNegativeLengthIsNotMinecraft() {
        assertRefused(Refusal.NOT_MINECRAFT, bytes(0x00));
        assertRefused(Refusal.NOT_MINECRAFT, varInt(-5));
    }

    @Test
    void aHandshakeDeclaredLargerThanOneKibibyteIsRefusedFromItsLengthAlone() {
        // no body follows: the length is enough to refuse it, nothing is waited for or kept
        assertRefused(Refusal.HANDSHAKE_TOO_LARGE, varInt(1025));
        assertRefused(Refusal.HANDSHAKE_TOO_LARGE, varInt(2 * 1024 * 1024 + 1));
        assertRefused(Refusal.HANDSHAKE_TOO_LARGE, varInt(Integer.MAX_VALUE));
    }

    @Test
    void aHandshakeOfExactlyOneKibibyteIsStillAccepted() throws RefusedException {
        // 1 id + 2 protocol + 2 string length + 1016 address bytes + 2 port + 1 next state = 1024; the
        // address in two-byte characters, to stay under the 767 characters the field may hold
        String address = "\u00e9".repeat((1024 - 1 - 2 - 2 - 2 - 1) / 2);
        byte[] handshake = handshake(769, address, 25565, Wire.STATUS);
        assertEquals(1024 + 2, handshake.length, "a two-byte length and 1024 bytes of packet");

        assertEquals(Progress.STATUS, read(handshake).progress());
    }

    @Test
    void anAddressLongerThanTheProtocolAllowsIsNotMinecraft() {
        // the address field is at most 255 characters in the protocol (767 with proxies' additions here)
        byte[] body = concat(varInt(0x00), varInt(769), varInt(900), "a".repeat(900).getBytes(StandardCharsets.US_ASCII),
                unsignedShort(25565), varInt(1));
        assertRefused(Refusal.NOT_MINECRAFT, concat(varInt(body.length), body));
    }

    @Test
    void aLoginStartWithAnotherPacketIdIsNotMinecraft() {
        assertRefused(Refusal.NOT_MINECRAFT, concat(handshake(769, "mc", 25565, Wire.LOGIN), frame(0x02, string("alice"))));
    }

    @Test
    void aLoginStartDeclaredLargerThanFourKibibytesIsTooLarge() {
        assertRefused(Refusal.HANDSHAKE_TOO_LARGE, concat(handshake(769, "mc", 25565, Wire.LOGIN), varInt(4097)));
    }

    @Test
    void aPlayerNameOfSeventeenCharactersIsNotMinecraft() {
        RefusedException e = refused(concat(handshake(769, "mc", 25565, Wire.LOGIN), loginStart("Seventeen_chars_x")));
        assertEquals(Refusal.NOT_MINECRAFT, e.refusal());
    }

    @Test
    void anEmptyPlayerNameIsNotMinecraft() {
        assertRefused(Refusal.NOT_MINECRAFT, concat(handshake(769, "mc", 25565, Wire.LOGIN), loginStart("")));
    }

    /**
     * Control characters in a name: NUL, a line break, a space, DEL, and the C1 controls (NEL,
     * U+0085) that a wake command's requested_by may not hold either: a name the gateway let
     * through would claim the wake cooldown and then have its wake refused as INVALID_COMMAND.
     */
    @ParameterizedTest(name = "name with U+{0}")
    @ValueSource(ints = {0x00, 0x0A, 0x1B, 0x20, 0x7F, 0x85, 0x9B})
    void aPlayerNameWithAControlCharacterIsNotMinecraft(int control) {
        String name = "ali" + (char) control + "ce";
        assertRefused(Refusal.NOT_MINECRAFT, concat(handshake(769, "mc", 25565, Wire.LOGIN), loginStart(name)));
    }

    @Test
    void aNameThatRunsPastItsLoginStartIsNotMinecraft() {
        // the login start says 3 bytes; the name inside claims 5
        byte[] lying = concat(varInt(3), bytes(0x00, 0x05), "alice".getBytes(StandardCharsets.US_ASCII));
        assertRefused(Refusal.NOT_MINECRAFT, concat(handshake(769, "mc", 25565, Wire.LOGIN), lying));
    }

    // --- what is not Minecraft at all is refused at its first wrong byte -----------------------

    @Test
    void aShortHttpRequestIsRefusedAtOnceNotAfterTheHandshakeTime() {
        // "G" reads as a length of 71, "E" as the packet id 0x45: no handshake starts like this,
        // whether or not the 71 bytes ever come
        assertRefused(Refusal.NOT_MINECRAFT, "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertRefused(Refusal.NOT_MINECRAFT, "GE".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aTlsClientHelloIsNotMinecraft() {
        // record type 0x16 (a length of 22), version 03 01 (packet id 3)
        assertRefused(Refusal.NOT_MINECRAFT, bytes(0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03));
    }

    @Test
    void aHandshakeWhoseFieldsAreWrongIsRefusedBeforeItIsComplete() {
        // a declared 900-byte handshake whose address says 2400 bytes: refused without waiting for the 900
        assertRefused(Refusal.NOT_MINECRAFT, concat(varInt(900), varInt(0x00), varInt(769), varInt(2400)));
    }
}
