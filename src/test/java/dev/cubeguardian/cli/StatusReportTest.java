package dev.cubeguardian.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static final JsonNode INFO = json("{\"version\":\"0.1.0\",\"api_version\":1,\"base_topic\":\"cubeguardian\","
            + "\"demo\":false,\"hosts\":["
            + "{\"id\":\"pve\",\"name\":\"Proxmox\",\"capabilities\":[\"wake\",\"check\",\"shutdown\",\"cancel\"],\"service\":\"minecraft\"},"
            + "{\"id\":\"nas\",\"name\":\"nas\",\"capabilities\":[\"wake\",\"check\"],\"service\":null},"
            + "{\"id\":\"attic-box\",\"name\":\"Attic\",\"capabilities\":[\"wake\",\"check\"],\"service\":\"minecraft\"}]}");

    private static final JsonNode PVE = json("{\"v\":1,\"host\":\"pve\",\"state\":\"online\","
            + "\"since\":\"2026-11-25T16:07:41.120Z\",\"updated\":\"2026-11-25T16:09:15.530Z\",\"host_reachable\":true,"
            + "\"host_latency_ms\":0.4,\"service\":{\"reachable\":true,\"version\":\"1.21.4\",\"players_online\":2,"
            + "\"players_max\":20,\"players\":[\"alice\",\"bob\"],\"motd\":\"CubeGuardian\",\"latency_ms\":3}}");

    private static final JsonNode NAS = json("{\"v\":1,\"host\":\"nas\",\"state\":\"off\","
            + "\"since\":\"2026-11-25T06:00:00.000Z\",\"updated\":\"2026-11-25T16:09:15.530Z\",\"host_reachable\":false,"
            + "\"host_latency_ms\":null,\"service\":null}");

    @Test
    void tableHasOneRowPerHostInInventoryOrderWithDashesForWhatIsUnknown() {
        assertEquals(List.of(
                "HOST       NAME     STATE    SINCE                PLAYERS  VERSION",
                "pve        Proxmox  online   2026-11-25 16:07:41  2/20     1.21.4",
                "nas        nas      off      2026-11-25 06:00:00  -        -",
                "attic-box  Attic    unknown  -                    -        -"),
                StatusReport.table(INFO, Map.of("pve", PVE, "nas", NAS), ZoneOffset.UTC, CliTexts.ENGLISH));
    }

    @Test
    void timesAreShownInTheLocalZone() {
        assertEquals("pve   Proxmox  online  2026-11-25 17:07:41  2/20     1.21.4",
                StatusReport.table(json("{\"hosts\":[" + INFO.at("/hosts/0") + "]}"), Map.of("pve", PVE),
                        ZoneId.of("Europe/Paris"), CliTexts.ENGLISH).get(1));
    }

    @Test
    void noHostsIsJustTheHeader() {
        assertEquals(List.of("HOST  NAME  STATE  SINCE  PLAYERS  VERSION"),
                StatusReport.table(json("{\"hosts\":[]}"), Map.of(), ZoneOffset.UTC, CliTexts.ENGLISH));
    }

    @Test
    void detailsOfAnOnlineGameHost() {
        assertEquals(List.of(
                "Host:       pve",
                "Name:       Proxmox",
                "State:      online since 2026-11-25 16:07:41",
                "Updated:    2026-11-25 16:09:15",
                "Reachable:  yes (0.4 ms)",
                "Service:    minecraft, reachable",
                "Version:    1.21.4",
                "Players:    2/20 (alice, bob)",
                "MOTD:       CubeGuardian",
                "Actions:    wake, check, shutdown, cancel"),
                StatusReport.details(INFO.at("/hosts/0"), PVE, ZoneOffset.UTC, CliTexts.ENGLISH));
    }

    @Test
    void detailsOfAHostWithoutGameAndOfOneWithoutState() {
        assertEquals(List.of(
                "Host:       nas",
                "Name:       nas",
                "State:      off since 2026-11-25 06:00:00",
                "Updated:    2026-11-25 16:09:15",
                "Reachable:  no",
                "Service:    none",
                "Actions:    wake, check"),
                StatusReport.details(INFO.at("/hosts/1"), NAS, ZoneOffset.UTC, CliTexts.ENGLISH));
        assertEquals(List.of(
                "Host:     attic-box",
                "Name:     Attic",
                "State:    unknown (no state published yet)",
                "Service:  minecraft",
                "Actions:  wake, check"),
                StatusReport.details(INFO.at("/hosts/2"), null, ZoneOffset.UTC, CliTexts.ENGLISH));
    }

    @Test
    void inFrenchTheHeadingsLabelsAndStatesAreFrenchAndTheColumnsStillLineUp() {
        assertEquals(List.of(
                "HÔTE       NOM      ÉTAT      DEPUIS               JOUEURS  VERSION",
                "pve        Proxmox  en ligne  2026-11-25 16:07:41  2/20     1.21.4",
                "nas        nas      éteint    2026-11-25 06:00:00  -        -",
                "attic-box  Attic    inconnu   -                    -        -"),
                StatusReport.table(INFO, Map.of("pve", PVE, "nas", NAS), ZoneOffset.UTC, CliTexts.FRENCH));
        assertEquals(List.of(
                "Hôte :        pve",
                "Nom :         Proxmox",
                "État :        en ligne depuis 2026-11-25 16:07:41",
                "Mis à jour :  2026-11-25 16:09:15",
                "Joignable :   oui (0.4 ms)",
                "Service :     minecraft, joignable",
                "Version :     1.21.4",
                "Joueurs :     2/20 (alice, bob)",
                "MOTD :        CubeGuardian",
                "Actions :     wake, check, shutdown, cancel"),
                StatusReport.details(INFO.at("/hosts/0"), PVE, ZoneOffset.UTC, CliTexts.FRENCH));
        assertEquals(List.of(
                "Hôte :     attic-box",
                "Nom :      Attic",
                "État :     inconnu (aucun état publié pour l'instant)",
                "Service :  minecraft",
                "Actions :  wake, check"),
                StatusReport.details(INFO.at("/hosts/2"), null, ZoneOffset.UTC, CliTexts.FRENCH));
    }

    @Test
    void aStateNewerThanTheClientIsShownAsTheApiNamesIt() {
        JsonNode hibernating = json("{\"v\":1,\"host\":\"nas\",\"state\":\"hibernating\",\"since\":\"2026-11-25T06:00:00.000Z\"}");
        assertEquals("nas        nas      hibernating  2026-11-25 06:00:00  -        -",
                StatusReport.table(INFO, Map.of("nas", hibernating), ZoneOffset.UTC, CliTexts.FRENCH).get(2));
    }

    /** A worker with schedules (v1.1): bridge/info's next_schedule, one entry per schedule entry, in the schedule's zone. */
    private static final JsonNode SCHEDULED_INFO = json("{\"hosts\":["
            + "{\"id\":\"pve\",\"name\":\"Proxmox\",\"capabilities\":[\"wake\",\"check\",\"shutdown\",\"cancel\"],\"service\":\"minecraft\","
            + "\"next_schedule\":[{\"action\":\"wake\",\"at\":\"2026-11-27T18:00:00+01:00\"},"
            + "{\"action\":\"shutdown\",\"at\":\"2026-11-26T02:00:00+01:00\"},{\"action\":\"shutdown\",\"at\":\"2026-11-25T23:30:00+01:00\"},"
            + "{\"action\":\"check\",\"at\":\"2026-11-25T17:15:00+01:00\"}]},"
            + "{\"id\":\"nas\",\"name\":\"nas\",\"capabilities\":[\"wake\",\"check\"],\"service\":null},"
            + "{\"id\":\"attic-box\",\"name\":\"Attic\",\"capabilities\":[\"wake\",\"check\"],\"service\":\"minecraft\","
            + "\"next_schedule\":[{\"action\":\"check\",\"at\":\"2026-11-25T17:15:00+01:00\"},{\"action\":\"wake\",\"at\":null}]}]}");

    @Test
    void withSchedulesTheTableShowsEachHostsSoonestScheduledWakeOrShutdownInTheLocalZone() {
        assertEquals(List.of(
                "HOST       NAME     STATE    SINCE                PLAYERS  VERSION  SCHEDULED",
                "pve        Proxmox  online   2026-11-25 16:07:41  2/20     1.21.4   shutdown 2026-11-25 22:30",
                "nas        nas      off      2026-11-25 06:00:00  -        -        -",
                "attic-box  Attic    unknown  -                    -        -        -"),
                StatusReport.table(SCHEDULED_INFO, Map.of("pve", PVE, "nas", NAS), ZoneOffset.UTC, CliTexts.ENGLISH));
        assertEquals("pve   Proxmox  en ligne  2026-11-25 17:07:41  2/20     1.21.4   arrêt 2026-11-25 23:30",
                StatusReport.table(json("{\"hosts\":[" + SCHEDULED_INFO.at("/hosts/0") + "]}"), Map.of("pve", PVE),
                        ZoneId.of("Europe/Paris"), CliTexts.FRENCH).get(1));
        assertEquals("HÔTE  NOM      ÉTAT      DEPUIS               JOUEURS  VERSION  PROGRAMMÉ",
                StatusReport.table(json("{\"hosts\":[" + SCHEDULED_INFO.at("/hosts/0") + "]}"), Map.of("pve", PVE),
                        ZoneId.of("Europe/Paris"), CliTexts.FRENCH).get(0));
    }

    @Test
    void detailsShowTheNextScheduledWakeAndShutdownOfAHostWithASchedule() {
        assertEquals(List.of(
                "Host:           pve",
                "Name:           Proxmox",
                "State:          online since 2026-11-25 16:07:41",
                "Updated:        2026-11-25 16:09:15",
                "Reachable:      yes (0.4 ms)",
                "Service:        minecraft, reachable",
                "Version:        1.21.4",
                "Players:        2/20 (alice, bob)",
                "MOTD:           CubeGuardian",
                "Next wake:      2026-11-27 17:00",
                "Next shutdown:  2026-11-25 22:30",
                "Actions:        wake, check, shutdown, cancel"),
                StatusReport.details(SCHEDULED_INFO.at("/hosts/0"), PVE, ZoneOffset.UTC, CliTexts.ENGLISH));
        assertEquals(List.of(
                "Hôte :             attic-box",
                "Nom :              Attic",
                "État :             inconnu (aucun état publié pour l'instant)",
                "Service :          minecraft",
                "Prochain réveil :  -",
                "Prochain arrêt :   -",
                "Actions :          wake, check"),
                StatusReport.details(SCHEDULED_INFO.at("/hosts/2"), null, ZoneOffset.UTC, CliTexts.FRENCH));
    }

    @Test
    void detailsShowTheIdleShutdownSwitchOnOffOrOffUntilInTheLocalZone() {
        String nas = "{\"v\":1,\"host\":\"nas\",\"state\":\"off\",\"since\":\"2026-11-25T06:00:00.000Z\","
                + "\"updated\":\"2026-11-25T16:09:15.530Z\",\"host_reachable\":false,\"service\":null,\"idle\":";
        ZoneId paris = ZoneId.of("Europe/Paris");
        assertEquals("Idle shutdown:  off until 2026-11-25 21:30", idleRow(StatusReport.details(INFO.at("/hosts/1"),
                json(nas + "{\"enabled\":false,\"until\":\"2026-11-25T20:30:00.000Z\"}}"), paris, CliTexts.ENGLISH)));
        assertEquals("Idle shutdown:  off", idleRow(StatusReport.details(INFO.at("/hosts/1"),
                json(nas + "{\"enabled\":false,\"until\":null}}"), paris, CliTexts.ENGLISH)));
        assertEquals("Idle shutdown:  on", idleRow(StatusReport.details(INFO.at("/hosts/1"),
                json(nas + "{\"enabled\":true,\"until\":null}}"), paris, CliTexts.ENGLISH)));
        assertEquals("Idle shutdown:  off", idleRow(StatusReport.details(INFO.at("/hosts/1"),
                json(nas + "{\"enabled\":false,\"until\":\"tonight\"}}"), paris, CliTexts.ENGLISH)), "a time it cannot read");
        assertEquals(List.of(), StatusReport.details(INFO.at("/hosts/1"), NAS, paris, CliTexts.ENGLISH).stream()
                .filter(l -> l.startsWith("Idle")).toList(), "no idle section: no row");
    }

    private static String idleRow(List<String> details) {
        return details.stream().filter(l -> l.startsWith("Idle shutdown:")).findFirst().orElse("(no idle row) " + details);
    }

    @Test
    void aScheduledTimeThisClientCannotReadIsNotShown() {
        JsonNode odd = json("{\"id\":\"pve\",\"next_schedule\":[{\"action\":\"wake\",\"at\":\"next friday\"},"
                + "{\"action\":\"wake\",\"at\":\"2026-11-27T18:00:00Z\"},{\"action\":\"shutdown\",\"at\":5}]}");
        assertEquals(java.time.OffsetDateTime.parse("2026-11-27T18:00:00Z"), StatusReport.nextScheduled(odd, "wake"));
        assertEquals(null, StatusReport.nextScheduled(odd, "shutdown"));
    }

    @Test
    void columnsAreTwoSpacesApartWithoutTrailingBlanks() {
        assertEquals(List.of("a    bb", "ccc  d"), StatusReport.columns(List.of(List.of("a", "bb"), List.of("ccc", "d"))));
        assertEquals(List.of("a    x", "ccc"), StatusReport.columns(List.of(List.of("a", "x"), List.of("ccc", ""))));
    }
}
