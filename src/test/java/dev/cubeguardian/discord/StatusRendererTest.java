package dev.cubeguardian.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cubeguardian.discord.bus.HostInfo;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** /server status: a host with a schedule (v1.1) shows its next scheduled wake and shutdown, in each reader's zone. */
class StatusRendererTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ALL = List.of("wake", "check", "shutdown", "cancel");
    /** 2026-12-04T18:00:00+01:00 and 2026-12-03T02:00:00+01:00 */
    private static final Instant FRIDAY_EVENING = Instant.parse("2026-12-04T17:00:00Z");
    private static final Instant NIGHT = Instant.parse("2026-12-03T01:00:00Z");

    private static JsonNode offState() throws Exception {
        return JSON.readTree("{\"state\":\"off\",\"since\":\"2026-12-02T06:00:00.000Z\",\"service\":null}");
    }

    @Test
    void theNextScheduledWakeAndShutdownAreDiscordTimestamps() throws Exception {
        HostInfo pve = new HostInfo("pve", "Proxmox", ALL, "minecraft", false, List.of(
                new HostInfo.Scheduled("wake", FRIDAY_EVENING), new HostInfo.Scheduled("shutdown", NIGHT),
                new HostInfo.Scheduled("check", Instant.parse("2026-12-02T12:15:00Z"))));
        Card card = StatusRenderer.render(Texts.of(Locale.ENGLISH), pve, offState(), true, "42");
        assertEquals(List.of(new Card.Field("Since", "<t:1796191200:R>", true), new Card.Field("Service", "none", true),
                new Card.Field("Next scheduled wake", "<t:1796403600:f> (<t:1796403600:R>)", true),
                new Card.Field("Next scheduled shutdown", "<t:1796259600:f> (<t:1796259600:R>)", true)), card.fields());
        assertEquals(FRIDAY_EVENING.getEpochSecond(), 1796403600L);

        Card french = StatusRenderer.render(Texts.of(Locale.FRENCH), pve, null, true, "42");
        assertEquals(List.of(new Card.Field("Prochain réveil programmé", "<t:1796403600:f> (<t:1796403600:R>)", true),
                new Card.Field("Prochain arrêt programmé", "<t:1796259600:f> (<t:1796259600:R>)", true)), french.fields(),
                "from bridge/info, so shown before any state arrived");
    }

    @Test
    void onlyTheActionsTheScheduleHasAndNothingWithoutASchedule() throws Exception {
        HostInfo wakeOnly = new HostInfo("pve", "Proxmox", ALL, null, false, List.of(new HostInfo.Scheduled("wake", FRIDAY_EVENING),
                new HostInfo.Scheduled("shutdown", null)));
        assertEquals(List.of("Since", "Service", "Next scheduled wake"),
                StatusRenderer.render(Texts.of(Locale.ENGLISH), wakeOnly, offState(), true, "42").fields().stream()
                        .map(Card.Field::name).toList());
        HostInfo none = new HostInfo("pve", "Proxmox", ALL, null);
        assertEquals(List.of("Since", "Service"), StatusRenderer.render(Texts.of(Locale.ENGLISH), none, offState(), true, "42")
                .fields().stream().map(Card.Field::name).toList());
    }
}
