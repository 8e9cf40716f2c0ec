package dev.cubeguardian.ssh;

import dev.cubeguardian.config.HostConfig;
import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.config.SshSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.component.ssh.SshEndpoint;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.keyprovider.KeyPairProvider;

/** One camel-ssh endpoint per host that has an {@code ssh} section, built and checked at start. */
public final class SshTargets {

    private final Map<String, SshTarget> targets;

    private SshTargets(Map<String, SshTarget> targets) {
        this.targets = targets;
    }

    public static SshTargets create(CamelContext context, Inventory inventory) {
        Map<String, SshTarget> targets = new LinkedHashMap<>();
        for (HostConfig host : inventory.hosts().values()) {
            host.ssh().ifPresent(ssh -> targets.put(host.id(), target(context, host, ssh)));
        }
        return new SshTargets(targets);
    }

    Optional<SshTarget> target(String hostId) {
        return Optional.ofNullable(targets.get(hostId));
    }

    private static SshTarget target(CamelContext context, HostConfig host, SshSettings ssh) {
        KeyPairProvider key = SshKeyLoader.load(ssh.keyFile(), ssh.keyPassphraseFile());
        SshSessionWatch watch = new SshSessionWatch(ssh.knownHostsFile());
        ClientBuilder clients = ClientBuilder.builder()
                .factory(() -> {
                    SshClient client = new SshClient();
                    client.addSessionListener(watch);
                    // only the inventory's key: never the worker user's ~/.ssh keys or ~/.ssh/config
                    client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
                    return client;
                })
                .hostConfigEntryResolver(HostConfigEntryResolver.EMPTY)
                .serverKeyVerifier(watch.verifier());
        // The host name in the URI is only a label: the address is set below, so IPv6 literals work too.
        SshEndpoint endpoint = context.getEndpoint("ssh:cubeguardian-" + host.id() + ":" + ssh.port()
                + "?username=" + ssh.user(), SshEndpoint.class);
        endpoint.getConfiguration().setHost(host.address());
        endpoint.getConfiguration().setKeyPairProvider(key);
        endpoint.getConfiguration().setClientBuilder(clients);
        // camel-ssh's timeout covers connect, auth and channel open; SshRunner bounds the whole call
        endpoint.getConfiguration().setTimeout(Math.max(100, ssh.timeout().toMillis() * 8 / 10));
        return new SshTarget(host.id(), host.address(), ssh, endpoint, watch);
    }
}
