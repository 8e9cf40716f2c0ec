package dev.cubeguardian.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.client.Announcements.Availability;
import dev.cubeguardian.client.Announcements.Worker;
import dev.cubeguardian.discord.bus.HostInfo;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The status card's Workers field (v1.1): each worker's availability and role, only when there is more than "the worker". */
class WorkersFieldTest {

    private static final Worker V1 = new Worker(null, Availability.ONLINE, null, null, 1, "cubeguardian/bridge/state");
    private static final Worker ACTIVE = new Worker("mc-a", Availability.OFFLINE, "active", "mc_1", 2, "t");
    private static final Worker STANDBY = new Worker("mc-b", Availability.ONLINE, "standby", "mc_1", 2, "t");

    @Test
    void eachWorkerWithItsAvailabilityRoleAndGroup() {
        Card.Field field = WorkersField.of(Texts.of(Locale.ENGLISH), List.of(V1, ACTIVE, STANDBY));
        assertEquals(new Card.Field("Workers", "🟢 the worker without an id: online · 1 host\n"
                + "🔴 `mc-a`: offline, active, group `mc_1` · 2 hosts\n"
                + "🟢 `mc-b`: online, standby, group `mc_1` · 2 hosts", false), field);
        assertEquals("🔴 `mc-a` : hors ligne, actif, groupe `mc_1` · 2 machines",
                WorkersField.of(Texts.of(Locale.FRENCH), List.of(ACTIVE)).value());
    }

    @Test
    void aLoneV1WorkerHasNoField() {
        assertNull(WorkersField.of(Texts.of(Locale.ENGLISH), List.of(V1)));
        assertNull(WorkersField.of(Texts.of(Locale.ENGLISH), List.of()));
    }

    @Test
    void manyWorkersFitInOneField() {
        List<Worker> many = IntStream.range(0, 40).mapToObj(i -> new Worker("w".repeat(60) + i, Availability.UNKNOWN,
                "standby", "g".repeat(64), 1000, "t")).toList();
        Card.Field field = WorkersField.of(Texts.of(Locale.ENGLISH), many);
        assertTrue(field.value().length() <= 1024, field.value().length() + " characters");
        long shown = field.value().lines().filter(l -> l.startsWith("⚪")).count();
        assertTrue(shown >= 5, field.value());
        assertTrue(field.value().endsWith("\n… and " + (40 - shown) + " more"), field.value());
    }

    @Test
    void theStatusCardOfAHostWhoseWorkersAreAllOfflineSaysSo() {
        HostInfo vanilla = new HostInfo("vanilla", "Vanilla", List.of("wake"), null);
        Card card = StatusRenderer.render(Texts.of(Locale.ENGLISH), vanilla, null, false, List.of(ACTIVE, STANDBY), "42");
        assertEquals(List.of("No state received from this host yet.",
                "⚠ Every CubeGuardian worker that announces this host is offline: this state may be out of date."), card.lines());
        assertEquals(List.of("Workers"), card.fields().stream().map(Card.Field::name).toList());
        Card v1 = StatusRenderer.render(Texts.of(Locale.ENGLISH), vanilla, null, false, List.of(V1), "42");
        assertEquals("⚠ The CubeGuardian worker is offline: this state may be out of date.", v1.lastLine());
        assertEquals(List.of(), v1.fields());
    }
}
