package dev.cubeguardian.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

// Only literals and .invalid names here: anything else would send a DNS query off this machine.
class HostAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {"-c", "-W", "127.0.0.1;rm", "127.0.0.1 -c 5", "$(id)", "a b", "host/x", "--", "-",
            "[::1", "::1;x", "bad..name", "exa_mple-.com"})
    void rejectsTextThatIsNotAnAddress(String address) {
        ProbeFailedException e = assertThrows(ProbeFailedException.class, () -> HostAddresses.resolve(address));
        assertEquals("'" + address + "' is not a valid host name or IP address", e.getMessage());
    }

    @Test
    void rejectsMissingAddress() {
        assertThrows(ProbeFailedException.class, () -> HostAddresses.resolve(""));
        assertThrows(ProbeFailedException.class, () -> HostAddresses.resolve(null));
    }

    @Test
    void invalidTldNeverResolves() {
        ProbeFailedException e = assertThrows(ProbeFailedException.class,
                () -> HostAddresses.resolve("no-such-host.invalid"));
        assertEquals("Cannot resolve host 'no-such-host.invalid': names under .invalid never exist", e.getMessage());
    }

    @Test
    void acceptsLiterals() throws ProbeFailedException {
        assertEquals("127.0.0.1", HostAddresses.resolve("127.0.0.1").getHostAddress());
        assertEquals("0:0:0:0:0:0:0:1", HostAddresses.resolve("::1").getHostAddress());
        assertEquals("0:0:0:0:0:0:0:1", HostAddresses.resolve("[::1]").getHostAddress());
    }
}
