package dev.cubeguardian.config;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes inventories into a test's temp dir, next to a dummy key and known_hosts file. */
final class InventoryFiles {

    static final String KEY = "id_ed25519";
    static final String KNOWN_HOSTS = "known_hosts";

    private final Path dir;

    InventoryFiles(Path dir) {
        this.dir = dir;
        write(KEY, "-----BEGIN OPENSSH PRIVATE KEY-----\nnot a real key\n-----END OPENSSH PRIVATE KEY-----\n");
        write(KNOWN_HOSTS, "192.168.1.10 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDummy\n");
    }

    Path dir() {
        return dir;
    }

    Path write(String name, String content) {
        try {
            Path file = dir.resolve(name);
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Inventory load(String yaml) {
        return InventoryLoader.load(write("hosts.yaml", yaml));
    }

    InventoryException fail(String yaml) {
        Path file = write("hosts.yaml", yaml);
        return assertThrows(InventoryException.class, () -> InventoryLoader.load(file));
    }
}
