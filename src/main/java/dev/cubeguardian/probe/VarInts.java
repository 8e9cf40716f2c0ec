package dev.cubeguardian.probe;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Minecraft's VarInt: a 32-bit int in 7-bit groups, least significant first, high bit set on
 * every byte but the last. Negative numbers always take all five bytes.
 */
public final class VarInts {

    public static final int MAX_BYTES = 5;

    private VarInts() {
    }

    public static byte[] encode(int value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(MAX_BYTES);
        try {
            write(out, value);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory stream cannot fail", e);
        }
        return out.toByteArray();
    }

    public static void write(OutputStream out, int value) throws IOException {
        int remaining = value;
        while ((remaining & ~0x7F) != 0) {
            out.write((remaining & 0x7F) | 0x80);
            remaining >>>= 7;
        }
        out.write(remaining);
    }

    public static int size(int value) {
        int bytes = 1;
        int remaining = value;
        while ((remaining & ~0x7F) != 0) {
            bytes++;
            remaining >>>= 7;
        }
        return bytes;
    }

    /**
     * @throws EOFException             the stream ended inside or before the VarInt
     * @throws MalformedPacketException more than five bytes, or a fifth byte carrying bits beyond 32
     */
    public static int read(InputStream in) throws IOException {
        int result = 0;
        for (int i = 0; i < MAX_BYTES; i++) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("stream ended inside a VarInt");
            }
            if (i == MAX_BYTES - 1 && (b & 0xF0) != 0) {
                // Only the low four bits of the fifth byte fit into an int; anything more is
                // either a longer VarInt or garbage, and a peer sending either is not speaking SLP.
                throw new MalformedPacketException("VarInt is longer than 32 bits");
            }
            result |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new MalformedPacketException("VarInt is longer than 32 bits");
    }
}
