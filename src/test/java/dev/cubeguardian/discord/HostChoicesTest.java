package dev.cubeguardian.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cubeguardian.discord.bus.HostInfo;
import dev.cubeguardian.discord.command.ServerCommand;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HostChoicesTest {

    private static final HostInfo PVE = new HostInfo("pve", "Proxmox", List.of("wake"), "minecraft");
    private static final HostInfo NAS = new HostInfo("nas", "nas", List.of("wake"), null);
    private static final HostInfo ATTIC = new HostInfo("attic-pve", "Attic", List.of("wake"), null);

    @Test
    void choicesMatchIdOrNameIdsStartingWithTheTextFirst() {
        assertEquals(List.of(new HostChoices.Choice("Proxmox (pve)", "pve"), new HostChoices.Choice("Attic (attic-pve)", "attic-pve")),
                HostChoices.matching(List.of(ATTIC, PVE, NAS), "pv"));
        assertEquals(List.of(new HostChoices.Choice("nas", "nas")), HostChoices.matching(List.of(PVE, NAS), "NA"));
        assertEquals(3, HostChoices.matching(List.of(PVE, NAS, ATTIC), "").size());
        List<HostInfo> many = IntStream.range(0, 40).mapToObj(i -> new HostInfo("h" + i, "h" + i, List.of(), null)).toList();
        assertEquals(25, HostChoices.matching(many, null).size());
    }

    @Test
    void theOnlyHostIsTheDefaultElseTheMainHostElseAskWhich() {
        assertEquals(PVE, ServerCommand.resolveHost(List.of(PVE), null, null).host());
        assertEquals(NAS, ServerCommand.resolveHost(List.of(PVE, NAS), null, "nas").host());
        ServerCommand.Resolution which = ServerCommand.resolveHost(List.of(PVE, NAS), null, null);
        assertNull(which.host());
        assertEquals("deny.choose_host", which.problem());
        assertEquals("pve, nas", which.argument());
        assertEquals(NAS, ServerCommand.resolveHost(List.of(PVE, NAS), "nas", "pve").host());
        assertEquals("deny.unknown_host", ServerCommand.resolveHost(List.of(PVE), "mars", null).problem());
        assertEquals("deny.no_hosts", ServerCommand.resolveHost(List.of(), null, null).problem());
    }
}
