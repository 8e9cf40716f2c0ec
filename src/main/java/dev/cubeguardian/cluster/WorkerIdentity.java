package dev.cubeguardian.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who this worker is among several under one base topic (v1.1 scale-out): its worker id
 * (CUBEGUARDIAN_WORKER_ID) and, for a hot standby, its share group (CUBEGUARDIAN_SHARE_GROUP).
 * Without a worker id it is the single worker of v1, and every topic is the v1 one.
 *
 * @param workerId   null: the single worker of v1
 * @param shareGroup null: this worker's hosts are its own; else every worker of the group has
 *                   the same inventory and one of them is active at a time
 */
public record WorkerIdentity(String workerId, String shareGroup) {

    /** Worker ids are topic levels of their own, so they follow the host id rule. */
    public static final Pattern WORKER_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    /** A share group is the second level of $share/<group>/...: no wildcard, no slash. */
    public static final Pattern SHARE_GROUP = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** Room left for the routes' suffixes (-commands, -ha-cleanup...) within 64 characters. */
    private static final int MAX_CLIENT_ID = 52;

    public static final WorkerIdentity SINGLE = new WorkerIdentity(null, null);

    public WorkerIdentity {
        if (workerId == null && shareGroup != null) {
            throw new IllegalArgumentException("a share group needs a worker id");
        }
    }

    public boolean single() {
        return workerId == null;
    }

    public boolean grouped() {
        return shareGroup != null;
    }

    public Optional<String> id() {
        return Optional.ofNullable(workerId);
    }

    /** Retained online/offline with the Last Will: v1's bridge/state, or this worker's own. */
    public String stateTopic(String base) {
        return single() ? base + "/bridge/state" : workersTopic(base) + "/" + workerId + "/state";
    }

    /** Retained info: v1's bridge/info, or this worker's own. */
    public String infoTopic(String base) {
        return single() ? base + "/bridge/info" : workersTopic(base) + "/" + workerId + "/info";
    }

    public static String workersTopic(String base) {
        return base + "/bridge/workers";
    }

    /**
     * MQTT client ids must differ between workers on one broker (two connections with one id
     * throw each other off in a loop): the worker id is appended, hashed when it would be long.
     */
    public String clientId(String configured) {
        if (single()) {
            return configured;
        }
        String composed = configured + "-" + workerId;
        return composed.length() <= MAX_CLIENT_ID ? composed : configured + "-" + hash(workerId);
    }

    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
