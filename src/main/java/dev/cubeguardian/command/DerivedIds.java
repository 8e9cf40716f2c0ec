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
        return withTail(prefix, host, (action == null ? "" : "-" + action) + "-" + MINUTE.format(at));
    }

    /**
     * The id of a request allowed at most once per {@code window} (the gateway's wake cooldown):
     * the minute's id when the window is a minute or longer, else the minute followed by the
     * window's index within it. Two requests the window lets through are at least a window apart,
     * so they never share an id; with the minute alone, a cooldown under 60 s let a second wake
     * in the same minute be answered as a repeat of the first and send no magic packet.
     */
    public static String ofWindow(String prefix, String host, Instant at, java.time.Duration window) {
        ZonedDateTime utc = at.atZone(ZoneOffset.UTC);
        String minute = "-" + MINUTE.format(utc);
        if (window.compareTo(java.time.Duration.ofMinutes(1)) >= 0) {
            return withTail(prefix, host, minute);
        }
        long intoMinute = utc.getSecond() * 1000L + utc.getNano() / 1_000_000;
        long index = intoMinute / Math.max(1, window.toMillis());
        return withTail(prefix, host, minute + "-" + index);
    }

    private static String withTail(String prefix, String host, String tail) {
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
