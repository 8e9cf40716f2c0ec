package dev.cubeguardian.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Builds what a Minecraft Java client puts on the wire, byte for byte, without the production
 * code: tests must not agree with the gateway by sharing its mistakes.
 */
final class Wire {

    static final int STATUS = 1;
    static final int LOGIN = 2;
    static final int TRANSFER = 3;

    private Wire() {
    }

    static byte[] varInt(int value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(5);
        int remaining = value;
        while ((remaining & ~0x7F) != 0) {
            out.write((remaining & 0x7F) | 0x80);
            remaining >>>= 7;
        }
        out.write(remaining);
        return out.toByteArray();
    }

    static byte[] string(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        return concat(varInt(utf8.length), utf8);
    }

    static byte[] unsignedShort(int value) {
        return new byte[] {(byte) (value >>> 8), (byte) value};
    }

    static byte[] longBytes(long value) {
        byte[] out = new byte[8];
        for (int i = 7; i >= 0; i--) {
            out[i] = (byte) value;
            value >>>= 8;
        }
        return out;
    }

    /** A packet as framed on the wire: VarInt length of (id + body), id, body. */
    static byte[] frame(int id, byte[]... body) {
        byte[] payload = concat(varInt(id), concat(body));
        return concat(varInt(payload.length), payload);
    }

    static byte[] handshake(int protocol, String address, int port, int nextState) {
        return frame(0x00, varInt(protocol), string(address), unsignedShort(port), varInt(nextState));
    }

    /** The status request (0x00, empty). */
    static byte[] statusRequest() {
        return frame(0x00);
    }

    static byte[] ping(long payload) {
        return frame(0x01, longBytes(payload));
    }

    /** A login start as 1.7 to 1.18 send it: the name only. */
    static byte[] loginStart(String name) {
        return frame(0x00, string(name));
    }

    /** A login start as 1.20.2+ send it: the name and the player's UUID. */
    static byte[] loginStart(String name, UUID uuid) {
        return frame(0x00, string(name), longBytes(uuid.getMostSignificantBits()), longBytes(uuid.getLeastSignificantBits()));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    /** A 1.6 client's legacy server list ping: FE 01 FA, "MC|PingHost", protocol 78, host, port. */
    static byte[] legacyPing16(String host, int port) {
        byte[] channel = "MC|PingHost".getBytes(StandardCharsets.UTF_16BE);
        byte[] hostBytes = host.getBytes(StandardCharsets.UTF_16BE);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.write(78);
        data.writeBytes(unsignedShort(host.length()));
        data.writeBytes(hostBytes);
        data.writeBytes(new byte[] {0, 0, (byte) (port >>> 8), (byte) port});
        byte[] rest = data.toByteArray();
        return concat(bytes(0xFE, 0x01, 0xFA), unsignedShort(11), channel, unsignedShort(rest.length), rest);
    }
}
