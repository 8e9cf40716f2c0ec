package dev.cubeguardian.probe;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Bytes of the pre-1.7 "legacy" server list ping: request 0xFE 0x01 plus the 1.6 MC|PingHost
 * plugin message, answered by a 0xFF kick packet holding a UTF-16BE string.
 */
public final class LegacyPingCodec {

    public static final int PING = 0xFE;
    public static final int PING_PAYLOAD = 0x01;
    public static final int PLUGIN_MESSAGE = 0xFA;
    public static final int KICK = 0xFF;
    public static final String PING_HOST_CHANNEL = "MC|PingHost";
    // 1.6.4; servers of that era only answer in full when the plugin message names a protocol.
    private static final int LEGACY_PROTOCOL = 78;
    // The length prefix is a short counted in UTF-16 units; 32767 is what vanilla would send at most.
    public static final int MAX_KICK_CHARS = Short.MAX_VALUE;

    private LegacyPingCodec() {
    }

    public static byte[] request(String host, int port) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(PING);
            out.writeByte(PING_PAYLOAD);
            out.writeByte(PLUGIN_MESSAGE);
            writeUtf16(out, PING_HOST_CHANNEL);
            out.writeShort(7 + 2 * host.length());   // protocol byte + host string + port int
            out.writeByte(LEGACY_PROTOCOL);
            writeUtf16(out, host);
            out.writeInt(port);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String readKick(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int id = data.read();
        if (id < 0) {
            throw new EOFException("connection closed before the legacy ping response");
        }
        if (id != KICK) {
            throw new MalformedPacketException(String.format("legacy ping response starts with 0x%02X, not 0xFF", id));
        }
        int chars = data.readUnsignedShort();
        if (chars == 0 || chars > MAX_KICK_CHARS) {
            throw new MalformedPacketException("legacy ping response length " + chars + " is out of range");
        }
        byte[] utf16 = new byte[chars * 2];
        data.readFully(utf16);
        return new String(utf16, StandardCharsets.UTF_16BE);
    }

    public static void writeKick(OutputStream out, String text) throws IOException {
        if (text.length() > MAX_KICK_CHARS) {
            throw new IllegalArgumentException("kick text too long: " + text.length() + " chars");
        }
        DataOutputStream data = new DataOutputStream(out);
        data.writeByte(KICK);
        writeUtf16(data, text);
        data.flush();
    }

    private static void writeUtf16(DataOutputStream out, String text) throws IOException {
        out.writeShort(text.length());
        out.write(text.getBytes(StandardCharsets.UTF_16BE));
    }
}
