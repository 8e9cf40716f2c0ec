package dev.cubeguardian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cubeguardian.state.HostLifecycle;
import dev.cubeguardian.state.HostState;
import dev.cubeguardian.state.HostTracker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a subscriber to {@code cubeguardian/#} sees of whole wakes and shutdowns of the demo
 * host, with a real Mosquitto in between (and restarted in the middle of one).
 */
class LifecycleIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private WorkerUnderTest demoWorker(MosquittoBroker broker) throws Exception {
        return demoWorker(broker, Map.of());
    }

    /**
     * A demo worker that probes the host only when a command asks for it, for the tests that
     * assert a wake's story from its first state. Without this, the story could miss
     * "state:waking" under load. The probe connects to the demo host's SSH port, which opens with
     * the first magic packet. The worker records the wake (state waking) only after the last packet
     * and the result, 200 ms or more later. A steady probe that lands in that window finds the
     * host up before any wake is known: the state goes off -> starting before the first event of
     * the wake, and "state:waking" never comes. Measured: 4 of 12 wakes at a 1 s steady interval,
     * so about one in six at 2 s, and more under load, when the window grows; none of 12 at 10 min.
     * With a 10 min steady interval, no probe comes between "off" and the wake: the first one is
     * the probe the wake itself asks for, after it is recorded.
     */
    private WorkerUnderTest wakeStoryWorker(MosquittoBroker broker, Map<String, String> more) throws Exception {
        Map<String, String> settings = new HashMap<>(more);
        settings.put("cubeguardian.monitor.steady-interval", "10m");
        return demoWorker(broker, settings);
    }

    private WorkerUnderTest demoWorker(MosquittoBroker broker, Map<String, String> overrides) throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("cubeguardian.mqtt.url", broker.url());
        settings.put("cubeguardian.mqtt.client-id", "life-" + UUID.randomUUID().toString().substring(0, 8));
        settings.put("cubeguardian.demo.boot-seconds", "2");
        settings.put("cubeguardian.demo.seconds-per-minute", "1");
        settings.put("cubeguardian.monitor.fast-interval", "200ms");
        settings.put("cubeguardian.monitor.steady-interval", "2s");
        settings.put("cubeguardian.monitor.down-confirmations", "2");
        settings.putAll(overrides);
        return keep(new WorkerUnderTest(settings).start());
    }

    /**
     * The lifecycle events of one command, in order, as "type:phase-or-code-or-target". QoS 1 is
     * "at least once": after a broker outage a message may come twice, byte for byte, and counts once.
     */
    private static List<String> story(MqttProbeClient client, String id) {
        List<String> story = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        boolean following = false;
        for (MqttProbeClient.Received m : client.all(m -> m.topic().equals("cubeguardian/demo/event"))) {
            if (!seen.add(m.text())) {
                continue;
            }
            JsonNode event = m.json();
            boolean mine = id.equals(event.path("id").asText(null));
            following |= mine;
            if (mine) {
                story.add(event.get("type").asText() + ":" + event.path("phase").asText(event.path("code").asText()));
            } else if (following && event.get("type").asText().equals("state")) {
                story.add("state:" + event.get("to").asText());
            }
        }
        return story;
    }

    private static JsonNode completed(MqttProbeClient client, String id) throws InterruptedException {
        return client.await(m -> m.topic().equals("cubeguardian/demo/event") && id.equals(m.json().path("id").asText(null))
                && m.json().get("type").asText().equals("completed"), WAIT).json();
    }

    private static JsonNode retainedState(MqttProbeClient client, String state) throws InterruptedException {
        return client.await(m -> m.topic().equals("cubeguardian/demo/state") && state.equals(m.json().path("state").asText()),
                WAIT).json();
    }

    @Test
    void subscribersSeeTheWholeStoryOfAWakeAndOfAShutdown() throws Exception {
        MosquittoBroker broker = keep(new MosquittoBroker().start());
        MqttProbeClient client = keep(new MqttProbeClient(broker.url(), "cubeguardian/#"));
        wakeStoryWorker(broker, Map.of());
        retainedState(client, "off");

        client.publish("cubeguardian/demo/cmd/wake", "{\"id\":\"life-wake\"}");
        JsonNode online = completed(client, "life-wake");

        assertEquals("ONLINE", online.get("code").asText());
        assertTrue(online.get("success").asBoolean());
        assertEquals(List.of("progress:packet_sent", "state:waking", "progress:host_up", "state:starting",
                "progress:service_up", "completed:ONLINE", "state:online"), waitForStory(client, "life-wake", 7));
        JsonNode state = retainedState(client, "online");
        assertEquals("1.21.4", state.at("/service/version").asText());
        assertEquals(0, state.at("/service/players_online").asInt());
        assertTrue(state.get("host_reachable").asBoolean());
        int resultAt = indexOf(client, "cubeguardian/demo/result/wake");
        int firstEventAt = indexOf(client, "cubeguardian/demo/event", "life-wake");
        assertTrue(resultAt < firstEventAt, "the result comes before the events it starts");

        client.publish("cubeguardian/demo/cmd/shutdown", "{\"id\":\"life-stop\"}");
        JsonNode offline = completed(client, "life-stop");

        assertEquals("OFFLINE", offline.get("code").asText());
        // the demo game has RCON: saved and stopped before the host's shutdown command
        assertEquals(List.of("progress:game_saved", "progress:game_stopped", "progress:command_sent", "state:stopping",
                "progress:host_down", "completed:OFFLINE", "state:off"), waitForStory(client, "life-stop", 7));
        retainedState(client, "off");
    }

    /**
     * The demo's reboot (v1.1): its game is saved and stopped over RCON, the host goes dark for
     * a few seconds and boots again; the reboot completes ONLINE only once it is all back.
     */
    @Test
    void subscribersSeeTheDemoHostRestartDownAndUpAgain() throws Exception {
        MosquittoBroker broker = keep(new MosquittoBroker().start());
        MqttProbeClient client = keep(new MqttProbeClient(broker.url(), "cubeguardian/#"));
        demoWorker(broker);
        retainedState(client, "off");
        client.publish("cubeguardian/demo/cmd/wake", "{\"id\":\"rs-wake\"}");
        completed(client, "rs-wake");

        client.publish("cubeguardian/demo/cmd/reboot", "{\"id\":\"rs-reboot\"}");
        JsonNode sent = client.result("cubeguardian/demo/result/reboot", "rs-reboot", WAIT);
        assertEquals("REBOOT_SENT", sent.get("code").asText(), sent.toString());
        assertEquals("reboot", sent.at("/details/command").asText());
        JsonNode online = completed(client, "rs-reboot");

        assertEquals("ONLINE", online.get("code").asText(), online.toString());
        // the state event follows the completed event it comes from
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> story = story(client, "rs-reboot");
        while (!story.get(story.size() - 1).equals("state:online") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            story = story(client, "rs-reboot");
        }
        assertEquals(List.of("progress:game_saved", "progress:game_stopped", "progress:command_sent", "progress:went_down",
                "progress:host_up", "progress:service_up", "completed:ONLINE"),
                story.stream().filter(step -> !step.startsWith("state:")).toList(), story.toString());
        assertTrue(story.indexOf("state:waking") > story.indexOf("progress:went_down"), story.toString());
        assertEquals("state:online", story.get(story.size() - 1), story.toString());
        assertTrue(client.all(m -> m.topic().equals("cubeguardian/demo/event") && "rs-reboot".equals(m.json().path("id").asText(null)))
                .stream().allMatch(m -> "reboot".equals(m.json().path("action").asText())), "the game stop is the reboot's, not a shutdown's");
        retainedState(client, "online");
    }

    @Test
    void aCancelEndsAPendingShutdownAndConflictingCommandsAreBusy() throws Exception {
        MosquittoBroker broker = keep(new MosquittoBroker().start());
        MqttProbeClient client = keep(new MqttProbeClient(broker.url(), "cubeguardian/#"));
        demoWorker(broker);
        retainedState(client, "off");

        // Given a wake under way, a shutdown is refused rather than fought
        client.publish("cubeguardian/demo/cmd/wake", "{\"id\":\"c-wake\"}");
        client.publish("cubeguardian/demo/cmd/shutdown", "{\"id\":\"c-early\"}");
        JsonNode busy = client.result("cubeguardian/demo/result/shutdown", "c-early", WAIT);
        assertEquals("BUSY", busy.get("code").asText());
        assertEquals("host_waking", busy.at("/details/reason").asText());
        completed(client, "c-wake");

        // When a scheduled shutdown is cancelled before its time (a demo "minute" is a second; 4 of
        // them: with 5, the demo's "5 minutes" warning is due at once and may beat the cancel)
        client.publish("cubeguardian/demo/cmd/shutdown", "{\"id\":\"c-later\",\"delay_minutes\":4}");
        client.result("cubeguardian/demo/result/shutdown", "c-later", WAIT);
        client.publish("cubeguardian/demo/cmd/cancel", "{\"id\":\"c-cancel\"}");
        JsonNode cancelled = completed(client, "c-later");

        // Then its wait ends as CANCELLED and the host stays online past the time it would have stopped
        assertEquals("CANCELLED", cancelled.get("code").asText());
        assertEquals("c-cancel", cancelled.get("cancelled_by").asText());
        Thread.sleep(6_000);
        assertEquals(0, client.all(m -> m.topic().equals("cubeguardian/demo/event")
                && "state".equals(m.json().path("type").asText()) && "stopping".equals(m.json().path("to").asText())).size());
        assertEquals(List.of("progress:scheduled", "completed:CANCELLED"), story(client, "c-later"));
    }

    /**
     * The broker goes away at a quiet moment of the wake: after the client has every event up to
     * "state:starting" (the demo host answers with its first packet), before the game answers
     * (3 s after it). Stopped a moment earlier, events the broker had already acknowledged to the
     * worker could still be on their way to this client. Under load, progress:host_up and
     * state:starting were once lost that way, between the broker and this client: the worker's
     * outbox had rightly resent only the messages not acknowledged. From the quiet moment on,
     * everything that happens is the worker's to keep until the broker is back.
     */
    @Test
    void aBrokerRestartInTheMiddleOfAWakeLosesNothing() throws Exception {
        MosquittoBroker broker = keep(new MosquittoBroker().start());
        MqttProbeClient client = keep(new MqttProbeClient(broker.url(), "life-watcher", true, "cubeguardian/#"));
        WorkerUnderTest worker = wakeStoryWorker(broker, Map.of("cubeguardian.demo.boot-seconds", "3"));
        retainedState(client, "off");

        client.publish("cubeguardian/demo/cmd/wake", "{\"id\":\"r-wake\"}");
        client.result("cubeguardian/demo/result/wake", "r-wake", WAIT);
        assertEquals(List.of("progress:packet_sent", "state:waking", "progress:host_up", "state:starting"),
                waitForStory(client, "r-wake", 4));
        broker.stop(false);
        assertEquals(HostState.STARTING, tracker(worker).state(), "the game must answer while the broker is away");
        // what happens while the broker is away (the game starts, the wake completes) must not be lost;
        // the broker comes back once the worker has seen it all, not after a fixed time
        awaitTrackerState(worker, HostState.ONLINE);
        broker.start();

        // the worker and this client both find the broker again by themselves: Paho's backoff, which
        // all its clients in one JVM share, takes 9 to 17 s here
        JsonNode online = client.await(m -> m.topic().equals("cubeguardian/demo/event")
                && "r-wake".equals(m.json().path("id").asText(null))
                && m.json().get("type").asText().equals("completed"), Duration.ofSeconds(45)).json();
        assertEquals("ONLINE", online.get("code").asText());
        assertEquals(List.of("progress:packet_sent", "state:waking", "progress:host_up", "state:starting",
                "progress:service_up", "completed:ONLINE", "state:online"), waitForStory(client, "r-wake", 7));
        // and the worker says again that it is there
        client.await(m -> m.topic().equals("cubeguardian/bridge/state") && m.text().equals("online")
                && client.all(x -> x.topic().equals("cubeguardian/bridge/state")).indexOf(m) > 0, WAIT);
    }

    private static HostTracker tracker(WorkerUnderTest worker) {
        return worker.context().getRegistry().lookupByNameAndType("hostLifecycle", HostLifecycle.class).tracker("demo");
    }

    private static void awaitTrackerState(WorkerUnderTest worker, HostState state) throws InterruptedException {
        HostTracker demo = tracker(worker);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (demo.state() != state) {
            assertTrue(System.nanoTime() < deadline, "the worker never saw the demo host " + state + ": " + demo.state());
            Thread.sleep(20);
        }
    }

    private static List<String> waitForStory(MqttProbeClient client, String id, int length) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> story = story(client, id);
        while (story.size() < length && System.nanoTime() < deadline) {
            Thread.sleep(50);
            story = story(client, id);
        }
        return story;
    }

    private static int indexOf(MqttProbeClient client, String topic) {
        return indexOf(client, topic, null);
    }

    private static int indexOf(MqttProbeClient client, String topic, String id) {
        List<MqttProbeClient.Received> all = client.all(m -> true);
        for (int i = 0; i < all.size(); i++) {
            MqttProbeClient.Received m = all.get(i);
            if (m.topic().equals(topic) && (id == null || id.equals(m.json().path("id").asText(null)))) {
                return i;
            }
        }
        return -1;
    }
}
