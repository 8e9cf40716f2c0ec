package dev.cubeguardian.wol;

import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The optional SecureOn password appended to a magic packet: 6 bytes written like a MAC
 * address, or 4 bytes written as hex pairs ({@code 01:02:03:04}) or dotted decimal
 * ({@code 192.0.2.1}).
 */
public final class SecureOnPassword {

    private static final Pattern HEX = Pattern.compile("(?i)[0-9a-f]{2}([:-][0-9a-f]{2}){3}(([:-][0-9a-f]{2}){2})?");
    private static final Pattern DOTTED = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final byte[] bytes;

    private SecureOnPassword(byte[] bytes) {
        this.bytes = bytes;
    }

    /** @throws IllegalArgumentException when the text is neither 4 nor 6 bytes */
    public static SecureOnPassword parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (HEX.matcher(trimmed).matches()) {
            return new SecureOnPassword(HexFormat.of().parseHex(trimmed.replaceAll("[:-]", "")));
        }
        if (DOTTED.matcher(trimmed).matches()) {
            String[] parts = trimmed.split("\\.");
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) {
                int value = Integer.parseInt(parts[i]);
                if (value > 255) {
                    throw new IllegalArgumentException("'" + text + "' has a byte over 255");
                }
                out[i] = (byte) value;
            }
            return new SecureOnPassword(out);
        }
        throw new IllegalArgumentException("'" + text + "' is not a SecureOn password"
                + " (expected 6 bytes like 01:02:03:04:05:06 or 4 bytes like 01:02:03:04 or 192.0.2.1)");
    }

    public byte[] bytes() {
        return bytes.clone();
    }
}
