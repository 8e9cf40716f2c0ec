package dev.cubeguardian.ssh;

import dev.cubeguardian.config.InvalidSettingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.io.resource.PathResource;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Loads a host's private key once, at start, so that a missing, unreadable, encrypted-without-
 * passphrase, wrongly-decrypted or unsupported key stops the worker with a clear message instead
 * of failing the first shutdown. OpenSSH and PEM formats; Ed25519, ECDSA and RSA.
 *
 * <p>The key is parsed directly rather than through MINA's FileKeyPairProvider: that provider
 * logs a parse failure as a warning and goes on with no key, which hid a wrong passphrase behind
 * "holds no private key".
 */
public final class SshKeyLoader {

    private SshKeyLoader() {
    }

    /** @throws InvalidSettingException naming the file (never the passphrase) */
    public static KeyPairProvider load(Path keyFile, Path passphraseFile) {
        Passphrase passphrase = new Passphrase(passphraseFile == null ? null : readPassphrase(passphraseFile));
        List<KeyPair> keys = new ArrayList<>();
        try (InputStream in = Files.newInputStream(keyFile)) {
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, new PathResource(keyFile), in, passphrase);
            if (loaded != null) {
                loaded.forEach(keys::add);
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new InvalidSettingException(describe(keyFile, passphraseFile, passphrase, e), e);
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

    private static String describe(Path keyFile, Path passphraseFile, Passphrase passphrase, Exception e) {
        if (passphrase.asked && passphraseFile == null) {
            return "SSH key file " + keyFile + " is encrypted: set ssh.key-passphrase-file";
        }
        if (passphrase.asked && passphrase.value.isEmpty()) {
            return "SSH key file " + keyFile + " is encrypted and its passphrase file " + passphraseFile + " is empty";
        }
        if (passphrase.rejected) {
            // decrypting with a wrong passphrase yields garbage: MINA then reports mismatched check
            // values (OpenSSH) or a bad padding / malformed key (PEM), none of which says why
            return "wrong passphrase for SSH key file " + keyFile + " (the passphrase in " + passphraseFile
                    + " does not decrypt it)";
        }
        return "cannot load SSH key " + keyFile + ": " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /**
     * Hands MINA the passphrase, once, and remembers what happened: MINA asks only for an
     * encrypted key, and tells the outcome of decrypting with it.
     */
    private static final class Passphrase implements FilePasswordProvider {
        private final String value;
        private boolean asked;
        private boolean rejected;

        Passphrase(String value) {
            this.value = value;
        }

        @Override
        public String getPassword(SessionContext session, NamedResource resourceKey, int retryIndex) {
            asked = true;
            return retryIndex == 0 ? value : null;
        }

        @Override
        public ResourceDecodeResult handleDecodeAttemptResult(SessionContext session, NamedResource resourceKey,
                int retryIndex, String password, Exception err) {
            if (err != null) {
                rejected = true;
            }
            return ResourceDecodeResult.TERMINATE;
        }
    }
}
