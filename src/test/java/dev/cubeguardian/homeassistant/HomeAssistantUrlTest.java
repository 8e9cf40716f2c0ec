package dev.cubeguardian.homeassistant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The worker's port of Home Assistant's support URL test against verdicts of the real thing:
 * {@code urlparse(url).scheme in CONFIGURATION_URL_PROTOCOL_SCHEMA_LIST} then voluptuous'
 * {@code Url()} (scheme and netloc non-empty, any ValueError a refusal), run with CPython 3.11's
 * urllib.parse and ipaddress. The cases marked "newer CPython" are refused by the stricter
 * bracket checks of later releases ({@code _check_bracketed_netloc}), which the port follows.
 */
class HomeAssistantUrlTest {

    private static final Map<String, Boolean> HOME_ASSISTANT = new LinkedHashMap<>();

    static {
        accepted("https://example.org", "https://example.org/cubeguardian", "http://x", "HTTPS://Example.org",
                "homeassistant://config/devices", "https://@", "https://:8080", "https://user@", "https://[::1]/",
                "https://[::1]:8123", "https://[v1.x]/", "https://[fe80::1%eth0]/", "https://[::ffff:1.2.3.4]/",
                "https://exa mple.org", "https://\uff45xample.org", "https://ex\tample.org", " https://example.org",
                "\u0001https://example.org", "https://[::]/", "https://example.org:notaport", "https://ex%41mple.org",
                "https://[1:2:3:4:5:6:7::]/", "https://[::2:3:4:5:6:7:8]/", "https://[1:2:3:4:5:6:7:8]/",
                "https://[::1.2.3.4]/", "https://[0:0:0:0:0:0:1.2.3.4]/");
        refused("https://", "ftp://example.org", "https:example.org", "https:/example.org", "https:///path",
                "//example.org", "example.org", "https://?q", "https://#f", "https://[::1", "https://::1]",
                "https://[127.0.0.1]/", "https://[vz.x]/", "https://[1:2:3:4:5:6:7:8:9]/", "https://[::ffff:01.2.3.4]/",
                "https://example.org\u2100", "https://ex\u2100ample.org", "1https://example.org", "h_ttps://example.org",
                "https://[a]@example.org", "https://[:::1]/", "https://[1::2::3]/", "https://[12345::]/", "https://[::1%]/",
                "mailto:x@example.org", "https:\\\\example.org", "https://[:1:2:3:4:5:6:7]/", "https://[1:2:3:4:5:6::7:8]/",
                "https://[1.2.3.4::]/", "https://[::256.1.1.1]/", "https://[0:0:0:0:0:0:0:1.2.3.4]/", "https://[V1.x]/");
        // newer CPython: nothing before "[", only ":port" after "]", the brackets around the host after "@"
        refused("https://[::1]x/", "https://a[::1]/", "https://[::1]@example.org");
    }

    private static void accepted(String... urls) {
        for (String url : urls) {
            HOME_ASSISTANT.put(url, true);
        }
    }

    private static void refused(String... urls) {
        for (String url : urls) {
            HOME_ASSISTANT.put(url, false);
        }
    }

    @Test
    void agreesWithHomeAssistantOnEveryCase() {
        HOME_ASSISTANT.forEach((url, accepted) ->
                assertEquals(accepted, HomeAssistantUrl.problem(url).isEmpty(), url + ": " + HomeAssistantUrl.problem(url)));
    }

    @Test
    void sayingWhyNamesTheMissingPart() {
        assertEquals("there is no host after https://", HomeAssistantUrl.problem("https://").orElseThrow());
        assertEquals("the scheme must be http, https or homeassistant", HomeAssistantUrl.problem("ftp://x").orElseThrow());
    }
}
