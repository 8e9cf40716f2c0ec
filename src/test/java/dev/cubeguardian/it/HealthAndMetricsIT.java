package dev.cubeguardian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Liveness, readiness that follows the broker, and the worker's Prometheus metrics, over real HTTP. */
class HealthAndMetricsIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void readinessFollowsTheBrokerAndMetricsCountWhatHappened() throws Exception {
        int port = MosquittoBroker.freePort();
        int management = MosquittoBroker.freePort();
        MosquittoBroker broker = new MosquittoBroker(port).start();
        try (MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/#");
                WorkerUnderTest worker = new WorkerUnderTest(Map.of(
                        "cubeguardian.mqtt.url", broker.url(),
                        "cubeguardian.mqtt.client-id", "health-it",
                        "camel.management.enabled", "true",
                        "camel.management.port", Integer.toString(management),
                        "cubeguardian.monitor.fast-interval", "200ms")).start()) {
            String base = "http://127.0.0.1:" + management + "/observe";
            awaitStatus(base + "/health/ready", 200);
            assertTrue(get(base + "/health").body().contains("\"status\":\"UP\""));

            client.publish("cubeguardian/demo/cmd/wake", "{\"id\":\"m-1\"}");
            client.result("cubeguardian/demo/result/wake", "m-1", WAIT);
            client.publish("cubeguardian/demo/cmd/cancel", "{\"id\":\"m-2\"}");
            client.result("cubeguardian/demo/result/cancel", "m-2", WAIT);
            client.await(m -> m.topic().equals("cubeguardian/demo/state") && m.text().contains("\"state\":\"online\""), WAIT);
            String metrics = get(base + "/metrics").body();
            assertTrue(metrics.contains("cubeguardian_commands_total{action=\"wake\",code=\"WOL_SENT\"} 1.0"), metrics);
            assertTrue(metrics.contains("cubeguardian_magic_packets_total{host=\"demo\"} 3.0"), metrics);
            assertTrue(metrics.contains("cubeguardian_command_latency_seconds_count{action=\"wake\"} 1"), metrics);
            assertTrue(metrics.contains("cubeguardian_ssh_calls_seconds_count{host=\"demo\",outcome=\"ok\"} 1"), metrics);
            assertTrue(metrics.contains("cubeguardian_probes_total{host=\"demo\",result=\"up\",target=\"host\"}"), metrics);
            assertTrue(metrics.contains("cubeguardian_host_state{host=\"demo\",state=\"online\"} 1.0"), metrics);
            assertTrue(metrics.contains("cubeguardian_host_state{host=\"demo\",state=\"off\"} 0.0"), metrics);
            // Camel's per-route and per-exchange timers stay off: they cost every command allocations (docs/performance.md)
            assertFalse(metrics.contains("routeId=\"cmd-run\""), metrics);
            assertFalse(metrics.contains("camel_exchange_event_notifier"), metrics);

            // When the broker goes away the worker is alive but not ready; when it is back, ready again
            broker.stop(true);
            awaitStatus(base + "/health/ready", 503);
            assertEquals(200, get(base + "/health/live").statusCode());
            assertTrue(get(base + "/health/ready").body().contains("the MQTT broker is not reachable"));
            broker.start();
            awaitStatus(base + "/health/ready", 200);
        } finally {
            broker.close();
        }
    }

    @Test
    void aLostHomeAssistantSubscriptionDoesNotMakeTheWorkerUnready() throws Exception {
        // readiness says "takes commands", as online does: Home Assistant's consumers take none, so an orchestrator
        // must not pull (or restart) a worker that lost only them; the health detail still says they are missing
        int management = MosquittoBroker.freePort();
        try (MosquittoBroker broker = new MosquittoBroker().start();
                MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/#");
                // the watchdog would rebuild the lost consumers while the test looks
                WorkerUnderTest worker = managed(broker, "health-ha-it", management, Map.of("cubeguardian.mqtt.watchdog-grace", "10m"))) {
            String base = "http://127.0.0.1:" + management + "/observe";
            awaitStatus(base + "/health/ready", 200);
            assertTrue(get(base + "/health?data=true").body().contains("\"homeassistant.subscribed\":true"),
                    get(base + "/health?data=true").body());

            // both Home Assistant connections lost (their routes keep running; Paho does not reconnect a closed client)
            for (String route : List.of("ha-status", "ha-cleanup")) {
                ((org.apache.camel.component.paho.mqtt5.PahoMqtt5Consumer) worker.context().getRoute(route).getConsumer())
                        .getClient().disconnectForcibly(0, 1000, false);
            }
            HttpResponse<String> ready = get(base + "/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            String full = get(base + "/health?data=true").body();
            assertTrue(full.contains("\"homeassistant.subscribed\":false"), full);
            assertTrue(full.contains("\"commands.subscribed\":true"), full);
            client.publish("cubeguardian/demo/cmd/check", "{\"id\":\"ha-lost-1\"}");
            assertEquals("CHECKED", client.result("cubeguardian/demo/result/check", "ha-lost-1", WAIT).path("code").asText());

            // the command intake's connection lost: not ready, and the reason said
            ((org.apache.camel.component.paho.mqtt5.PahoMqtt5Consumer) worker.context().getRoute("cmd-intake").getConsumer())
                    .getClient().disconnectForcibly(0, 1000, false);
            awaitStatus(base + "/health/ready", 503);
            assertTrue(get(base + "/health/ready").body().contains("the command subscription is missing"));
        }
    }

    @Test
    void aFloodOfInventedActionsAddsNoMeterPerName() throws Exception {
        // the action level of a command topic is the client's to choose: each invented name used to become a counter and
        // a latency histogram of its own (73 lines of /observe/metrics each, kept for good), a memory leak on demand
        int management = MosquittoBroker.freePort();
        try (MosquittoBroker broker = new MosquittoBroker().start();
                MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/#");
                WorkerUnderTest worker = managed(broker, "metrics-flood-it", management, Map.of())) {
            String base = "http://127.0.0.1:" + management + "/observe";
            awaitStatus(base + "/health/ready", 200);
            int before = get(base + "/metrics").body().length();
            int invented = 300;
            for (int k = 0; k < invented; k++) {
                client.publish("cubeguardian/demo/cmd/inv" + k, "{\"id\":\"inv-" + k + "\"}");
            }
            assertEquals("UNKNOWN_ACTION", client.result("cubeguardian/demo/result/inv" + (invented - 1), "inv-" + (invented - 1), WAIT)
                    .path("code").asText());
            client.publish("cubeguardian/demo/cmd/check", "{\"id\":\"after-flood\"}");
            client.result("cubeguardian/demo/result/check", "after-flood", WAIT);

            String metrics = get(base + "/metrics").body();
            assertFalse(metrics.contains("action=\"inv"), "a meter per invented action");
            assertTrue(metrics.contains("cubeguardian_commands_total{action=\"other\",code=\"UNKNOWN_ACTION\"} " + invented + ".0"), metrics);
            assertTrue(metrics.contains("cubeguardian_commands_total{action=\"check\",code=\"CHECKED\"} 1.0"), metrics);
            // one action "other" more: two meters, about 80 lines, whatever the number of names
            assertTrue(metrics.length() < before + 20_000, "the scrape grew from " + before + " to " + metrics.length() + " bytes");
        }
    }

    @Test
    void theLogSaysTheAddressTheHealthServerIsBoundTo() throws Exception {
        // another loopback address than the default, so the line cannot be right by chance
        int management = MosquittoBroker.freePort();
        MosquittoBroker broker = new MosquittoBroker().start();
        try (LogLines log = new LogLines();
                WorkerUnderTest worker = new WorkerUnderTest(Map.of(
                        "cubeguardian.mqtt.url", broker.url(),
                        "cubeguardian.mqtt.client-id", "health-address-it",
                        "camel.management.enabled", "true",
                        "camel.management.host", "127.0.0.2",
                        "camel.management.port", Integer.toString(management))).start()) {
            String base = "http://127.0.0.2:" + management;
            assertEquals(200, get(base + "/observe/health/live").statusCode());

            assertTrue(log.all().contains("INFO ManagementAddressLog - Health and metrics server listening on 127.0.0.2 port "
                    + management + ": " + base + "/observe/health, " + base + "/observe/metrics"), log.all().toString());
            // Camel's own summary said http://0.0.0.0:PORT/observe/health
            assertEquals(List.of(), log.all().stream().filter(line -> line.contains("0.0.0.0")).toList());
        } finally {
            broker.close();
        }
    }

    /** A demo worker on this broker with its health and metrics server on {@code management}. */
    private static WorkerUnderTest managed(MosquittoBroker broker, String clientId, int management, Map<String, String> more)
            throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(more);
        settings.put("cubeguardian.mqtt.url", broker.url());
        settings.put("cubeguardian.mqtt.client-id", clientId);
        settings.put("camel.management.enabled", "true");
        settings.put("camel.management.port", Integer.toString(management));
        return new WorkerUnderTest(settings).start();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void awaitStatus(String url, int status) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int last = -1;
        String body = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = get(url);
            last = response.statusCode();
            body = response.body();
            if (last == status) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(url + " stayed " + last + ", expected " + status + ": " + body);
    }
}
