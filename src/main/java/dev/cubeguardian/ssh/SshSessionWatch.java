package dev.cubeguardian.ssh;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;

/**
 * Watches the SSH sessions of one host: it verifies the server key against the host's
 * known_hosts file (unknown or changed keys are refused), remembers how far the last call got
 * (key exchange done? host key refused?) so a failure can be named precisely, and can close
 * every open session when a call runs past its time limit.
 */
final class SshSessionWatch implements SessionListener {

    private final Set<Session> open = ConcurrentHashMap.newKeySet();
    private final ServerKeyVerifier knownHosts;
    private volatile boolean keyExchangeDone;
    private volatile boolean hostKeyRejected;

    SshSessionWatch(Path knownHostsFile) {
        // RejectAll is consulted for keys the file does not list: never accept an unknown host
        this.knownHosts = new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, knownHostsFile);
    }

    /** Forgets what the previous call saw; calls for one host never overlap (one lane per host). */
    void beginCall() {
        keyExchangeDone = false;
        hostKeyRejected = false;
    }

    boolean keyExchangeDone() {
        return keyExchangeDone;
    }

    boolean hostKeyRejected() {
        return hostKeyRejected;
    }

    ServerKeyVerifier verifier() {
        return this::verify;
    }

    private boolean verify(ClientSession session, SocketAddress remote, PublicKey key) {
        boolean accepted = knownHosts.verifyServerKey(session, remote, key);
        if (!accepted) {
            hostKeyRejected = true;
        }
        return accepted;
    }

    /** Ends the calls still running, which also frees the thread that waits for the remote command. */
    void closeAll() {
        for (Session session : open) {
            session.close(true);
        }
    }

    @Override
    public void sessionCreated(Session session) {
        open.add(session);
    }

    @Override
    public void sessionEvent(Session session, Event event) {
        if (event == Event.KeyEstablished) {
            keyExchangeDone = true;
        }
    }

    @Override
    public void sessionClosed(Session session) {
        open.remove(session);
    }
}
