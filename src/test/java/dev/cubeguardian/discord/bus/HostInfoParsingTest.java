package dev.cubeguardian.discord.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hosts of bridge/info as the Discord front-end reads them, schedules (v1.1 next_schedule) included. */
class HostInfoParsingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void nextScheduleIsReadPerEntryAndTheSoonestOfAnActionIsFound() throws Exception {
        List<HostInfo> hosts = CommandBus.parseHosts(JSON.readTree("{\"hosts\":["
                + "{\"id\":\"pve\",\"name\":\"Proxmox\",\"capabilities\":[\"wake\",\"check\",\"shutdown\",\"cancel\"],\"service\":\"minecraft\","
                + "\"next_schedule\":[{\"action\":\"wake\",\"at\":\"2026-12-04T18:00:00+01:00\"},"
                + "{\"action\":\"shutdown\",\"at\":\"2026-12-03T02:00:00+01:00\"},{\"action\":\"shutdown\",\"at\":\"2026-12-02T23:00:00Z\"},"
                + "{\"action\":\"check\",\"at\":null},{\"action\":\"wake\",\"at\":\"soon\"},{\"at\":\"2026-12-02T23:00:00Z\"}]},"
                + "{\"id\":\"nas\",\"name\":\"nas\",\"capabilities\":[\"wake\",\"check\"],\"service\":null}]}"));

        HostInfo pve = hosts.get(0);
        assertEquals(List.of(new HostInfo.Scheduled("wake", Instant.parse("2026-12-04T17:00:00Z")),
                new HostInfo.Scheduled("shutdown", Instant.parse("2026-12-03T01:00:00Z")),
                new HostInfo.Scheduled("shutdown", Instant.parse("2026-12-02T23:00:00Z")),
                new HostInfo.Scheduled("check", null), new HostInfo.Scheduled("wake", null)), pve.nextSchedule());
        assertEquals(Instant.parse("2026-12-04T17:00:00Z"), pve.nextScheduled("wake"));
        assertEquals(Instant.parse("2026-12-02T23:00:00Z"), pve.nextScheduled("shutdown"));
        assertNull(pve.nextScheduled("check"));
        assertEquals(List.of(), hosts.get(1).nextSchedule());
        assertNull(hosts.get(1).nextScheduled("wake"));
    }
}
