package dev.cubeguardian.gateway;

import io.netty.buffer.ByteBuf;

/**
 * Reads what a client says before the gateway decides where it goes: the handshake and, for a
 * login, the login start that names the player. Works on all the bytes received so far; until
 * they are complete it answers {@link Progress#NEED_MORE} and reads again from the start when
 * more arrive (a few hundred bytes: cheaper than keeping a parser's state).
 */
final class FirstPackets {

    /** A handshake is about 20 bytes; the address field lets Forge and proxies add some. */
    static final int MAX_HANDSHAKE_BYTES = 1024;
    /** A login start with 1.19's signature data is under 1 KiB; nothing honest sends more. */
    static final int MAX_LOGIN_START_BYTES = 4096;
    /** The protocol's own limit: a packet length is at most 3 VarInt bytes (2 MiB - 1). */
    static final int MAX_PACKET_BYTES = (1 << 21) - 1;
    static final int LEGACY_PING = 0xFE;
    static final int MAX_PLAYER_NAME = 16;
    private static final int MAX_SERVER_ADDRESS = 255 + 512;

    enum Progress { NEED_MORE, LEGACY_PING, STATUS, LOGIN }

    /**
     * @param handshakeEnd the index just after the handshake packet (the status conversation starts there)
     * @param player       the name from the login start; null for status and legacy pings
     */
    record Read(Progress progress, Handshake handshake, int handshakeEnd, String player) {
        static final Read NEED_MORE = new Read(Progress.NEED_MORE, null, 0, null);
    }

    private FirstPackets() {
    }

    static Read read(ByteBuf bytes) throws RefusedException {
        int start = bytes.readerIndex();
        int end = bytes.writerIndex();
        if (end == start) {
            return Read.NEED_MORE;
        }
        if (isLegacyPing(bytes, start, end)) {
            return new Read(Progress.LEGACY_PING, null, start, null);
        }
        try {
            WireReader reader = new WireReader(bytes, start, end);
            int length = reader.readVarInt();
            if (length <= 0 || length > MAX_HANDSHAKE_BYTES) {
                throw new RefusedException(length > MAX_HANDSHAKE_BYTES ? Refusal.HANDSHAKE_TOO_LARGE : Refusal.NOT_MINECRAFT,
                        "handshake of " + length + " bytes");
            }
            int packetEnd = reader.index() + length;
            // the fields are checked as far as they have arrived: what is not Minecraft (an HTTP
            // request, a TLS hello) is refused at its first wrong byte, not after the handshake time
            Handshake handshake = handshake(new WireReader(bytes, reader.index(), Math.min(end, packetEnd)), packetEnd,
                    end >= packetEnd);
            if (!handshake.isLogin()) {
                return new Read(Progress.STATUS, handshake, packetEnd, null);
            }
            String player = loginStartName(new WireReader(bytes, packetEnd, end));
            return new Read(Progress.LOGIN, handshake, packetEnd, player);
        } catch (WireReader.Incomplete incomplete) {
            if (end - start > MAX_HANDSHAKE_BYTES + MAX_LOGIN_START_BYTES) {
                throw new RefusedException(Refusal.HANDSHAKE_TOO_LARGE, (end - start) + " bytes without a complete handshake");
            }
            return Read.NEED_MORE;
        }
    }

    /**
     * As vanilla decides it: 0xFE alone (1.3 and older), 0xFE 0x01 (1.4, 1.5) or 0xFE 0x01 0xFA
     * (1.6's MC|PingHost). 0xFE followed by anything else is the length of a modern handshake of
     * 254, 382, ... bytes (a long address), not a legacy ping.
     */
    private static boolean isLegacyPing(ByteBuf bytes, int start, int end) {
        if (bytes.getUnsignedByte(start) != LEGACY_PING) {
            return false;
        }
        if (end - start == 1) {
            return true;
        }
        if (bytes.getUnsignedByte(start + 1) != 0x01) {
            return false;
        }
        return end - start == 2 || bytes.getUnsignedByte(start + 2) == 0xFA;
    }

    /**
     * @param packet    the handshake's bytes received so far (up to its end)
     * @param packetEnd where the handshake ends by its length
     * @param complete  whether all of it has arrived: running out of bytes then is a lie of its length
     */
    private static Handshake handshake(WireReader packet, int packetEnd, boolean complete)
            throws WireReader.Incomplete, RefusedException {
        try {
            if (packet.readVarInt() != 0x00) {
                throw new RefusedException(Refusal.NOT_MINECRAFT, "first packet is not a handshake");
            }
            int protocol = packet.readVarInt();
            String address = packet.readString(MAX_SERVER_ADDRESS);
            int port = packet.readUnsignedShort();
            int next = packet.readVarInt();
            if (next != Handshake.STATUS && next != Handshake.LOGIN && next != Handshake.TRANSFER) {
                throw new RefusedException(Refusal.NOT_MINECRAFT, "handshake asks for state " + next);
            }
            if (packet.index() != packetEnd) {
                throw new RefusedException(Refusal.NOT_MINECRAFT, "handshake has " + (packetEnd - packet.index()) + " bytes too many");
            }
            return new Handshake(protocol, address, port, next);
        } catch (WireReader.Incomplete inside) {
            if (!complete) {
                throw inside;
            }
            // the packet's length said it was all here: it ends inside a field
            throw new RefusedException(Refusal.NOT_MINECRAFT, "handshake shorter than its fields");
        }
    }

    /** The name from a login start; every version since 1.7 puts it first. */
    private static String loginStartName(WireReader reader) throws WireReader.Incomplete, RefusedException {
        int length = reader.readVarInt();
        if (length <= 0 || length > MAX_LOGIN_START_BYTES) {
            throw new RefusedException(length > MAX_LOGIN_START_BYTES ? Refusal.HANDSHAKE_TOO_LARGE : Refusal.NOT_MINECRAFT,
                    "login start of " + length + " bytes");
        }
        int packetEnd = reader.index() + length;
        if (reader.remaining() < length) {
            throw WireReader.Incomplete.INSTANCE;
        }
        if (reader.readVarInt() != 0x00) {
            throw new RefusedException(Refusal.NOT_MINECRAFT, "login does not start with a login start");
        }
        String name;
        try {
            name = reader.readString(MAX_PLAYER_NAME);
        } catch (WireReader.Incomplete inside) {
            throw new RefusedException(Refusal.NOT_MINECRAFT, "login start shorter than its name");
        }
        // no space nor control character, C1 included: a wake's requested_by may not hold them
        // either, and a wake refused for its name would still have used up the wake cooldown
        if (reader.index() > packetEnd || name.isEmpty() || name.chars().anyMatch(c -> c < 0x21 || Character.isISOControl(c))) {
            throw new RefusedException(Refusal.NOT_MINECRAFT, "not a player name");
        }
        return name;
    }
}
