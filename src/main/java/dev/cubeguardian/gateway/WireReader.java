package dev.cubeguardian.gateway;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads Minecraft's wire types from received bytes without consuming them, so a reader can
 * find a packet incomplete, wait for more, and start again; the bytes stay for replaying to
 * the real server.
 */
final class WireReader {

    /** Thrown when the bytes end before the value does; the caller waits for more. */
    static final class Incomplete extends Exception {
        static final Incomplete INSTANCE = new Incomplete();

        private Incomplete() {
            super("incomplete", null, false, false);
        }
    }

    private final ByteBuf bytes;
    private final int end;
    private int index;

    WireReader(ByteBuf bytes, int from, int end) {
        this.bytes = bytes;
        this.index = from;
        this.end = end;
    }

    int index() {
        return index;
    }

    int remaining() {
        return end - index;
    }

    int readByte() throws Incomplete {
        if (index >= end) {
            throw Incomplete.INSTANCE;
        }
        return bytes.getUnsignedByte(index++);
    }

    int readVarInt() throws Incomplete, RefusedException {
        int value = 0;
        for (int i = 0; i < 5; i++) {
            int b = readByte();
            if (i == 4 && (b & 0xF0) != 0) {
                throw new RefusedException(Refusal.NOT_MINECRAFT, "VarInt longer than 32 bits");
            }
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new RefusedException(Refusal.NOT_MINECRAFT, "VarInt longer than 32 bits");
    }

    int readUnsignedShort() throws Incomplete {
        return readByte() << 8 | readByte();
    }

    long readLong() throws Incomplete {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = value << 8 | readByte();
        }
        return value;
    }

    /** A VarInt byte count and UTF-8, at most {@code maxChars} characters as the protocol counts them. */
    String readString(int maxChars) throws Incomplete, RefusedException {
        int length = readVarInt();
        if (length < 0 || length > maxChars * 3) {
            throw new RefusedException(Refusal.NOT_MINECRAFT, "string of " + length + " bytes");
        }
        if (remaining() < length) {
            throw Incomplete.INSTANCE;
        }
        String text = bytes.toString(index, length, StandardCharsets.UTF_8);
        index += length;
        if (text.length() > maxChars) {
            throw new RefusedException(Refusal.NOT_MINECRAFT, "string of " + text.length() + " characters");
        }
        return text;
    }
}
