package dev.cubeguardian.probe;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Builds the body of one Server List Ping packet (everything after the packet id). */
public final class PacketWriter {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);

    public PacketWriter writeVarInt(int value) {
        try {
            VarInts.write(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A VarInt byte length followed by UTF-8. */
    public PacketWriter writeString(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        writeVarInt(utf8.length);
        bytes.writeBytes(utf8);
        return this;
    }

    public PacketWriter writeUnsignedShort(int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("not an unsigned short: " + value);
        }
        bytes.write(value >>> 8);
        bytes.write(value & 0xFF);
        return this;
    }

    public PacketWriter writeLong(long value) {
        try {
            out.writeLong(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public byte[] toByteArray() {
        return bytes.toByteArray();
    }
}
