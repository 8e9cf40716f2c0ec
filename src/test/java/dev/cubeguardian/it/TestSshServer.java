package dev.cubeguardian.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * A real SSH server (Apache MINA SSHD) on loopback with the committed test host key. It
 * accepts only the committed client keys, records every command it is asked to run, and
 * behaves by user name: {@code fails} exits 1, {@code hang} never finishes, anyone else exits 0.
 */
public final class TestSshServer implements AutoCloseable {

    public record Executed(String user, String command) {
    }

    public static final Path KEYS = Path.of("src/test/resources/ssh");

    private final SshServer server = SshServer.setUpDefaultServer();
    private final List<Executed> executed = new CopyOnWriteArrayList<>();
    private final List<PublicKey> authorized = new ArrayList<>();
    private final List<java.util.function.Consumer<Executed>> listeners = new CopyOnWriteArrayList<>();

    public TestSshServer start() throws Exception {
        for (String name : List.of("client_ed25519", "client_ecdsa", "client_rsa_pem", "client_ed25519_encrypted")) {
            String line = Files.readString(KEYS.resolve(name + ".pub")).trim();
            authorized.add(AuthorizedKeyEntry.parseAuthorizedKeyEntry(line).resolvePublicKey(null, PublicKeyEntryResolver.FAILING));
        }
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(new FileKeyPairProvider(KEYS.resolve("host_ed25519")));
        server.setPublickeyAuthenticator((user, key, session) ->
                authorized.stream().anyMatch(known -> KeyUtils.compareKeys(known, key)));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setCommandFactory((channel, command) -> new RecordingCommand(channel.getSession().getUsername(), command));
        server.start();
        return this;
    }

    public int port() {
        return server.getPort();
    }

    /** Also tells {@code listener} of each command as it starts, in the server's thread: for a test's own timeline. */
    public TestSshServer onExecute(java.util.function.Consumer<Executed> listener) {
        listeners.add(listener);
        return this;
    }

    public List<Executed> executed() {
        return List.copyOf(executed);
    }

    /** A known_hosts file naming this server with the given committed host key (its own, or another to be refused). */
    public Path knownHosts(Path directory, String hostKeyName) throws IOException {
        String publicKey = Files.readString(KEYS.resolve(hostKeyName + ".pub")).trim();
        Path file = directory.resolve("known_hosts-" + hostKeyName);
        Files.writeString(file, "[127.0.0.1]:" + port() + " " + publicKey + "\n");
        return file;
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    private final class RecordingCommand implements Command {
        private final String user;
        private final String command;
        private OutputStream err;
        private ExitCallback exit;

        RecordingCommand(String user, String command) {
            this.user = user;
            this.command = command;
        }

        @Override
        public void start(ChannelSession channel, Environment env) throws IOException {
            Executed run = new Executed(user, command);
            executed.add(run);
            listeners.forEach(listener -> listener.accept(run));
            switch (user) {
                case "hang" -> {
                    // never answers: the worker's time limit must end the call
                }
                case "fails" -> {
                    err.write("shutdown: Permission denied\n".getBytes(StandardCharsets.UTF_8));
                    err.flush();
                    exit.onExit(1);
                }
                default -> {
                    if (command.startsWith("shutdown -h +")) {
                        err.write("Shutdown scheduled, use 'shutdown -c' to cancel.\n".getBytes(StandardCharsets.UTF_8));
                        err.flush();
                    }
                    exit.onExit(0);
                }
            }
        }

        @Override
        public void destroy(ChannelSession channel) {
        }

        @Override
        public void setInputStream(InputStream in) {
        }

        @Override
        public void setOutputStream(OutputStream out) {
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }
    }
}
