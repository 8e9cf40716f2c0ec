package dev.cubeguardian.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A certificate authority made for one test run with openssl (EC P-256 keys, valid two days),
 * and the server certificates it signs. Its directory and files are world-readable: Mosquitto
 * started as root reads them as its own user (so not under JUnit's owner-only @TempDir). Test
 * keys only; close() deletes them.
 */
final class TestCa implements AutoCloseable {

    /** A certificate and its key, both PEM. */
    record Issued(Path certificate, Path key) {
    }

    private final Path directory;
    private final String name;
    private final Path certificate;
    private final Path key;

    private TestCa(String name) throws IOException, InterruptedException {
        this.directory = Files.createTempDirectory("test-ca-" + name + "-");
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        this.name = name;
        this.certificate = directory.resolve(name + "-ca.pem");
        this.key = directory.resolve(name + "-ca.key");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key.toString(), "-out", certificate.toString(), "-days", "2", "-subj", "/CN=" + name + " test CA");
        readable(certificate, key);
    }

    static TestCa create(String name) throws IOException, InterruptedException {
        return new TestCa(name);
    }

    /** The CA certificate: what a client's CA file holds. */
    Path certificate() {
        return certificate;
    }

    /**
     * A server certificate for the given subject alternative names ("DNS:localhost",
     * "IP:127.0.0.1"), the only names a client checks (the CN is ignored).
     */
    Issued issue(String file, String commonName, String... subjectAltNames) throws IOException, InterruptedException {
        Path serverKey = directory.resolve(file + ".key");
        Path request = directory.resolve(file + ".csr");
        Path serverCertificate = directory.resolve(file + ".pem");
        Path extensions = directory.resolve(file + ".ext");
        Files.writeString(extensions, "subjectAltName=" + String.join(",", subjectAltNames)
                + "\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n", StandardCharsets.UTF_8);
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", serverKey.toString(),
                "-out", request.toString(), "-subj", "/CN=" + commonName);
        openssl("x509", "-req", "-in", request.toString(), "-CA", certificate.toString(), "-CAkey", key.toString(),
                "-set_serial", Long.toString(System.nanoTime()), "-days", "2", "-extfile", extensions.toString(),
                "-out", serverCertificate.toString());
        readable(serverCertificate, serverKey);
        return new Issued(serverCertificate, serverKey);
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("openssl failed for the " + name + " test CA: " + command + "\n" + output);
        }
    }

    private static void readable(Path... files) throws IOException {
        for (Path file : files) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }
}
