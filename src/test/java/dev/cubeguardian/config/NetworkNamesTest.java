package dev.cubeguardian.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"192.168.1.10", "0.0.0.0", "255.255.255.255", "pve", "pve.lan", "pve.lan.",
        "my-host.example.com", "a", "xn--bcher-kva.example", "::1", "::", "fd00::10", "2001:db8:0:0:0:0:0:1",
        "2001:db8::", "::ffff:192.0.2.1", "FE80::1", "1.2.3.4.nip.io", "10-0-0-1.local"})
    void accepts(String text) {
        assertTrue(NetworkNames.isHostOrIp(text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "-oProxyCommand=x", "host name", "host;reboot", "$(reboot)", "`id`",
        "host|x", "a..b", ".lan", "-lead", "trail-", "[::1]", "fe80::1%eth0", "1:2:3:4:5:6:7:8:9", "1::2::3",
        "12345::", "192.168.1", "300.1.1.1", "192.168.01.1", "host:22", "http://host", "host/x", "h_st",
        "::ffff:192.0.2.1:1", "1.2.3.4::"})
    void rejects(String text) {
        assertFalse(NetworkNames.isHostOrIp(text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pve.lan", "::1", "256.0.0.1", "1.2.3", "01.2.3.4"})
    void ipv4OnlyRejects(String text) {
        assertFalse(NetworkNames.isIpv4(text), text);
    }
}
