package dev.cubeguardian.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docker/mosquitto/mosquitto.conf and acl against the compose file and the setup script. */
class BrokerConfigTest {

    /** mosquitto.conf options (last one wins, as in Mosquitto for these single-valued options). */
    static Map<String, String> options() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : ShipFiles.read("docker/mosquitto/mosquitto.conf").split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] kv = t.split("\\s+", 2);
            out.merge(kv[0], kv.length > 1 ? kv[1] : "", (a, b) -> kv[0].equals("log_type") ? a + "," + b : b);
        }
        return out;
    }

    @Test
    void authenticatedWithoutNagleDelays() {
        Map<String, String> o = options();
        assertEquals("false", o.get("allow_anonymous"));
        assertEquals("true", o.get("set_tcp_nodelay"), "Nagle adds 40-90 ms to each command round trip");
        assertEquals("1883", o.get("listener"), "one listener, on the port docker-compose.yml publishes");
        assertTrue(!o.containsKey("per_listener_settings") || o.get("per_listener_settings").equals("false"));
    }

    @Test
    void filesItNamesAreTheOnesComposeMounts() {
        Map<String, String> o = options();
        Map<String, Object> mosquitto = ShipFiles.service("mosquitto");
        assertTrue(ShipFiles.secrets(mosquitto).stream().anyMatch(s -> s.target().equals(o.get("password_file"))),
                "password_file " + o.get("password_file") + " is a secret of the mosquitto service");
        assertTrue(ShipFiles.mounts(mosquitto).stream().anyMatch(m -> m.target().equals(o.get("acl_file")) && m.readOnly()
                && m.source().equals("./docker/mosquitto/acl")), "acl_file mounted read-only from docker/mosquitto/acl");
        assertTrue(ShipFiles.mounts(mosquitto).stream().anyMatch(m -> m.target().equals("/mosquitto/config/mosquitto.conf")
                && m.readOnly() && m.source().equals("./docker/mosquitto/mosquitto.conf")));
        assertEquals("true", o.get("persistence"));
        String data = o.get("persistence_location");
        assertTrue(ShipFiles.mounts(mosquitto).stream().anyMatch(m -> m.type().equals("volume") && m.covers(data.replaceAll("/$", ""))),
                "persistence_location " + data + " is on the named volume");
    }

    @Test
    void usersOfTheAclAreTheUsersTheScriptCreates() {
        Set<String> acl = ComposeFileTest.aclUsers();
        assertEquals(Set.of("cubeguardian", "discord", "homeassistant", "nodered"), acl);
        Matcher users = Pattern.compile("(?m)^users=\\(([^)]*)\\)").matcher(ShipFiles.read("docker/create-broker-users.sh"));
        assertTrue(users.find());
        assertEquals(acl, Set.of(users.group(1).trim().split("\\s+")));
    }

    @Test
    void aclGrantsOnlyWhatEachUserNeeds() {
        Map<String, List<String>> rules = new LinkedHashMap<>();
        String user = null;
        for (String line : ShipFiles.read("docker/mosquitto/acl").split("\n")) {
            String t = line.strip();
            if (t.startsWith("user ")) {
                user = t.substring(5).strip();
                rules.put(user, new java.util.ArrayList<>());
            } else if (t.startsWith("topic ") && user != null) {
                rules.get(user).add(t.substring(6).strip());
            }
        }
        assertEquals(List.of("read cubeguardian/+/cmd/#", "write cubeguardian/#", "write homeassistant/#",
                "read homeassistant/status", "write replies/#"), rules.get("cubeguardian"));
        List<String> client = List.of("write cubeguardian/+/cmd/#", "read cubeguardian/#");
        assertEquals(client, rules.get("discord"));
        assertEquals(client, rules.get("nodered"));
        assertEquals(List.of("write cubeguardian/+/cmd/#", "read cubeguardian/#", "readwrite homeassistant/#"),
                rules.get("homeassistant"));
        // a topic line before the first user line would apply to anonymous clients
        String acl = ShipFiles.read("docker/mosquitto/acl");
        int firstUser = acl.indexOf("\nuser ");
        assertTrue(firstUser > 0 && !Pattern.compile("(?m)^topic ").matcher(acl.substring(0, firstUser)).find());
    }
}
