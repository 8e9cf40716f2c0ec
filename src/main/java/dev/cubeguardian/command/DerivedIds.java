package dev.cubeguardian.command;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * Ids of the commands the worker asks for itself (schedules, idle shutdown, the gateway's wake):
 * {@code <prefix>-<host>[-<action>]-<yyyyMMddHHmm>}, the same on every worker and after every
 * restart, so two workers of a share group, or a worker and its restarted self, asking in the
 * same minute run it once. Command ids have at most 64 characters: for a long host id the host
 * part is shortened and followed by a hash of the whole id, which keeps it unique.
 */
public final class DerivedIds {

    public static final int MAX_ID = 64;
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyyMMddHHmm");

    private DerivedIds() {
    }

    /** The minute in UTC. */
    public static String of(String prefix, String host, String action, Instant at) {
        return of(prefix, host, action, at.atZone(ZoneOffset.UTC));
    }

    /** The minute in the zone of {@code at} (a schedule's own zone). */
    public static String of(String prefix, String host, String action, ZonedDateTime at) {
        String time = MINUTE.format(at);
        String tail = (action == null ? "" : "-" + action) + "-" + time;
        String id = prefix + "-" + host + tail;
        if (id.length() <= MAX_ID) {
            return id;
        }
        String hash = hash(host);
        int room = MAX_ID - (prefix + "-" + "-" + hash + tail).length();
        return prefix + "-" + host.substring(0, Math.max(1, room)) + "-" + hash + tail;
    }

    private static String hash(String host) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(host.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
