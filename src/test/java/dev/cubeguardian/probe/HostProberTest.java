package dev.cubeguardian.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.config.ProbeSettings;
import dev.cubeguardian.config.ProbeSettings.ProbeMethod;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostProberTest {

    /** What a machine without the system ping is missing (the README's prerequisites). */
    private static final String NEEDS_PING = "this test runs the system ping (apt-get install iputils-ping), as the worker does";

    private static final Duration TIMEOUT = Duration.ofMillis(1500);

    @TempDir
    Path dir;

    private static ProbeSettings tcp(int port) {
        return new ProbeSettings(ProbeMethod.TCP, port, TIMEOUT);
    }

    private static ProbeSettings icmp() {
        return new ProbeSettings(ProbeMethod.ICMP, null, TIMEOUT);
    }

    @Test
    void tcpOpenPortIsReachableWithLatency() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            HostReachability result = new HostProber().probe("127.0.0.1", tcp(server.getLocalPort()));
            assertTrue(result.reachable());
            assertEquals("tcp", result.method());
            assertNotNull(result.latencyMs());
            assertTrue(result.latencyMs() >= 0 && result.latencyMs() < 1000, "latency " + result.latencyMs());
        }
    }

    @Test
    void tcpClosedPortIsUnreachableNotAnError() throws Exception {
        HostReachability result = new HostProber().probe("127.0.0.1", tcp(RawPeer.closedPort()));
        assertEquals(new HostReachability(false, "tcp", null), result);
    }

    @Test
    void tcpWithoutPortIsAConfigurationError() {
        assertThrows(IllegalArgumentException.class,
                () -> new HostProber().probe("127.0.0.1", new ProbeSettings(ProbeMethod.TCP, null, TIMEOUT)));
    }

    @Test
    void icmpToLoopbackWithSystemPing() throws Exception {
        assertTrue(PingBinary.onPath().isPresent(), NEEDS_PING);
        HostReachability result = new HostProber().probe("127.0.0.1", icmp());
        assertTrue(result.reachable(), NEEDS_PING + "; ping 127.0.0.1 failed");
        assertTrue(result.reachable());
        assertEquals("icmp", result.method());
        assertNotNull(result.latencyMs());
    }

    @Test
    void icmpToIpv6LoopbackWithSystemPing() throws Exception {
        assertTrue(PingBinary.onPath().isPresent(), NEEDS_PING);
        HostReachability result = new HostProber().probe("::1", icmp());
        assertTrue(result.reachable(), NEEDS_PING + "; ping ::1 failed");
        assertEquals("icmp", result.method());
    }

    @Test
    void icmpWithoutPingBinaryFallsBackToJdk() throws Exception {
        HostReachability result = new HostProber(Optional.empty()).probe("127.0.0.1", icmp());
        assertTrue(result.reachable());
        assertEquals("icmp", result.method());
        assertNotNull(result.latencyMs());
    }

    @Test
    void passesExactArgumentsAndParsesLatency() throws Exception {
        Path args = dir.resolve("args.txt");
        Path ping = script("ping", "printf '%s\\n' \"$@\" > '" + args + "'\n"
                + "echo '64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=12.34 ms'\nexit 0\n");
        HostReachability result = new HostProber(Optional.of(ping)).probe("127.0.0.1", icmp());
        assertEquals(new HostReachability(true, "icmp", 12.3), result);
        // 1500 ms rounds up to 2 whole seconds for -W
        assertEquals(List.of("-n", "-c", "1", "-W", "2", "127.0.0.1"), Files.readAllLines(args));
    }

    @Test
    void ipv6AddsTheFamilyFlag() throws Exception {
        Path args = dir.resolve("args.txt");
        Path ping = script("ping", "printf '%s\\n' \"$@\" > '" + args + "'\nexit 1\n");
        HostReachability result = new HostProber(Optional.of(ping)).probe("[::1]",
                new ProbeSettings(ProbeMethod.ICMP, null, Duration.ofMillis(200)));
        assertEquals(new HostReachability(false, "icmp", null), result);
        assertEquals(List.of("-n", "-c", "1", "-W", "1", "-6", "0:0:0:0:0:0:0:1"), Files.readAllLines(args));
    }

    @Test
    void pingThatCannotPingFallsBackToJdk() throws Exception {
        Path ping = script("ping", "echo 'ping: socket: Operation not permitted' >&2\nexit 2\n");
        HostReachability result = new HostProber(Optional.of(ping)).probe("127.0.0.1", icmp());
        assertTrue(result.reachable());
        assertEquals("icmp", result.method());
    }

    @Test
    void hungPingIsKilledWithinTimeoutAndMargin() throws Exception {
        Path ping = script("ping", "exec sleep 30\n");
        long started = System.nanoTime();
        HostReachability result = new HostProber(Optional.of(ping)).probe("127.0.0.1",
                new ProbeSettings(ProbeMethod.ICMP, null, Duration.ofMillis(500)));
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(new HostReachability(false, "icmp", null), result);
        assertTrue(elapsedMs < 3_000, "took " + elapsedMs + " ms");
    }

    @Test
    void optionLikeOrShellLikeAddressesAreRejected() {
        HostProber prober = new HostProber();
        for (String address : List.of("-c", "127.0.0.1;rm", "no-such-host.invalid")) {
            assertThrows(ProbeFailedException.class, () -> prober.probe(address, icmp()), address);
            assertThrows(ProbeFailedException.class, () -> prober.probe(address, tcp(80)), address);
        }
    }

    @Test
    void unresolvableMessageNamesTheAddress() {
        ProbeFailedException e = assertThrows(ProbeFailedException.class,
                () -> new HostProber().probe("no-such-host.invalid", icmp()));
        assertTrue(e.getMessage().contains("no-such-host.invalid"), e.getMessage());
    }

    @Test
    void findsPingOnlyInPathDirectories() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals(Optional.empty(), PingBinary.find(empty.toString()));
        assertEquals(Optional.empty(), PingBinary.find(null));
        Path ping = Files.createFile(bin.resolve("ping"));
        assertEquals(Optional.empty(), PingBinary.find(bin.toString()), "not executable yet");
        Files.setPosixFilePermissions(ping, PosixFilePermissions.fromString("rwx------"));
        assertEquals(Optional.of(ping), PingBinary.find(empty + java.io.File.pathSeparator + bin));
    }

    @Test
    void parsesPingOutputVariants() {
        assertEquals(0.045, PingOutput.latencyMs("64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.045 ms").getAsDouble());
        assertEquals(1.0, PingOutput.latencyMs("reply from 10.0.0.1: time<1 ms").getAsDouble()); // parse only: no traffic
        assertEquals(3.5, PingOutput.latencyMs("time=3,5 ms").getAsDouble());
        assertFalse(PingOutput.latencyMs("1 packets transmitted, 0 received").isPresent());
    }

    @Test
    void unreachableCarriesNoLatency() {
        assertNull(HostReachability.unreachable("tcp").latencyMs());
        assertThrows(IllegalArgumentException.class, () -> new HostReachability(false, "tcp", 1.0));
    }

    private Path script(String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }
}
