package dev.cubeguardian.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/** The few packets the sleeping gateway sends, framed (VarInt length, id, fields). */
final class Packets {

    static final int STATUS_RESPONSE = 0x00;
    static final int PONG = 0x01;
    static final int LOGIN_DISCONNECT = 0x00;
    static final int LEGACY_KICK = 0xFF;

    private Packets() {
    }

    static ByteBuf statusResponse(ByteBufAllocator alloc, String json) {
        return withString(alloc, STATUS_RESPONSE, json);
    }

    /** Every version from 1.7 to today reads a login disconnect as a JSON text component. */
    static ByteBuf loginDisconnect(ByteBufAllocator alloc, String jsonText) {
        return withString(alloc, LOGIN_DISCONNECT, jsonText);
    }

    static ByteBuf pong(ByteBufAllocator alloc, long payload) {
        ByteBuf out = alloc.buffer(10);
        writeVarInt(out, 9);
        writeVarInt(out, PONG);
        out.writeLong(payload);
        return out;
    }

    /** The pre-1.7 answer: 0xFF, a length in UTF-16 units, UTF-16BE text. */
    static ByteBuf legacyKick(ByteBufAllocator alloc, String text) {
        byte[] utf16 = text.getBytes(StandardCharsets.UTF_16BE);
        ByteBuf out = alloc.buffer(3 + utf16.length);
        out.writeByte(LEGACY_KICK);
        out.writeShort(text.length());
        out.writeBytes(utf16);
        return out;
    }

    private static ByteBuf withString(ByteBufAllocator alloc, int id, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int body = varIntSize(id) + varIntSize(utf8.length) + utf8.length;
        ByteBuf out = alloc.buffer(varIntSize(body) + body);
        writeVarInt(out, body);
        writeVarInt(out, id);
        writeVarInt(out, utf8.length);
        out.writeBytes(utf8);
        return out;
    }

    static void writeVarInt(ByteBuf out, int value) {
        int remaining = value;
        while ((remaining & ~0x7F) != 0) {
            out.writeByte((remaining & 0x7F) | 0x80);
            remaining >>>= 7;
        }
        out.writeByte(remaining);
    }

    static int varIntSize(int value) {
        int bytes = 1;
        int remaining = value;
        while ((remaining & ~0x7F) != 0) {
            bytes++;
            remaining >>>= 7;
        }
        return bytes;
    }
}
