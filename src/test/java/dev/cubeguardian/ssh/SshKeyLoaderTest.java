package dev.cubeguardian.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cubeguardian.config.InvalidSettingException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The messages a user gets when the worker cannot use a host's SSH key: what is wrong, and never the passphrase. */
class SshKeyLoaderTest {

    private static final Path KEYS = Path.of("src/test/resources/ssh");
    private static final Path ENCRYPTED = KEYS.resolve("client_ed25519_encrypted");
    private static final Path ENCRYPTED_PEM = KEYS.resolve("client_rsa_pem_encrypted");

    @TempDir
    Path dir;

    private static int count(KeyPairProvider provider) throws Exception {
        int n = 0;
        for (var ignored : provider.loadKeys(null)) {
            n++;
        }
        return n;
    }

    @ParameterizedTest
    @ValueSource(strings = {"client_ed25519", "client_ecdsa", "client_rsa_pem"})
    void plainKeysLoad(String name) throws Exception {
        assertEquals(1, count(SshKeyLoader.load(KEYS.resolve(name), null)));
    }

    @Test
    void anEncryptedKeyLoadsWithItsPassphrase() throws Exception {
        assertEquals(1, count(SshKeyLoader.load(ENCRYPTED, KEYS.resolve("client_ed25519_encrypted.passphrase"))));
        assertEquals(1, count(SshKeyLoader.load(ENCRYPTED_PEM, KEYS.resolve("client_ed25519_encrypted.passphrase"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"client_ed25519_encrypted", "client_rsa_pem_encrypted"})
    void aWrongPassphraseIsCalledThatAndNotShown(String name) throws Exception {
        String secret = "not-the-passphrase-4711";
        Path wrong = Files.writeString(dir.resolve("wrong"), secret + "\n");
        Path key = KEYS.resolve(name);

        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> SshKeyLoader.load(key, wrong));

        assertEquals("wrong passphrase for SSH key file " + key + " (the passphrase in " + wrong + " does not decrypt it)",
                e.getMessage());
        assertFalse(e.getMessage().contains(secret));
    }

    @Test
    void anEncryptedKeyWithoutPassphraseFileSaysWhichSettingIsMissing() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> SshKeyLoader.load(ENCRYPTED, null));
        assertEquals("SSH key file " + ENCRYPTED + " is encrypted: set ssh.key-passphrase-file", e.getMessage());
    }

    @Test
    void anEmptyPassphraseFileIsCalledEmpty() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> SshKeyLoader.load(ENCRYPTED, empty));
        assertEquals("SSH key file " + ENCRYPTED + " is encrypted and its passphrase file " + empty + " is empty",
                e.getMessage());
    }

    @Test
    void aFileThatIsNoKeyHoldsNoPrivateKey() throws Exception {
        Path notAKey = Files.writeString(dir.resolve("id_ed25519"), "hello\n");
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> SshKeyLoader.load(notAKey, null));
        assertEquals("SSH key file " + notAKey + " holds no private key", e.getMessage());
    }

    @Test
    void aPublicKeyGivenAsTheKeyFileHoldsNoPrivateKey() {
        Path pub = KEYS.resolve("client_ed25519.pub");
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> SshKeyLoader.load(pub, null));
        assertEquals("SSH key file " + pub + " holds no private key", e.getMessage());
    }

    @Test
    void aPassphraseForAPlainKeyIsHarmless() throws Exception {
        assertEquals(1, count(SshKeyLoader.load(KEYS.resolve("client_ed25519"), KEYS.resolve("client_ed25519_encrypted.passphrase"))));
    }
}
