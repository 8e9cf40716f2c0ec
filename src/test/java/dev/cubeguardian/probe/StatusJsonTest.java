package dev.cubeguardian.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatusJsonTest {

    @Test
    void readsVanillaShapedStatus() throws MalformedPacketException {
        String json = "{\"version\":{\"name\":\"1.21.4\",\"protocol\":769},"
                + "\"players\":{\"max\":20,\"online\":2,\"sample\":[{\"name\":\"alice\",\"id\":\"x\"},{\"name\":\"bob\",\"id\":\"y\"}]},"
                + "\"description\":{\"text\":\"\\u00a76Cube\",\"extra\":[\"Guardian\"]},\"favicon\":\"data:image/png;base64,AAAA\"}";
        ServiceStatus status = StatusJson.parse(json, 3L);
        // the icon is kept for the gateway (v1.1), not shown in the public JSON
        assertEquals(new ServiceStatus(true, "1.21.4", 2, 20, List.of("alice", "bob"), "CubeGuardian", 3L, "slp",
                "data:image/png;base64,AAAA"), status);
    }

    @Test
    void anIconThatIsNotAPngDataUrlOrIsHugeIsNotKept() throws MalformedPacketException {
        assertEquals(null, StatusJson.parse("{\"favicon\":\"http://example.invalid/x.png\"}", 1L).favicon());
        String huge = "data:image/png;base64," + "A".repeat(ServiceStatus.MAX_FAVICON_CHARS);
        assertEquals(null, StatusJson.parse("{\"favicon\":\"" + huge + "\"}", 1L).favicon());
    }

    @Test
    void missingFieldsBecomeNullOrEmpty() throws MalformedPacketException {
        ServiceStatus status = StatusJson.parse("{\"players\":{\"online\":\"two\"}}", null);
        assertTrue(status.reachable());
        assertNull(status.version());
        assertNull(status.playersOnline());
        assertNull(status.playersMax());
        assertEquals(List.of(), status.players());
        assertNull(status.motd());
        assertEquals("slp", status.protocol());
    }

    @Test
    void notJsonOrNotAnObjectIsMalformed() {
        assertThrows(MalformedPacketException.class, () -> StatusJson.parse("{\"version\":", 1L));
        assertThrows(MalformedPacketException.class, () -> StatusJson.parse("[1,2]", 1L));
        assertThrows(MalformedPacketException.class, () -> StatusJson.parse("", 1L));
    }

    @Test
    void unreachableFactoryIsAllNulls() {
        assertEquals(new ServiceStatus(false, null, null, null, List.of(), null, null, null), ServiceStatus.unreachable());
    }
}
