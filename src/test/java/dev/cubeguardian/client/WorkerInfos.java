package dev.cubeguardian.client;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The retained infos the clients' tests publish, as mqtt-api.md describes them: v1
 * {@code bridge/info}, and a worker's {@code bridge/workers/<id>/info} (v1.1), plus hostile ones.
 * Shared by the bus, CLI and bot tests.
 */
public final class WorkerInfos {

    private WorkerInfos() {
    }

    /** One host entry: a game host that can be woken and shut down. */
    public static String host(String id, String name) {
        return "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"capabilities\":[\"wake\",\"check\",\"shutdown\",\"cancel\"],"
                + "\"service\":\"minecraft\"}";
    }

    /** The v1 bridge/info of a worker without a worker id. */
    public static String v1(String... hosts) {
        return "{\"version\":\"1.1.0\",\"api_version\":1,\"base_topic\":\"cubeguardian\",\"demo\":false,\"hosts\":["
                + String.join(",", hosts) + "]}";
    }

    /** A worker's info: v1's fields plus worker_id, share_group (null: none), role and online_since. */
    public static String worker(String id, String shareGroup, String role, String... hosts) {
        return "{\"version\":\"1.1.0\",\"api_version\":1,\"base_topic\":\"cubeguardian\",\"demo\":false,\"hosts\":["
                + String.join(",", hosts) + "],\"worker_id\":\"" + id + "\",\"share_group\":"
                + (shareGroup == null ? "null" : "\"" + shareGroup + "\"") + ",\"role\":\"" + role + "\","
                + "\"online_since\":\"2026-12-01T08:00:00Z\"}";
    }

    /** A worker's info with {@code count} hosts h0, h1, ... in as few bytes as JSON allows. */
    public static String manyHosts(String id, int count) {
        StringBuilder json = new StringBuilder(count * 16 + 64).append("{\"worker_id\":\"").append(id).append("\",\"hosts\":[");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\":\"h").append(i).append("\"}");
        }
        return json.append("]}").toString();
    }

    /** A well-formed worker info of about {@code bytes} bytes: one host whose name is padding. */
    public static String padded(String id, int bytes) {
        return worker(id, null, "active", host("padded", "x".repeat(bytes)));
    }

    /** Host entries no client may show: bad ids of every kind, and entries that are not hosts at all. */
    public static String[] badHosts() {
        return new String[] {host("PVE", "uppercase"), host("a b", "space"), host("x".repeat(200), "too long"),
            host("../etc", "dots"), host("pve/cmd", "slash"), host("h\\u00e9llo", "accent"), host("-lead", "leading dash"),
            host("bridge", "the bridge level"), host("", "empty"), "{\"id\":5,\"name\":\"number\"}", "1", "null",
            "\"pve\"", "{\"name\":\"no id\"}"};
    }

    public static String join(String... parts) {
        return Arrays.stream(parts).collect(Collectors.joining(","));
    }
}
