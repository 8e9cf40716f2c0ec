package dev.cubeguardian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schedules end to end, on a real Mosquitto with the worker in this JVM and the real clock: an
 * every-minute check is published on the broker like any client's command (the sched- id,
 * requested_by cubeguardian:schedule) and answered CHECKED; bridge/info says when it comes next
 * and says it again once it has moved on; a worker restarted within the minute does not fire
 * that minute again, so a user sees one command, one result, one execution.
 */
class ScheduleIT {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyyMMddHHmm");
    /** Up to a whole minute to the next time, plus a loaded machine. */
    private static final Duration MINUTE_AND_MORE = Duration.ofSeconds(90);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static String id(OffsetDateTime at) {
        return "sched-clock-check-" + MINUTE.format(at.atZoneSameInstant(PARIS));
    }

    /** The time of the check entry in a bridge/info, or null when this info has none. */
    private static OffsetDateTime nextCheck(MqttProbeClient.Received info) {
        JsonNode entry = info.json().at("/hosts/0/next_schedule/0");
        return "check".equals(entry.path("action").asText()) && entry.hasNonNull("at") ? OffsetDateTime.parse(entry.get("at").asText())
                : null;
    }

    private static MqttProbeClient.Received infoWithCheckAt(MqttProbeClient client, OffsetDateTime at, Duration limit)
            throws InterruptedException {
        return client.await(m -> m.topic().equals("cubeguardian/bridge/info") && at.equals(nextCheck(m)), limit);
    }

    @Test
    void anEveryMinuteCheckFiresOncePerMinuteAcrossARestartAndBridgeInfoFollows() throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker().start()) {
            Path hosts = dir.resolve("hosts.yaml");
            Files.writeString(hosts, """
                    time-zone: Europe/Paris
                    hosts:
                      clock:
                        mac: "AA:BB:CC:DD:EE:31"
                        address: 127.0.0.1
                        wol: {broadcast: 127.0.0.1, port: 9}
                        probe: {method: tcp, port: %d, timeout: 300ms}
                        schedule:
                          - cron: "* * * * *"
                            action: check
                          - cron: "0 18 * * FRI"
                            action: wake
                    """.formatted(MosquittoBroker.freePort()));
            Map<String, String> settings = Map.of("cubeguardian.mqtt.url", broker.url(),
                    "cubeguardian.mqtt.client-id", "schedule-it", "cubeguardian.hosts-file", hosts.toString());
            try (MqttProbeClient client = new MqttProbeClient(broker.url(), "cubeguardian/#")) {
                OffsetDateTime first;
                try (WorkerUnderTest worker = new WorkerUnderTest(settings).start()) {
                    // bridge/info says when each entry comes next, with the zone's offset
                    MqttProbeClient.Received info = client.await(m -> m.topic().equals("cubeguardian/bridge/info") && nextCheck(m) != null,
                            WAIT);
                    first = nextCheck(info);
                    assertEquals(0, first.getSecond());
                    assertEquals(PARIS.getRules().getOffset(first.toInstant()), first.getOffset(), "in the schedule's zone");
                    assertTrue(first.toInstant().isAfter(Instant.now().minusSeconds(5)), first + " is not in the past");
                    assertTrue(first.toInstant().isBefore(Instant.now().plusSeconds(61)), first + " is within the minute");
                    JsonNode wake = info.json().at("/hosts/0/next_schedule/1");
                    assertEquals("wake", wake.path("action").asText());
                    OffsetDateTime friday = OffsetDateTime.parse(wake.path("at").asText());
                    assertEquals(java.time.DayOfWeek.FRIDAY, friday.atZoneSameInstant(PARIS).getDayOfWeek());
                    assertEquals(18, friday.atZoneSameInstant(PARIS).getHour());

                    // the command goes through the broker, like any client's
                    JsonNode command = client.await(m -> m.topic().equals("cubeguardian/clock/cmd/check")
                            && id(first).equals(m.json().path("id").asText()), MINUTE_AND_MORE).json();
                    assertEquals("cubeguardian:schedule", command.path("requested_by").asText());
                    assertEquals(List.of("id", "requested_by"), fieldNames(command));
                    JsonNode result = client.result("cubeguardian/clock/result/check", id(first), WAIT);
                    assertEquals("CHECKED", result.path("code").asText());
                    assertTrue(result.path("success").asBoolean());
                    assertFalse(result.path("duplicate").asBoolean(false));

                    // bridge/info again, with the next minute; the state says when the host wakes next
                    infoWithCheckAt(client, first.plusMinutes(1), WAIT);
                    JsonNode state = client.await(m -> m.topic().equals("cubeguardian/clock/state") && m.json().hasNonNull("next_wake"),
                            WAIT).json();
                    assertEquals(friday.toInstant(), Instant.parse(state.get("next_wake").asText()));
                    assertTrue(state.has("next_shutdown") && state.get("next_shutdown").isNull(), state.toString());
                }

                // restarted within the same minute: the new worker starts with the next minute
                try (WorkerUnderTest restarted = new WorkerUnderTest(settings).start()) {
                    Instant up = Instant.now();
                    assertTrue(up.isBefore(first.plusMinutes(1).toInstant()),
                            "the restart should be over within the minute of the first firing (" + up + ", " + first + ")");
                    OffsetDateTime second = first.plusMinutes(1);
                    client.await(m -> m.topic().equals("cubeguardian/clock/cmd/check") && id(second).equals(m.json().path("id").asText()),
                            MINUTE_AND_MORE);
                    assertEquals("CHECKED", client.result("cubeguardian/clock/result/check", id(second), WAIT).path("code").asText());

                    // one command and one result for the first minute: it ran once
                    assertEquals(1, client.all(m -> m.topic().equals("cubeguardian/clock/cmd/check") && m.text().contains(id(first))).size());
                    assertEquals(1, client.all(m -> m.topic().equals("cubeguardian/clock/result/check") && m.text().contains(id(first)))
                            .size());
                    assertEquals(1, client.all(m -> m.topic().equals("cubeguardian/clock/cmd/check") && m.text().contains(id(second)))
                            .size());

                    // the same id published again (by hand, or a second scheduler) is answered from the first result
                    client.publish("cubeguardian/clock/cmd/check", "{\"id\":\"" + id(second) + "\",\"requested_by\":\"cubeguardian:schedule\"}");
                    JsonNode repeated = client.await(m -> m.topic().equals("cubeguardian/clock/result/check")
                            && id(second).equals(m.json().path("id").asText()) && m.json().path("duplicate").asBoolean(false), WAIT).json();
                    assertEquals("CHECKED", repeated.path("code").asText());
                }
            }
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
