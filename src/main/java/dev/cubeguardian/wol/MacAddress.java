package dev.cubeguardian.wol;

import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A 48-bit hardware address. Accepts the four spellings people copy from their tools:
 * {@code AA:BB:CC:DD:EE:FF}, {@code AA-BB-CC-DD-EE-FF}, {@code aabb.ccdd.eeff} (Cisco) and
 * {@code aabbccddeeff}; always prints the first.
 */
public final class MacAddress {

    private static final Pattern COLONS = Pattern.compile("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    private static final Pattern DASHES = Pattern.compile("(?i)[0-9a-f]{2}(-[0-9a-f]{2}){5}");
    private static final Pattern DOTS = Pattern.compile("(?i)[0-9a-f]{4}(\\.[0-9a-f]{4}){2}");
    private static final Pattern BARE = Pattern.compile("(?i)[0-9a-f]{12}");

    private final byte[] bytes;

    private MacAddress(byte[] bytes) {
        this.bytes = bytes;
    }

    /** @throws IllegalArgumentException when the text is none of the four spellings */
    public static MacAddress parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("MAC address is missing");
        }
        String trimmed = text.trim();
        if (COLONS.matcher(trimmed).matches() || DASHES.matcher(trimmed).matches()
                || DOTS.matcher(trimmed).matches() || BARE.matcher(trimmed).matches()) {
            String hex = trimmed.replaceAll("[:.\\-]", "");
            return new MacAddress(HexFormat.of().parseHex(hex));
        }
        throw new IllegalArgumentException("'" + text + "' is not a MAC address"
                + " (expected AA:BB:CC:DD:EE:FF, AA-BB-CC-DD-EE-FF, aabb.ccdd.eeff or aabbccddeeff)");
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MacAddress mac && java.util.Arrays.equals(bytes, mac.bytes);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bytes);
    }

    /** Lower-case hex without separators, handy for ids. */
    public String compact() {
        return HexFormat.of().formatHex(bytes).toLowerCase(Locale.ROOT);
    }
}
