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

    /** The options of each listener block, by port, in file order. */
    static Map<String, Map<String, String>> listeners() {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (String line : ShipFiles.read("docker/mosquitto/mosquitto.conf").split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] kv = t.split("\\s+", 2);
            if (kv[0].equals("listener")) {
                current = new LinkedHashMap<>();
                out.put(kv[1], current);
            } else if (current != null) {
                current.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return out;
    }

    @Test
    void authenticatedWithoutNagleDelays() {
        Map<String, String> o = options();
        assertEquals("true", o.get("set_tcp_nodelay"), "Nagle adds 40-90 ms to each command round trip");
        assertEquals("true", o.get("per_listener_settings"), "each listener has its own users");
        for (Map<String, String> listener : listeners().values()) {
            assertEquals("false", listener.get("allow_anonymous"));
            assertEquals("/mosquitto/config/acl", listener.get("acl_file"));
        }
    }

    @Test
    void clientIdsAreBoundToUsersSoNobodyTakesOverTheWorkersSession() {
        Map<String, Map<String, String>> listeners = listeners();
        assertEquals(List.of("1884", "1883"), List.copyOf(listeners.keySet()), "the worker's listener, then the clients'");
        assertEquals("/run/secrets/mosquitto_passwd_worker", listeners.get("1884").get("password_file"));
        assertEquals(null, listeners.get("1884").get("use_username_as_clientid"), "the worker has several connections");
        assertEquals("/run/secrets/mosquitto_passwd", listeners.get("1883").get("password_file"));
        assertEquals("true", listeners.get("1883").get("use_username_as_clientid"));
        // the script puts the worker in the worker's file only, everybody else in the clients'
        String script = ShipFiles.read("docker/create-broker-users.sh");
        assertTrue(script.contains("worker_users=(cubeguardian)"), "worker_users");
        assertTrue(script.contains("client_users=(discord homeassistant nodered cli)"), "client_users");
        assertTrue(script.contains("write_password_file mosquitto_passwd_worker \"${worker_users[@]}\""));
        assertTrue(script.contains("write_password_file mosquitto_passwd \"${client_users[@]}\""));
    }

    @Test
    void filesItNamesAreTheOnesComposeMounts() {
        Map<String, String> o = options();
        Map<String, Object> mosquitto = ShipFiles.service("mosquitto");
        for (Map<String, String> listener : listeners().values()) {
            assertTrue(ShipFiles.secrets(mosquitto).stream().anyMatch(s -> s.target().equals(listener.get("password_file"))),
                    "password_file " + listener.get("password_file") + " is a secret of the mosquitto service");
        }
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
        assertEquals(Set.of("cubeguardian", "discord", "homeassistant", "nodered", "cli"), acl);
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
        assertEquals(List.of("read cubeguardian/+/cmd/#", "read cubeguardian/bridge/workers/#", "read cubeguardian/+/result/#",
                "read cubeguardian/+/state",
                "write cubeguardian/#", "write homeassistant/#",
                "read homeassistant/status", "read homeassistant/device/+/config", "write replies/#"), rules.get("cubeguardian"));
        List<String> client = List.of("write cubeguardian/+/cmd/#", "read cubeguardian/#");
        assertEquals(client, rules.get("discord"));
        assertEquals(client, rules.get("nodered"));
        assertEquals(client, rules.get("cli"));
        assertEquals(List.of("write cubeguardian/+/cmd/#", "read cubeguardian/#", "readwrite homeassistant/#"),
                rules.get("homeassistant"));
        // a topic line before the first user line would apply to anonymous clients
        String acl = ShipFiles.read("docker/mosquitto/acl");
        int firstUser = acl.indexOf("\nuser ");
        assertTrue(firstUser > 0 && !Pattern.compile("(?m)^topic ").matcher(acl.substring(0, firstUser)).find());
    }
}
