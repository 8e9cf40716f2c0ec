package dev.cubeguardian.ssh;

import dev.cubeguardian.config.SshSettings;
import org.apache.camel.component.ssh.SshEndpoint;

/** A host's camel-ssh endpoint, its settings and the watch over its sessions. */
record SshTarget(String hostId, String address, SshSettings settings, SshEndpoint endpoint, SshSessionWatch watch) {

    String displayAddress() {
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + settings.port();
    }
}
