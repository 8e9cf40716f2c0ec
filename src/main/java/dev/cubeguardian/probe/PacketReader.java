package dev.cubeguardian.probe;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Reads fields from the body of one received packet; running off its end is a protocol error. */
public final class PacketReader {

    private final ByteArrayInputStream in;

    public PacketReader(byte[] body) {
        this.in = new ByteArrayInputStream(body);
    }

    public int readVarInt() throws MalformedPacketException {
        try {
            return VarInts.read(in);
        } catch (EOFException e) {
            throw new MalformedPacketException("packet ends inside a VarInt", e);
        } catch (MalformedPacketException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("in-memory stream cannot fail", e);
        }
    }

    /** @param maxChars the protocol's limit for this field, in UTF-16 units as vanilla counts them */
    public String readString(int maxChars) throws MalformedPacketException {
        int length = readVarInt();
        // UTF-8 needs at most three bytes per UTF-16 unit, which is also how vanilla bounds it.
        if (length < 0 || length > maxChars * 3L) {
            throw new MalformedPacketException("string of " + length + " bytes exceeds limit of " + maxChars + " chars");
        }
        if (length > in.available()) {
            throw new MalformedPacketException("string of " + length + " bytes runs past the end of the packet");
        }
        byte[] utf8 = new byte[length];
        in.read(utf8, 0, length);
        String value = new String(utf8, StandardCharsets.UTF_8);
        if (value.length() > maxChars) {
            throw new MalformedPacketException("string of " + value.length() + " chars exceeds limit of " + maxChars);
        }
        return value;
    }

    public int readUnsignedShort() throws MalformedPacketException {
        requireBytes(2);
        return (in.read() << 8) | in.read();
    }

    public long readLong() throws MalformedPacketException {
        requireBytes(8);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | in.read();
        }
        return value;
    }

    public int remaining() {
        return in.available();
    }

    private void requireBytes(int count) throws MalformedPacketException {
        if (in.available() < count) {
            throw new MalformedPacketException("packet ends " + (count - in.available()) + " bytes early");
        }
    }
}
