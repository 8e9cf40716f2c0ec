package dev.cubeguardian.schedule;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * The command id of one scheduled firing: {@code sched-<host>-<action>-<yyyyMMddHHmm>} in the
 * schedule's zone, the same on every worker and after every restart, so no firing runs twice.
 * Command ids have at most 64 characters: for a long host id the host part is shortened and
 * followed by a hash of the whole id, which keeps it unique and still deterministic.
 */
final class ScheduleIds {

    static final int MAX_ID = 64;
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyyMMddHHmm");

    private ScheduleIds() {
    }

    static String of(String host, String action, ZonedDateTime at) {
        String time = MINUTE.format(at);
        String id = "sched-" + host + "-" + action + "-" + time;
        if (id.length() <= MAX_ID) {
            return id;
        }
        String hash = hash(host);
        int room = MAX_ID - ("sched-" + "-" + hash + "-" + action + "-" + time).length();
        return "sched-" + host.substring(0, Math.max(1, room)) + "-" + hash + "-" + action + "-" + time;
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
