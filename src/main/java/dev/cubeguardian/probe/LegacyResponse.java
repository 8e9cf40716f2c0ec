package dev.cubeguardian.probe;

/**
 * The text of a pre-1.7 server's 0xFF kick packet answering a legacy ping.
 *
 * @param protocolNumber null in the pre-1.4 format, which does not carry it
 * @param version        null in the pre-1.4 format
 */
public record LegacyResponse(Integer protocolNumber, String version, String motd, int online, int max) {

    private static final String MODERN_PREFIX = "\u00A71\0";

    /**
     * Parses both formats: 1.4+ {@code §1\0protocol\0version\0motd\0online\0max} and older
     * {@code motd§online§max}.
     */
    public static LegacyResponse parse(String kick) throws MalformedPacketException {
        if (kick.startsWith(MODERN_PREFIX)) {
            String[] fields = kick.split("\0", -1);
            if (fields.length != 6) {
                throw new MalformedPacketException("legacy ping response has " + fields.length + " fields, expected 6");
            }
            return new LegacyResponse(number(fields[1]), fields[2], fields[3], number(fields[4]), number(fields[5]));
        }
        int maxStart = kick.lastIndexOf('\u00A7');
        int onlineStart = maxStart > 0 ? kick.lastIndexOf('\u00A7', maxStart - 1) : -1;
        if (onlineStart < 0) {
            throw new MalformedPacketException("legacy ping response is in neither known format");
        }
        return new LegacyResponse(null, null, kick.substring(0, onlineStart),
                number(kick.substring(onlineStart + 1, maxStart)), number(kick.substring(maxStart + 1)));
    }

    /** The 1.4+ format, which the 1.6-style request we send asks for. */
    public String toKickText() {
        return MODERN_PREFIX + (protocolNumber == null ? 0 : protocolNumber) + "\0" + version + "\0" + motd
                + "\0" + online + "\0" + max;
    }

    /** The pre-1.4 format; it cannot carry a section sign in the MOTD, so those are dropped. */
    public String toPre14KickText() {
        return motd.replace("\u00A7", "") + "\u00A7" + online + "\u00A7" + max;
    }

    private static int number(String field) throws MalformedPacketException {
        try {
            return Integer.parseInt(field.trim());
        } catch (NumberFormatException e) {
            throw new MalformedPacketException("legacy ping response field '" + field + "' is not a number", e);
        }
    }
}
