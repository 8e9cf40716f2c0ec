package dev.cubeguardian.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.it.MosquittoBroker;
import dev.cubeguardian.it.TestSshServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * DurableMemoryIT's seeded kill rounds with the commands that run over SSH: delayed shutdowns
 * ({@code shutdown -h +N}, N of its own per host) and cancels ({@code shutdown -c}), counted at
 * the SSH server. The worker is killed (SIGKILL) after a random number of answers, restarted on
 * the same data directory, and the client retries every id it sent. Per host the commands run
 * are the distinct ids answered: an id answered before the kill ran exactly once; an id cut off
 * by the kill ran once or, as the contract allows for a command not yet answered, once more
 * (counted apart and reported); none is lost.
 */
@Timeout(value = 170, unit = TimeUnit.SECONDS)
// both cores for itself: see the failsafe executions in pom.xml
@Tag("alone")
class ShutdownKillRoundsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration START = Duration.ofSeconds(60);
    private static final int ROUNDS = Faults.scale(4, 12);
    private static final int HOSTS_PER_ROUND = 6;

    /** One command of the stream: what the SSH server sees it run as. */
    private record Sent(String host, String action, String id, String payload, String remote) {
    }

    @TempDir
    Path dir;

    @Test
    void killedAtRandomPointsOfAShutdownAndCancelStreamNoAnsweredIdRunsTwiceOverSsh() throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker().start();
                TestSshServer ssh = new TestSshServer().start();
                Watcher watcher = new Watcher(broker.url(), "faults-sshrounds-watcher", null, null, "cubeguardian/#");
                Sender sender = new Sender(broker.url())) {
            Path known = ssh.knownHosts(dir, "host_ed25519");
            StringBuilder inventory = new StringBuilder("version: 1\nhosts:\n");
            for (int i = 0; i < ROUNDS * HOSTS_PER_ROUND; i++) {
                inventory.append(Faults.host("s" + i, i, 9, 1, null))
                        .append(Faults.ssh(ssh.port(), "s" + i, Faults.key("client_ed25519"), null, known, "5s"));
            }
            Path hosts = Faults.write(dir.resolve("hosts.yaml"), inventory.toString());
            Map<String, String> env = Map.of("CUBEGUARDIAN_MQTT_URL", broker.url(), "CUBEGUARDIAN_MQTT_CLIENT_ID", "faults-sshrounds",
                    "CUBEGUARDIAN_HOSTS_FILE", hosts.toString(), "CUBEGUARDIAN_MONITOR_STEADY_INTERVAL", "30s");

            Random random = new Random(20261203L);
            List<Sent> all = new ArrayList<>();
            List<Sent> answeredBeforeKill = new ArrayList<>();
            List<Sent> cutOff = new ArrayList<>();
            List<JarWorker> workers = new ArrayList<>();
            try {
                workers.add(start(watcher, dir, "sshrounds-0", env));
                for (int round = 0; round < ROUNDS; round++) {
                    List<Sent> stream = new ArrayList<>();
                    for (int h = 0; h < HOSTS_PER_ROUND; h++) {
                        String host = "s" + (round * HOSTS_PER_ROUND + h);
                        int delay = 1 + random.nextInt(1440);
                        stream.add(new Sent(host, "shutdown", "sd" + round + "-" + h,
                                "{\"id\":\"sd" + round + "-" + h + "\",\"delay_minutes\":" + delay + "}", "shutdown -h +" + delay));
                        if (random.nextBoolean()) {
                            stream.add(new Sent(host, "cancel", "cc" + round + "-" + h, "{\"id\":\"cc" + round + "-" + h + "\"}",
                                    "shutdown -c"));
                        }
                    }
                    java.util.Collections.shuffle(stream, random);
                    // hosts interleaved at random, each host's cancel after its own shutdown, as a user would
                    for (int i = 0; i < stream.size(); i++) {
                        for (int j = i + 1; j < stream.size(); j++) {
                            if (stream.get(i).action().equals("cancel") && stream.get(j).host().equals(stream.get(i).host())) {
                                java.util.Collections.swap(stream, i, j);
                            }
                        }
                    }
                    int killAfter = random.nextInt(stream.size() + 1);
                    for (int i = 0; i < stream.size(); i++) {
                        Sent command = stream.get(i);
                        send(sender, command);
                        if (i < killAfter) {
                            watcher.result(command.id(), WAIT);
                        }
                    }
                    // a pause of up to 1.5 s: some of the rest are then running their SSH command when the kill comes
                    Thread.sleep(random.nextInt(1_500));
                    stream.forEach(command -> (watcher.answered(command.id()) ? answeredBeforeKill : cutOff).add(command));
                    workers.get(workers.size() - 1).kill();
                    Faults.log("ssh round %d: %d commands, killed after %d answers waited for (%d answered by the kill)", round, stream.size(),
                            killAfter, stream.stream().filter(c -> watcher.answered(c.id())).count());
                    workers.add(start(watcher, dir, "sshrounds-" + (round + 1), env));
                    for (Sent command : stream) {
                        send(sender, command);   // the client's retry, same id
                    }
                    for (Sent command : stream) {
                        watcher.result(command.id(), WAIT);
                    }
                    all.addAll(stream);
                }
                // the retry of an id answered before the kill is answered again, from disk (a retry of a cut-off id
                // that arrives while its redelivered copy runs is answered by that one result: docs/mqtt-api.md)
                for (Sent command : answeredBeforeKill) {
                    assertTrue(Faults.await(() -> watcher.results(command.id()).size() >= 2, WAIT), command.id() + ": "
                            + watcher.results(command.id()));
                }
                Thread.sleep(1_000);
            } finally {
                for (JarWorker worker : workers) {
                    worker.close();
                }
            }

            for (Sent command : all) {
                List<JsonNode> answers = watcher.results(command.id());
                String expected = command.action().equals("shutdown") ? "SHUTDOWN_SCHEDULED" : "SHUTDOWN_CANCELLED";
                assertEquals(expected, answers.get(0).path("code").asText(), answers.get(0).toString());
                for (JsonNode again : answers.subList(1, answers.size())) {
                    // a second run of a cut-off id may be answered anew; what is answered as a repeat is the first answer
                    if (again.path("duplicate").asBoolean()) {
                        assertEquals(answers.get(0).path("timestamp").asText(), again.path("timestamp").asText(), again.toString());
                    }
                }
            }
            Map<String, Integer> runs = new LinkedHashMap<>();
            for (TestSshServer.Executed executed : ssh.executed()) {
                runs.merge(executed.user() + " " + executed.command(), 1, Integer::sum);
            }
            for (Sent command : answeredBeforeKill) {
                assertEquals(1, runsOf(runs, command), command.id() + " (" + command.remote() + " on " + command.host()
                        + ") was answered before the kill: it ran exactly once");
                for (JsonNode again : watcher.results(command.id()).subList(1, watcher.results(command.id()).size())) {
                    assertTrue(again.path("duplicate").asBoolean(), command.id() + " answered before the kill, answered anew: " + again);
                }
            }
            List<String> ranTwice = new ArrayList<>();
            for (Sent command : cutOff) {
                int n = runsOf(runs, command);
                assertTrue(n >= 1 && n <= 2, command.id() + " cut off by the kill: ran once, or once more after the redelivery; ran " + n);
                if (n == 2) {
                    ranTwice.add(command.id());
                }
            }
            // per host: the SSH commands run are the host's distinct ids, plus the reruns of cut-off ones, nothing else
            Map<String, Integer> perHost = new LinkedHashMap<>();
            ssh.executed().forEach(e -> perHost.merge(e.user(), 1, Integer::sum));
            for (int i = 0; i < ROUNDS * HOSTS_PER_ROUND; i++) {
                String host = "s" + i;
                long ids = all.stream().filter(c -> c.host().equals(host)).count();
                long reruns = all.stream().filter(c -> c.host().equals(host) && ranTwice.contains(c.id())).count();
                assertEquals(ids + reruns, (long) perHost.getOrDefault(host, 0), host + ": " + ssh.executed().stream()
                        .filter(e -> e.user().equals(host)).toList());
            }
            Faults.log("ssh rounds: %d rounds, %d ids (%d shutdowns, %d cancels), %d answered before a kill (each ran once),"
                    + " %d cut off by a kill, of which ran a second time after the redelivery: %s; %d SSH commands in all",
                    ROUNDS, all.size(), all.stream().filter(c -> c.action().equals("shutdown")).count(),
                    all.stream().filter(c -> c.action().equals("cancel")).count(), answeredBeforeKill.size(), cutOff.size(), ranTwice,
                    ssh.executed().size());
            assertFalse(answeredBeforeKill.isEmpty(), "the seed gives answered ids to check");
            assertFalse(cutOff.isEmpty(), "the seed gives cut-off ids to check");
        }
    }

    private static int runsOf(Map<String, Integer> runs, Sent command) {
        return runs.getOrDefault(command.host() + " " + command.remote(), 0);
    }

    private static void send(Sender sender, Sent command) {
        for (int attempt = 1; attempt <= 3; attempt++) {
            if (sender.publish("cubeguardian/" + command.host() + "/cmd/" + command.action(), command.payload(), null, 5_000)) {
                return;
            }
            Faults.log("publish %s not acknowledged (attempt %d): %s", command.id(), attempt, sender.lastFailure());
        }
        throw new AssertionError("broker did not ack " + command.id() + ": " + sender.lastFailure(), sender.lastFailure());
    }

    private static JarWorker start(Watcher watcher, Path dir, String name, Map<String, String> env) throws Exception {
        int before = online(watcher);
        JarWorker worker = new JarWorker(dir, name, env);
        assertTrue(Faults.await(() -> online(watcher) > before || !worker.alive(), START), "worker " + name + " did not say online");
        assertTrue(worker.alive(), worker.output());
        return worker;
    }

    private static int online(Watcher watcher) {
        return watcher.all(m -> m.topic().equals("cubeguardian/bridge/state") && m.text().equals("online")).size();
    }
}
