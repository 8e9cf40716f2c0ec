package dev.cubeguardian.faults;

import dev.cubeguardian.it.TestSshServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Small shared pieces of the fault suite: the long switch, inventory snippets, waiting. */
final class Faults {

    /** {@code -Dfaults.long=true} runs the long variants. */
    static final boolean LONG = Boolean.getBoolean("faults.long");

    private Faults() {
    }

    static int scale(int normal, int longRun) {
        return LONG ? longRun : normal;
    }

    static String mac(int index) {
        return String.format("02:FA:00:00:%02X:%02X", (index >> 8) & 0xFF, index & 0xFF);
    }

    /** One inventory host entry, with magic packets to the given UDP port on loopback. */
    static String host(String id, int macIndex, int wolPort, int packets, Integer probePort) {
        return "  " + id + ":\n    mac: \"" + mac(macIndex) + "\"\n    address: 127.0.0.1\n"
                + "    wol: {broadcast: 127.0.0.1, port: " + wolPort + ", packets: " + packets + ", interval: 1ms}\n"
                + (probePort == null ? "" : "    probe: {method: tcp, port: " + probePort + ", timeout: 500ms}\n");
    }

    static String ssh(int port, String user, Path key, Path passphrase, Path knownHosts, String timeout) {
        return "    ssh:\n      port: " + port + "\n      user: " + user + "\n      key-file: " + key.toAbsolutePath() + "\n"
                + (passphrase == null ? "" : "      key-passphrase-file: " + passphrase.toAbsolutePath() + "\n")
                + "      known-hosts-file: " + knownHosts.toAbsolutePath() + "\n      timeout: " + timeout + "\n";
    }

    static Path key(String name) {
        return TestSshServer.KEYS.resolve(name).toAbsolutePath();
    }

    static Path write(Path file, String text) throws IOException {
        Files.writeString(file, text);
        return file;
    }

    static boolean await(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    static void log(String format, Object... args) {
        // lands in target/failsafe-reports/<class>-output.txt: the figures docs/faults.md quotes
        System.out.println("[faults] " + String.format(format, args));
    }
}
