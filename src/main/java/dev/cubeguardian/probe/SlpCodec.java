package dev.cubeguardian.probe;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Framing of uncompressed Minecraft packets: VarInt length, then VarInt packet id and body.
 * The length is checked against a caller-chosen limit before anything is allocated, so a peer
 * cannot make us buffer more than that.
 */
public final class SlpCodec {

    private SlpCodec() {
    }

    /** One received packet: its id and the body after the id. */
    public record Packet(int id, byte[] body) {
        public PacketReader reader() {
            return new PacketReader(body);
        }
    }

    public static byte[] frame(int packetId, byte[] body) {
        byte[] id = VarInts.encode(packetId);
        byte[] length = VarInts.encode(id.length + body.length);
        byte[] frame = new byte[length.length + id.length + body.length];
        System.arraycopy(length, 0, frame, 0, length.length);
        System.arraycopy(id, 0, frame, length.length, id.length);
        System.arraycopy(body, 0, frame, length.length + id.length, body.length);
        return frame;
    }

    /**
     * @throws EOFException             the stream ended before the whole packet arrived
     * @throws MalformedPacketException bad length, over {@code maxLength}, or a bad packet id
     */
    public static Packet readPacket(InputStream in, int maxLength) throws IOException {
        int length = VarInts.read(in);
        if (length < 1) {
            throw new MalformedPacketException("packet length " + length + " is too small to hold a packet id");
        }
        if (length > maxLength) {
            throw new MalformedPacketException("packet of " + length + " bytes exceeds limit of " + maxLength);
        }
        byte[] content = in.readNBytes(length);
        if (content.length < length) {
            throw new EOFException("stream ended " + (length - content.length) + " bytes into a packet");
        }
        PacketReader idReader = new PacketReader(content);
        int id = idReader.readVarInt();
        return new Packet(id, Arrays.copyOfRange(content, content.length - idReader.remaining(), content.length));
    }
}
