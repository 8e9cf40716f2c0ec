package dev.cubeguardian.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, "Several workers, one API" (mqtt-api.md, "Several workers under one base topic, and
 * hot standby"): packaged workers as processes of their own under one base topic on a real
 * Mosquitto. Disjoint owners answer each command once and a host nobody owns once; a share
 * group under a command stream loses nothing and runs nothing twice when its active member is
 * killed; a repeated id is answered from the first result whichever member gets it.
 */
// both cores for itself: see the failsafe executions in pom.xml
@Tag("alone")
class ScaleOutIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    // A forged older member of a share group makes the real one stand down: only the broker's ACL
    // stops it (client users cannot write bridge/workers/...). Run it with -Dscale.bugs=true.
    private static final String BUG_FORGED_MEMBER = "open brokers only: a forged retained state+info of an older member of the share"
            + " group makes the real active member step down for good (the shipped ACL forbids writing it)";
    private static final String B = ScaleOutLab.BASE;

    @TempDir
    Path dir;

    private ScaleOutLab lab;

    @AfterEach
    void closeAll() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void twoOwnersAndAnUnknownHostEachCommandIsAnsweredExactlyOnce() throws Exception {
        lab = new ScaleOutLab(dir, "owners");
        Path inventoryA = lab.inventory("hosts-a.yaml", List.of("a1", "a2"));
        Path inventoryB = lab.inventory("hosts-b.yaml", List.of("b1"));
        long begin = System.nanoTime();
        JarWorker a = lab.start("scale-owners-a", "wa", null, inventoryA);
        lab.start("scale-owners-b", "wb", null, inventoryB);

        // what a client that arrives now sees: each worker's retained state and info, no v1 bridge topics
        Map<String, JsonNode> infos = lab.retained(B + "/bridge/workers/+/info").stream()
                .collect(Collectors.toMap(Watcher.Seen::topic, Watcher.Seen::json));
        assertEquals(Set.of(B + "/bridge/workers/wa/info", B + "/bridge/workers/wb/info"), infos.keySet());
        JsonNode infoA = infos.get(B + "/bridge/workers/wa/info");
        JsonNode infoB = infos.get(B + "/bridge/workers/wb/info");
        assertEquals(Set.of("a1", "a2"), ScaleOutLab.hostsOf(infoA), infoA.toString());
        assertEquals(Set.of("b1"), ScaleOutLab.hostsOf(infoB), infoB.toString());
        for (JsonNode info : List.of(infoA, infoB)) {
            assertTrue(info.path("share_group").isNull(), info.toString());
            assertEquals("active", info.path("role").asText(), info.toString());
            assertTrue(info.hasNonNull("online_since") && info.hasNonNull("version") && info.hasNonNull("api_version"), info.toString());
        }
        assertEquals("wa", infoA.path("worker_id").asText());
        assertEquals("wb", infoB.path("worker_id").asText());
        Map<String, String> states = lab.retained(B + "/bridge/workers/+/state").stream()
                .collect(Collectors.toMap(Watcher.Seen::topic, Watcher.Seen::text));
        assertEquals(Map.of(B + "/bridge/workers/wa/state", "online", B + "/bridge/workers/wb/state", "online"), states);
        assertEquals(List.of(), lab.retained(B + "/bridge/state"), "v1 bridge/state is not published by workers with an id");
        assertEquals(List.of(), lab.retained(B + "/bridge/info"), "v1 bridge/info is not published by workers with an id");

        lab.send("a1", "wake", "{\"id\":\"o-a1\"}");
        lab.send("a2", "check", "{\"id\":\"o-a2\"}");
        lab.send("b1", "wake", "{\"id\":\"o-b1\"}");
        lab.send("nohost", "check", "{\"id\":\"o-unknown\"}");
        lab.send("NotAHost", "check", "{\"id\":\"o-level\"}");
        lab.send("a1", "explode", "{\"id\":\"o-action\"}");
        Map<String, String> expected = Map.of(
                "o-a1", B + "/a1/result/wake WOL_SENT",
                "o-a2", B + "/a2/result/check CHECKED",
                "o-b1", B + "/b1/result/wake WOL_SENT",
                "o-unknown", B + "/nohost/result/check UNKNOWN_HOST",
                "o-level", B + "/bridge/error INVALID_COMMAND",
                "o-action", B + "/a1/result/explode UNKNOWN_ACTION");
        for (String id : expected.keySet()) {
            lab.watcher.result(id, WAIT);
        }
        Thread.sleep(3_000);   // a second answer (the other worker's, the unknown-host watch's) would be here by now
        for (Map.Entry<String, String> want : expected.entrySet()) {
            List<String> answers = answers(want.getKey());
            assertEquals(List.of(want.getValue()), answers, want.getKey() + " answered exactly once, with its code");
        }
        assertEquals(ScaleOutLab.PACKETS, lab.packets("a1"), "a1's magic packets, once");
        assertEquals(ScaleOutLab.PACKETS, lab.packets("b1"), "b1's magic packets, once");
        assertEquals(0, lab.packets("a2"));
        assertEquals(List.of(), lab.watcher.all(m -> m.topic().equals(B + "/bridge/state") || m.topic().equals(B + "/bridge/info")),
                "nothing on the v1 bridge topics since before the workers started");

        // A stops (SIGTERM): its hosts are still its own, its kept session holds their commands
        long stopped = System.nanoTime();
        a.stop();
        assertTrue(Faults.await(() -> "offline".equals(lab.lastState("wa", stopped)), WAIT), "wa says offline");
        assertEquals("offline", lab.retained(B + "/bridge/workers/wa/state").get(0).text());
        lab.send("a1", "check", "{\"id\":\"o-away\"}");
        Thread.sleep(4_000);   // past the unknown-host watch's 1 s grace, with room
        assertEquals(List.of(), answers("o-away"), "B does not answer UNKNOWN_HOST for a host A announced");

        lab.start("scale-owners-a2", "wa", null, inventoryA);
        lab.watcher.result("o-away", WAIT);
        Thread.sleep(2_000);
        assertEquals(List.of(B + "/a1/result/check CHECKED"), answers("o-away"), "A answers it once it is back");
        Faults.log("owners: all answered once; A's queued check answered after its restart, %d s after the test began",
                (System.nanoTime() - begin) / 1_000_000_000);
    }

    /** One command of the stream. */
    private record Cmd(int index, String id, String host, String action, String payload) {
        boolean ssh() {
            return action.equals("shutdown") || action.equals("cancel");
        }

        String expectedCode() {
            return switch (action) {
                case "wake" -> "WOL_SENT";
                case "check" -> "CHECKED";
                case "shutdown" -> "SHUTDOWN_SCHEDULED";
                default -> "SHUTDOWN_CANCELLED";
            };
        }
    }

    /** One kill -9 of the active member, and what was seen of the takeover. */
    private record Kill(String victim, String survivor, int sentBefore, long atNanos, long deadWallMs, Set<Integer> unanswered,
            long roleActiveMs, long firstResultMs) {
    }

    private static final int STREAM = 2_000;
    /**
     * What this shared 2-core machine sustains with 6 commands in 100 an SSH login (see docs/faults.md),
     * with room: a member that falls behind makes the takeover run its backlog at once (BUSY answers),
     * (a member down longer than max_queued_messages / (2 x rate) s would miss results: the brokers here keep 100,000). -Dscale.rate=...
     */
    private static final int RATE = Integer.getInteger("scale.rate", 25);
    private static final int GROUP_HOSTS = 8;

    /**
     * Two members of a share group (same inventory: 8 hosts with MACs of their own, SSH as user =
     * host id), 2,000 commands with unique ids at 25/s (45 % wake, 49 % check, 3 % delayed
     * shutdown, 3 % cancel). The active member is killed -9 at a third; it is started again
     * and comes back a standby; the new active member is killed at two thirds. Seen by a user:
     * every id answered, none answered twice, and at the receivers every magic packet and SSH
     * command accounted for by an answer, except commands cut off by a kill (executed, not
     * answered), which the contract lets run again and which are reported apart.
     */
    @Test
    void aShareGroupUnderA2000CommandStreamLosesNothingAndRunsNothingTwiceAcrossTwoKills() throws Exception {
        lab = new ScaleOutLab(dir, "stream");
        List<String> hosts = new java.util.ArrayList<>();
        for (int i = 0; i < GROUP_HOSTS; i++) {
            hosts.add("g" + i);
        }
        // SSH logins get 20 s: the first ones of a member that has just taken over (a JVM that never used SSH)
        // took more than 5 s on this loaded machine, which is not what this test is about
        Path inventory = lab.inventory("hosts-group.yaml", hosts,
                hosts.stream().collect(Collectors.toMap(host -> host, host -> "20s")));
        Map<String, JarWorker> members = new java.util.HashMap<>();
        long begin = System.nanoTime();
        members.put("m1", lab.start("scale-stream-m1", "m1", "grp", inventory));
        lab.awaitRole("m1", "active", begin, WAIT);
        members.put("m2", lab.start("scale-stream-m2", "m2", "grp", inventory));
        lab.awaitRole("m2", "standby", begin, WAIT);
        Thread.sleep(2_000);   // m2's leadership has settled: it watches

        java.util.Random random = new java.util.Random(14L);
        List<Cmd> stream = new java.util.ArrayList<>();
        for (int i = 0; i < STREAM; i++) {
            String host = hosts.get(random.nextInt(hosts.size()));
            double pick = random.nextDouble();
            String action = pick < 0.45 ? "wake" : pick < 0.94 ? "check" : pick < 0.97 ? "shutdown" : "cancel";
            String id = "s-" + i;
            String payload = action.equals("shutdown") ? "{\"id\":\"" + id + "\",\"delay_minutes\":5,\"force\":true}"
                    : "{\"id\":\"" + id + "\"}";
            stream.add(new Cmd(i, id, host, action, payload));
        }
        java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Throwable> senderFailure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread client = new Thread(() -> {
            try {
                long start = System.nanoTime();
                for (Cmd cmd : stream) {
                    long due = start + cmd.index() * 1_000_000_000L / RATE;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    lab.send(cmd.host(), cmd.action(), cmd.payload());
                    sent.incrementAndGet();
                }
            } catch (Throwable failed) {
                senderFailure.set(failed);
            }
        }, "scale-stream-client");
        long streamBegin = System.nanoTime();
        client.start();

        List<Kill> kills = new java.util.ArrayList<>();
        kills.add(killActive(members, "m1", "m2", STREAM / 3, sent, stream));
        long restarted = System.nanoTime();
        members.put("m1", lab.start("scale-stream-m1-again", "m1", "grp", inventory));
        lab.awaitRole("m1", "standby", restarted, WAIT);
        long m1BackMs = (System.nanoTime() - restarted) / 1_000_000;
        Thread.sleep(2_000);
        assertTrue(sent.get() < STREAM, "the stream was over before m1 was back: make it longer");
        kills.add(killActive(members, "m2", "m1", 2 * STREAM / 3, sent, stream));
        client.join(120_000);
        assertEquals(null, senderFailure.get(), "the client could publish every command");
        long streamMs = (System.nanoTime() - streamBegin) / 1_000_000;

        Faults.await(() -> stream.stream().allMatch(cmd -> lab.watcher.answered(cmd.id())), Duration.ofSeconds(60));
        long allAnsweredMs = (System.nanoTime() - streamBegin) / 1_000_000;
        Thread.sleep(3_000);   // a late second answer, a late packet, would be here by now

        // every id answered, exactly once (answers marked duplicate and QoS 1 redeliveries aside)
        List<String> unanswered = new java.util.ArrayList<>();
        List<String> answeredTwice = new java.util.ArrayList<>();
        List<String> wrongCode = new java.util.ArrayList<>();
        int duplicates = 0;
        int redelivered = 0;
        Map<String, Integer> woken = new TreeMap<>();
        Map<String, Integer> sshAnswered = new TreeMap<>();
        Map<String, Integer> codes = new TreeMap<>();
        List<String> failures = new java.util.ArrayList<>();
        for (Cmd cmd : stream) {
            List<JsonNode> first = lab.firstAnswers(cmd.id());
            duplicates += lab.duplicateAnswers(cmd.id()).size();
            Set<String> executions = first.stream().map(r -> r.path("timestamp").asText()).collect(Collectors.toSet());
            redelivered += first.size() - executions.size();
            if (lab.watcher.results(cmd.id()).isEmpty()) {
                unanswered.add(cmd.id() + " " + cmd.action() + " " + cmd.host());
                continue;
            }
            if (executions.size() > 1) {
                answeredTwice.add(cmd.id() + " " + first);
            }
            JsonNode answer = first.isEmpty() ? lab.watcher.results(cmd.id()).get(0) : first.get(0);
            codes.merge(answer.path("code").asText(), 1, Integer::sum);
            if (!answer.path("success").asBoolean()) {
                failures.add(cmd.index() + ":" + cmd.action() + ":" + cmd.host() + ":" + answer.path("code").asText());
            }
            if (!answer.path("code").asText().equals(cmd.expectedCode())) {
                wrongCode.add(cmd.id() + " " + cmd.action() + " " + answer);
            }
            if (answer.path("code").asText().equals("WOL_SENT")) {
                woken.merge(cmd.host(), executions.size(), Integer::sum);
            }
            if (cmd.ssh() && answer.path("success").asBoolean()) {
                sshAnswered.merge(cmd.host(), executions.size(), Integer::sum);
            }
        }

        // at the receivers: each answer's execution, plus at most the commands unanswered at a kill (cut off, run again)
        List<String> unaccounted = new java.util.ArrayList<>();
        List<String> cutOff = new java.util.ArrayList<>();
        for (String host : hosts) {
            int packets = lab.packets(host);
            int expected = ScaleOutLab.PACKETS * woken.getOrDefault(host, 0);
            long mayRunAgain = kills.stream().flatMap(k -> k.unanswered().stream()).map(stream::get)
                    .filter(cmd -> cmd.host().equals(host) && cmd.action().equals("wake")).count();
            if (packets < expected || packets > expected + ScaleOutLab.PACKETS * mayRunAgain) {
                unaccounted.add(host + ": " + packets + " magic packets for " + woken.getOrDefault(host, 0) + " WOL_SENT answers, "
                        + mayRunAgain + " wake(s) unanswered at a kill");
            } else if (packets > expected) {
                cutOff.add(host + ": " + (packets - expected) + " packet(s) of a wake cut off by a kill");
            }
            long runs = lab.sshRuns(host);
            int sshExpected = sshAnswered.getOrDefault(host, 0);
            long sshMayRunAgain = kills.stream().flatMap(k -> k.unanswered().stream()).map(stream::get)
                    .filter(cmd -> cmd.host().equals(host) && cmd.ssh()).count();
            if (runs < sshExpected || runs > sshExpected + sshMayRunAgain) {
                unaccounted.add(host + ": " + runs + " SSH commands for " + sshExpected + " shutdown/cancel answers, "
                        + sshMayRunAgain + " unanswered at a kill");
            } else if (runs > sshExpected) {
                cutOff.add(host + ": " + (runs - sshExpected) + " SSH command(s) cut off by a kill");
            }
        }
        String takenOver = members.values().stream().flatMap(worker -> {
            try {
                return worker.output().lines().filter(line -> line.contains("Taking over") || line.contains("is now the active"));
            } catch (java.io.IOException e) {
                return java.util.stream.Stream.of(e.toString());
            }
        }).map(line -> line.replaceAll("^\\S+ \\w+ +\\[[^]]*\\] \\S+ - ", "")).collect(Collectors.joining("; "));

        StringBuilder report = new StringBuilder();
        for (int k = 0; k < kills.size(); k++) {
            Kill kill = kills.get(k);
            report.append(String.format("kill %d: %s killed -9 after %d commands sent (%d unanswered at that moment);"
                    + " %s's retained info said role active %d ms later; its first result %d ms after the kill%n",
                    k + 1, kill.victim(), kill.sentBefore(), kill.unanswered().size(), kill.survivor(), kill.roleActiveMs(),
                    kill.firstResultMs()));
        }
        report.append(String.format("stream: %d commands at %d/s in %d ms, all answered %d ms after the first;"
                + " the killed m1 back as standby %d ms after its restart; codes %s; %d duplicate-marked answers, %d QoS 1 redeliveries;"
                + " cut off and run again: %s; unanswered: %s; failed answers (index:action:host:code): %s; workers said: %s%n",
                STREAM, RATE, streamMs, allAnsweredMs, m1BackMs, codes, duplicates, redelivered, cutOff.isEmpty() ? "none" : cutOff,
                unanswered, failures, takenOver));
        Faults.log("%s", report.toString().trim());
        java.nio.file.Files.writeString(Path.of("target", "scale-out-takeover.txt"), report.toString());

        assertEquals(List.of(), unanswered, "every id answered");
        assertEquals(List.of(), answeredTwice, "no id answered twice (no id executed twice)");
        assertEquals(List.of(), wrongCode, "each answered with its action's success code");
        assertEquals(List.of(), unaccounted, "every execution at the receivers is an answer's, or a command's cut off by a kill");
        assertEquals(0, lab.wol.malformed());
        for (Kill kill : kills) {
            // contract: "the others carry on within 5 s"
            assertTrue(kill.roleActiveMs() <= 5_000, "takeover within 5 s: " + kill);
            assertTrue(kill.firstResultMs() <= 5_000, "first result within 5 s of the kill: " + kill);
        }
    }

    /** Waits until {@code after} commands were sent, kills the active member and measures the takeover. */
    private Kill killActive(Map<String, JarWorker> members, String victim, String survivor, int after,
            java.util.concurrent.atomic.AtomicInteger sent, List<Cmd> stream) throws Exception {
        assertTrue(Faults.await(() -> sent.get() >= after, Duration.ofSeconds(120)), "the stream reached " + after);
        JsonNode info = lab.lastInfo(victim, 0);
        assertEquals("active", info.path("role").asText(), victim + " is the active member: " + info);
        int sentBefore = sent.get();
        Set<Integer> unanswered = new java.util.TreeSet<>();
        for (int i = 0; i < sentBefore + 1 && i < stream.size(); i++) {   // the one being published may be in too
            if (!lab.watcher.answered(stream.get(i).id())) {
                unanswered.add(i);
            }
        }
        long at = System.nanoTime();
        members.get(victim).kill();
        long deadWall = System.currentTimeMillis();
        long roleAt = lab.awaitRole(survivor, "active", at, Duration.ofSeconds(30));
        Watcher.Seen first = lab.watcher.await(m -> m.atNanos() > at && m.topic().contains("/result/") && m.json() != null
                && java.time.OffsetDateTime.parse(m.json().path("timestamp").asText()).toInstant().toEpochMilli() > deadWall,
                Duration.ofSeconds(30));
        return new Kill(victim, survivor, sentBefore, at, deadWall, unanswered, (roleAt - at) / 1_000_000,
                (first.atNanos() - at) / 1_000_000);
    }

    /** Starts m1 then m2 in share group grp on this inventory: m1 active, m2 standby, settled. */
    private Map<String, JarWorker> group(String name, Path inventory) throws Exception {
        Map<String, JarWorker> members = new java.util.HashMap<>();
        long begin = System.nanoTime();
        members.put("m1", lab.start("scale-" + name + "-m1", "m1", "grp", inventory));
        lab.awaitRole("m1", "active", begin, WAIT);
        members.put("m2", lab.start("scale-" + name + "-m2", "m2", "grp", inventory));
        lab.awaitRole("m2", "standby", begin, WAIT);
        Thread.sleep(2_000);
        return members;
    }

    /** Kills this member -9 and waits for the other to say it is active. */
    private void killAndAwaitTakeover(Map<String, JarWorker> members, String victim, String survivor) throws Exception {
        long at = System.nanoTime();
        members.get(victim).kill();
        lab.awaitRole(survivor, "active", at, WAIT);
    }

    /** Sends these commands (host, action, id[, extra JSON fields]) and returns their first answers by id. */
    private Map<String, JsonNode> sendAll(List<String[]> commands) throws InterruptedException {
        for (String[] command : commands) {
            lab.send(command[0], command[1], payload(command));
        }
        Map<String, JsonNode> answers = new TreeMap<>();
        for (String[] command : commands) {
            answers.put(command[2], lab.watcher.result(command[2], WAIT));
        }
        return answers;
    }

    private static String payload(String[] command) {
        return "{\"id\":\"" + command[2] + "\"" + (command.length > 3 ? "," + command[3] : "") + "}";
    }

    private Map<String, Long> executions(List<String> hosts) {
        Map<String, Long> seen = new TreeMap<>();
        for (String host : hosts) {
            seen.put(host + " packets", (long) lab.packets(host));
            seen.put(host + " ssh", lab.sshRuns(host));
        }
        return seen;
    }

    /**
     * Re-sends these commands and waits for one answer marked duplicate each; asserts it carries
     * the first answer (its timestamp and code) and that no further first answer came.
     */
    private void assertRepeatsAnsweredFromTheFirst(List<String[]> commands, Map<String, JsonNode> first, String who)
            throws InterruptedException {
        Map<String, Integer> before = new TreeMap<>();
        for (String[] command : commands) {
            before.put(command[2], lab.duplicateAnswers(command[2]).size());
            lab.send(command[0], command[1], payload(command));
        }
        for (String[] command : commands) {
            String id = command[2];
            assertTrue(Faults.await(() -> lab.duplicateAnswers(id).size() > before.get(id) || lab.firstAnswers(id).size() > 1, WAIT),
                    id + ": no answer to the repeat from " + who);
        }
        Thread.sleep(1_000);
        for (String[] command : commands) {
            String id = command[2];
            assertEquals(1, lab.firstAnswers(id).size(), id + " was run again by " + who + ": " + lab.watcher.results(id));
            JsonNode repeat = lab.duplicateAnswers(id).get(lab.duplicateAnswers(id).size() - 1);
            assertEquals(first.get(id).path("timestamp").asText(), repeat.path("timestamp").asText(), id + ": " + repeat);
            assertEquals(first.get(id).path("code").asText(), repeat.path("code").asText(), id + ": " + repeat);
        }
    }

    /**
     * Ids answered by member 1 are answered {@code duplicate: true} by member 2 once member 1 is
     * dead (learned from the results it witnessed); ids answered by member 2 while member 1 was
     * down are answered duplicate by member 1 once it is back and member 2 is dead (learned from
     * its kept witness session). Nothing runs again: magic packets and SSH commands counted.
     */
    @Test
    void aRepeatedIdIsAnsweredFromTheFirstResultWhicheverMemberGetsIt() throws Exception {
        lab = new ScaleOutLab(dir, "repeat");
        List<String> hosts = List.of("r0", "r1", "r2", "r3");
        Path inventory = lab.inventory("hosts-repeat.yaml", hosts);
        Map<String, JarWorker> members = group("repeat", inventory);

        List<String[]> byM1 = List.of(new String[] {"r0", "wake", "p1-w0"}, new String[] {"r1", "wake", "p1-w1"},
                new String[] {"r2", "wake", "p1-w2"}, new String[] {"r3", "wake", "p1-w3"},
                new String[] {"r0", "shutdown", "p1-s0", "\"delay_minutes\":5,\"force\":true"},
                new String[] {"r1", "cancel", "p1-c1"}, new String[] {"r2", "check", "p1-k2"});
        Map<String, JsonNode> first = new TreeMap<>(sendAll(byM1));
        Thread.sleep(1_000);   // m2's witness has the results
        Map<String, Long> afterM1 = executions(hosts);
        assertEquals(ScaleOutLab.PACKETS, lab.packets("r0"));
        assertEquals(1, lab.sshRuns("r0"));
        assertEquals(1, lab.sshRuns("r1"));

        killAndAwaitTakeover(members, "m1", "m2");
        assertRepeatsAnsweredFromTheFirst(byM1, first, "m2");
        assertEquals(afterM1, executions(hosts), "m2 ran nothing again");

        List<String[]> byM2 = List.of(new String[] {"r0", "wake", "p2-w0"}, new String[] {"r3", "wake", "p2-w3"},
                new String[] {"r1", "shutdown", "p2-s1", "\"delay_minutes\":5,\"force\":true"},
                new String[] {"r2", "cancel", "p2-c2"}, new String[] {"r3", "check", "p2-k3"});
        first.putAll(sendAll(byM2));
        for (String[] command : byM2) {
            assertFalse(first.get(command[2]).path("duplicate").asBoolean(false), first.get(command[2]).toString());
        }
        Thread.sleep(1_000);
        Map<String, Long> afterM2 = executions(hosts);

        long restarted = System.nanoTime();
        members.put("m1", lab.start("scale-repeat-m1-again", "m1", "grp", inventory));
        lab.awaitRole("m1", "standby", restarted, WAIT);
        Thread.sleep(2_000);   // its kept witness session has delivered what m2 answered meanwhile
        killAndAwaitTakeover(members, "m2", "m1");
        assertRepeatsAnsweredFromTheFirst(byM2, first, "m1, back");
        assertRepeatsAnsweredFromTheFirst(byM1, first, "m1, back");
        assertEquals(afterM2, executions(hosts), "m1 ran nothing again");
    }

    /**
     * A member that comes back after the others answered more than Mosquitto queues for an
     * offline client (max_queued_messages, 1000 by default: the broker of this machine and of
     * docker/mosquitto) through its kept witness session. It must still not run again an id
     * answered while it was away, and must not lose a command that was in flight at the active
     * member when that one dies.
     */
    @Test
    void aMemberBackAfterMoreTrafficThanMosquittoQueuesForItStillKnowsWhatWasAnsweredAndWhatWasInFlight() throws Exception {
        lab = new ScaleOutLab(dir, "overflow");
        List<String> hosts = List.of("q0", "q1", "hang");
        Path inventory = lab.inventory("hosts-overflow.yaml", hosts, Map.of("hang", "40s"));
        Map<String, JarWorker> members = group("overflow", inventory);
        killAndAwaitTakeover(members, "m1", "m2");

        // m2 alone answers 700 checks: 1,400 messages (command + result) for m1's witness session
        int checks = Integer.getInteger("scale.fill", 700);
        for (int i = 0; i < checks; i++) {
            lab.send("q0", "check", "{\"id\":\"fill-" + i + "\"}");
        }
        for (int i = 0; i < checks; i++) {
            lab.watcher.result("fill-" + i, WAIT);
        }
        List<String[]> answeredWhileAway = List.<String[]>of(new String[] {"q1", "wake", "away-w1"});
        Map<String, JsonNode> first = sendAll(answeredWhileAway);
        // and two commands that stay in flight at m2: a cancel that hangs (40 s), a wake queued behind it
        lab.send("hang", "cancel", "{\"id\":\"inflight-cancel\"}");
        lab.send("hang", "wake", "{\"id\":\"inflight-wake\"}");
        Thread.sleep(1_000);
        long packetsBefore = lab.packets("q1");

        long restarted = System.nanoTime();
        members.put("m1", lab.start("scale-overflow-m1-again", "m1", "grp", inventory));
        lab.awaitRole("m1", "standby", restarted, WAIT);
        Thread.sleep(2_000);
        assertFalse(lab.watcher.answered("inflight-wake"), "still in flight at m2 (behind the hanging cancel)");
        killAndAwaitTakeover(members, "m2", "m1");

        lab.send("q1", "wake", "{\"id\":\"away-w1\"}");
        boolean repeatAnswered = Faults.await(() -> lab.watcher.results("away-w1").size() > 1, WAIT);
        Thread.sleep(1_000);
        List<JsonNode> awayAnswers = lab.watcher.results("away-w1");
        boolean inflightAnswered = Faults.await(() -> lab.watcher.answered("inflight-wake"), Duration.ofSeconds(60));
        Faults.log("member back after %d checks: repeat of an id answered while it was away -> %s; packets of that host %d -> %d;"
                + " wake in flight at the killed member: %s; cancel in flight: %s",
                checks, awayAnswers, packetsBefore, lab.packets("q1"), lab.watcher.results("inflight-wake"),
                lab.watcher.results("inflight-cancel"));
        assertTrue(repeatAnswered, "the repeat was answered");
        assertEquals(List.of(first.get("away-w1").path("timestamp").asText()),
                lab.firstAnswers("away-w1").stream().map(r -> r.path("timestamp").asText()).toList(),
                "the repeat is answered from the first result, not run again: " + awayAnswers);
        assertEquals(packetsBefore, lab.packets("q1"), "no magic packet sent again");
        assertTrue(inflightAnswered, "the wake in flight at m2 when it died is not lost");
    }

    /**
     * When the killed member comes back, it is the newest member: a standby. The active member
     * must stay active: its retained info never says standby, and commands keep being answered
     * promptly while the other starts (a client sends a check every 200 ms meanwhile).
     */
    @Test
    void aKilledMemberComingBackDoesNotMakeTheActiveMemberStepDown() throws Exception {
        lab = new ScaleOutLab(dir, "flap");
        Path inventory = lab.inventory("hosts-flap.yaml", List.of("f0"));
        Map<String, JarWorker> members = group("flap", inventory);
        long takeover = System.nanoTime();
        killAndAwaitTakeover(members, "m1", "m2");

        List<Long> sentAt = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean ticking = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread ticker = new Thread(() -> {
            while (ticking.get()) {
                sentAt.add(System.nanoTime());
                lab.send("f0", "check", "{\"id\":\"tick-" + (sentAt.size() - 1) + "\"}");
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "scale-flap-ticker");
        ticker.start();
        long restarted = System.nanoTime();
        members.put("m1", lab.start("scale-flap-m1-again", "m1", "grp", inventory));
        lab.awaitRole("m1", "standby", restarted, WAIT);
        Thread.sleep(4_000);
        ticking.set(false);
        ticker.join();
        Faults.await(() -> java.util.stream.IntStream.range(0, sentAt.size()).allMatch(i -> lab.watcher.answered("tick-" + i)), WAIT);

        List<String> m2Roles = lab.watcher.all(m -> m.topic().equals(B + "/bridge/workers/m2/info") && m.atNanos() > takeover)
                .stream().map(m -> m.json().path("role").asText()).toList();
        long slowest = 0;
        int slow = 0;
        for (int i = 0; i < sentAt.size(); i++) {
            List<Watcher.Seen> answer = lab.watcher.all(m -> m.topic().endsWith("/result/check") && m.text().contains("\"tick-"));
            long sent = sentAt.get(i);
            String id = "tick-" + i;
            long at = answer.stream().filter(m -> id.equals(m.json().path("id").asText())).mapToLong(Watcher.Seen::atNanos)
                    .min().orElse(Long.MAX_VALUE);
            long ms = at == Long.MAX_VALUE ? Long.MAX_VALUE : (at - sent) / 1_000_000;
            slowest = Math.max(slowest, ms);
            slow += ms > 1_500 ? 1 : 0;
        }
        String stepDown = members.get("m2").output().lines().filter(line -> line.contains("is now a standby")).findFirst().orElse("none");
        Faults.log("while the killed member came back: m2's roles %s; %d checks, %d answered after more than 1.5 s, slowest %d ms;"
                + " m2's step-down line: %s", m2Roles, sentAt.size(), slow, slowest, stepDown);
        assertEquals("none", stepDown, "m2 stayed the active member while m1 came back (checks: " + slow
                + " answered after more than 1.5 s, slowest " + slowest + " ms)");
        assertFalse(m2Roles.contains("standby"), "m2's info never said standby: " + m2Roles);
    }

    /**
     * Anyone who may publish under bridge/workers can forge a worker's retained info. A forged
     * info claiming the workers' hosts must not stop them answering their own hosts; 1 MiB of
     * junk, malformed JSON or a huge info must not crash them.
     */
    @Test
    void aForgedWorkerInfoClaimingTheHostsOrFullOfJunkNeitherSilencesNorCrashesAWorker() throws Exception {
        lab = new ScaleOutLab(dir, "forged");
        JarWorker grouped = lab.start("scale-forged-grouped", "solo", "grp", lab.inventory("hosts-x.yaml", List.of("x0", "x1")));
        long begin = System.nanoTime();
        lab.awaitRole("solo", "active", 0, WAIT);
        JarWorker plain = lab.start("scale-forged-plain", "plain", null, lab.inventory("hosts-y.yaml", List.of("y0")));
        int round = 0;
        assertAnswered(round++);

        byte[] junk = new byte[1 << 20];
        new java.util.Random(5L).nextBytes(junk);
        lab.retain(B + "/bridge/workers/evil-junk/info", junk);
        lab.retain(B + "/bridge/workers/evil-junk/state", "online".getBytes());
        lab.retain(B + "/bridge/workers/evil-bad/info", "{\"worker_id\":\"evil-bad\",\"hosts\":[{\"id\":\"x0\"".getBytes());
        lab.retain(B + "/bridge/workers/evil-bad/state", "online".getBytes());
        String big = "{\"worker_id\":\"evil-big\",\"share_group\":\"grp\",\"hosts\":[{\"id\":\"x0\",\"name\":\"" + "A".repeat(1 << 20)
                + "\"}],\"junk\":[" + "[".repeat(2_000) + "]".repeat(2_000) + "]}";
        lab.retain(B + "/bridge/workers/evil-big/info", big.getBytes());
        lab.retain(B + "/bridge/workers/Not-A-Worker/info", junk);
        Thread.sleep(2_000);
        assertAnswered(round++);

        // a forged worker claiming every host (no share group, no state)
        lab.retain(B + "/bridge/workers/evil/info",
                "{\"worker_id\":\"evil\",\"hosts\":[{\"id\":\"x0\"},{\"id\":\"x1\"},{\"id\":\"y0\"}],\"role\":\"active\"}".getBytes());
        // and one that also says it is online
        lab.retain(B + "/bridge/workers/evil2/state", "online".getBytes());
        lab.retain(B + "/bridge/workers/evil2/info",
                "{\"worker_id\":\"evil2\",\"hosts\":[{\"id\":\"x0\"},{\"id\":\"x1\"},{\"id\":\"y0\"}],\"role\":\"active\"}".getBytes());
        Thread.sleep(2_000);
        assertAnswered(round++);
        assertTrue(grouped.alive() && plain.alive(), "both workers still run");
        assertEquals("active", lab.lastInfo("solo", begin).path("role").asText());
        Faults.log("forged infos: 1 MiB junk, malformed JSON, 1 MiB JSON, claims of every host: %d rounds of checks answered", round);
    }

    /**
     * A forged member of the share group (retained state online, an info with the group's
     * name, role active and an online_since older than anyone's) never answers anything. The
     * real member must not step down for it and leave the group's hosts unanswered.
     */
    @Test
    @EnabledIfSystemProperty(named = "scale.bugs", matches = "true", disabledReason = BUG_FORGED_MEMBER)
    void aForgedOlderMemberOfTheShareGroupDoesNotSilenceTheRealOne() throws Exception {
        lab = new ScaleOutLab(dir, "usurper");
        JarWorker grouped = lab.start("scale-usurper-grouped", "solo", "grp", lab.inventory("hosts-x.yaml", List.of("x0", "x1")));
        lab.awaitRole("solo", "active", 0, WAIT);
        lab.send("x0", "check", "{\"id\":\"before-usurper\"}");
        lab.watcher.result("before-usurper", WAIT);

        lab.retain(B + "/bridge/workers/usurper/state", "online".getBytes());
        lab.retain(B + "/bridge/workers/usurper/info", ("{\"worker_id\":\"usurper\",\"share_group\":\"grp\",\"role\":\"active\","
                + "\"online_since\":\"2000-01-01T00:00:00Z\",\"hosts\":[{\"id\":\"x0\"},{\"id\":\"x1\"}]}").getBytes());
        Thread.sleep(3_000);
        lab.send("x0", "check", "{\"id\":\"after-usurper\"}");
        boolean answered = Faults.await(() -> lab.watcher.answered("after-usurper"), Duration.ofSeconds(10));
        String line = grouped.output().lines().filter(l -> l.contains("is now a standby")).findFirst().orElse("none");
        Faults.log("forged older member of the group: check answered %s; solo's role %s; its log: %s", answered,
                lab.lastInfo("solo", 0).path("role").asText(), line);
        assertTrue(answered, "the group's host is still answered after a forged member appeared; " + line);
    }

    private void assertAnswered(int round) throws InterruptedException {
        for (String host : List.of("x0", "x1", "y0")) {
            String id = "forged-" + round + "-" + host;
            lab.send(host, "check", "{\"id\":\"" + id + "\"}");
            assertEquals("CHECKED", lab.watcher.result(id, WAIT).path("code").asText(), id);
        }
        Thread.sleep(1_500);
        for (String host : List.of("x0", "x1", "y0")) {
            assertEquals(1, lab.watcher.results("forged-" + round + "-" + host).size(), "answered once");
        }
    }

    /**
     * Contract: a worker's MQTT client ids get {@code -<worker id>} appended, so workers may share
     * one CUBEGUARDIAN_MQTT_CLIENT_ID. Two workers started with the same one must both stay
     * connected: no connection of one may throw out the other's (Mosquitto's session takeover).
     */
    @Test
    void twoWorkersGivenTheSameClientIdStayConnectedAndBothAnswer() throws Exception {
        lab = new ScaleOutLab(dir, "sameid");
        Map<String, String> sameId = Map.of("CUBEGUARDIAN_MQTT_CLIENT_ID", "scale");
        JarWorker a = lab.start("scale-sameid-a", "wa", null, lab.inventory("hosts-a.yaml", List.of("a1")), sameId);
        JarWorker b = lab.start("scale-sameid-b", "wb", null, lab.inventory("hosts-b.yaml", List.of("b1")), sameId);
        long settled = System.nanoTime();
        Thread.sleep(5_000);
        lab.send("a1", "check", "{\"id\":\"same-a1\"}");
        lab.send("b1", "check", "{\"id\":\"same-b1\"}");
        Faults.await(() -> lab.watcher.answered("same-a1") && lab.watcher.answered("same-b1"), WAIT);
        List<String> flaps = lab.watcher.all(m -> m.topic().startsWith(B + "/bridge/workers/") && m.topic().endsWith("/state")
                && m.atNanos() > settled).stream().map(m -> m.topic() + "=" + m.text()).toList();
        long lost = (a.output() + b.output()).lines().filter(line -> line.contains("Lost the MQTT broker")).count();
        Faults.log("same configured client id: %d 'Lost the MQTT broker' lines in 5 s, state changes %s", lost, flaps);
        assertEquals(List.of(), flaps, "a worker's retained state changed while nothing happened (connections thrown out)");
        assertEquals(0, lost, "a worker's connection was thrown out by the other's (same client id)");
        assertEquals("CHECKED", lab.watcher.result("same-a1", Duration.ofSeconds(1)).path("code").asText());
        assertEquals("CHECKED", lab.watcher.result("same-b1", Duration.ofSeconds(1)).path("code").asText());
    }

    /** Every message with this id on a result topic or bridge/error, as "topic code". */
    private List<String> answers(String id) {
        return lab.watcher.all(m -> (m.topic().contains("/result/") || m.topic().equals(B + "/bridge/error"))
                && m.json() != null && id.equals(m.json().path("id").asText(null)))
                .stream().map(m -> m.topic() + " " + m.json().path("code").asText()).toList();
    }
}
