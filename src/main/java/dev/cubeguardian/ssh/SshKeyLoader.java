package dev.cubeguardian.ssh;

import dev.cubeguardian.config.InvalidSettingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.keyprovider.KeyPairProvider;

/**
 * Loads a host's private key once, at start, so that a missing, unreadable, encrypted-without-
 * passphrase or unsupported key stops the worker with a clear message instead of failing the
 * first shutdown. OpenSSH and PEM formats; Ed25519, ECDSA and RSA.
 */
public final class SshKeyLoader {

    private SshKeyLoader() {
    }

    /** @throws IllegalStateException naming the file (never the passphrase) */
    public static KeyPairProvider load(Path keyFile, Path passphraseFile) {
        FileKeyPairProvider provider = new FileKeyPairProvider(keyFile);
        if (passphraseFile != null) {
            String passphrase = readPassphrase(passphraseFile);
            provider.setPasswordFinder(FilePasswordProvider.of(passphrase));
        }
        List<KeyPair> keys = new ArrayList<>();
        try {
            provider.loadKeys(null).forEach(keys::add);
        } catch (RuntimeException e) {
            throw new InvalidSettingException("cannot load SSH key " + keyFile + ": " + describe(e, passphraseFile), e);
        }
        if (keys.isEmpty()) {
            throw new InvalidSettingException("SSH key file " + keyFile + " holds no private key");
        }
        return KeyPairProvider.wrap(keys);
    }

    private static String readPassphrase(Path file) {
        try {
            // one trailing newline is what editors and `echo` add; it is not part of the passphrase
            return Files.readString(file, StandardCharsets.UTF_8).replaceFirst("\\r?\\n$", "");
        } catch (IOException e) {
            throw new InvalidSettingException("cannot read SSH key passphrase file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String describe(Exception e, Path passphraseFile) {
        String reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        if (passphraseFile == null && reason.toLowerCase(java.util.Locale.ROOT).contains("password")) {
            return "the key is encrypted; set ssh.key-passphrase-file";
        }
        return reason;
    }
}
