package dev.cubeguardian.homeassistant;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The id of a host's Home Assistant device: {@code <base topic, encoded>_<host>}. It is the
 * discovery topic's object id, the device identifier and the prefix of every unique_id, so it
 * must be unique among all workers on a broker and keep to HA's {@code [a-zA-Z0-9_-]}.
 *
 * <p>The base topic is encoded so that the id can be split again: letters, digits and {@code -}
 * stay, {@code _} becomes {@code __}, any other character {@code _X} and its UTF-8 bytes in hex
 * ({@code /} is {@code _X2F}). After an encoded base, an {@code _} followed by a lower-case letter
 * or a digit can only be the separator, and every host id starts with one: base {@code cg} with
 * host {@code lab_pve} is {@code cg_lab_pve}, base {@code cg_lab} with host {@code pve} is
 * {@code cg__lab_pve}. A base of only letters, digits and {@code -} (the default
 * {@code cubeguardian}) keeps the ids of earlier versions.
 *
 * <p>Earlier versions replaced every character outside {@code [a-zA-Z0-9_-]} by {@code _} and
 * joined with {@code _} ({@link #legacy}): ambiguous, kept only to recognise their configs.
 */
final class DeviceIds {

    private static final Pattern NOT_LEGACY_ID = Pattern.compile("[^A-Za-z0-9_-]");

    private final String node;
    private final String legacyNode;

    DeviceIds(String baseTopic) {
        this.node = encode(baseTopic);
        this.legacyNode = NOT_LEGACY_ID.matcher(baseTopic).replaceAll("_");
    }

    /** Every device id of this worker starts with this. */
    String prefix() {
        return node + "_";
    }

    String of(String hostId) {
        return prefix() + hostId;
    }

    /** The id an earlier version gave the host; equal to {@link #of} for a base of letters, digits and {@code -}. */
    String legacy(String hostId) {
        return legacyNode + "_" + hostId;
    }

    String legacyPrefix() {
        return legacyNode + "_";
    }

    static String encode(String baseTopic) {
        StringBuilder id = new StringBuilder();
        baseTopic.codePoints().forEach(c -> {
            if (c < 128 && (Character.isLetterOrDigit(c) || c == '-')) {
                id.appendCodePoint(c);
            } else if (c == '_') {
                id.append("__");
            } else {
                for (byte b : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)) {
                    id.append("_X").append(String.format("%02X", b & 0xFF));
                }
            }
        });
        return id.toString();
    }
}
