package dev.cubeguardian.broker;

import dev.cubeguardian.config.InvalidSettingException;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The zero-setup MQTT broker (ActiveMQ Artemis, MQTT 3.1.1 and 5) used when no
 * CUBEGUARDIAN_MQTT_URL is given. It listens on loopback only and keeps nothing on disk:
 * it is for trying CubeGuardian out, not for a homelab that other machines publish to.
 */
public final class EmbeddedBroker extends ServiceSupport {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EmbeddedBroker.class);

    private final String bindAddress;
    private final int port;
    private EmbeddedActiveMQ server;

    public EmbeddedBroker(String bindAddress, int port) {
        this.bindAddress = bindAddress;
        this.port = port;
    }

    public String url() {
        return "tcp://" + bindAddress + ":" + port;
    }

    @Override
    protected void doStart() throws Exception {
        requirePortFree();
        if (!java.net.InetAddress.getByName(bindAddress).isLoopbackAddress()) {
            LOG.warn("The embedded MQTT broker listens on {}, beyond this machine, with no authentication:"
                    + " use a real broker (CUBEGUARDIAN_MQTT_URL) for anything but a trial", bindAddress);
        }
        Configuration config = new ConfigurationImpl()
                .setName("cubeguardian-embedded")
                .setPersistenceEnabled(false)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .addAcceptorConfiguration("mqtt", "tcp://" + bindAddress + ":" + port
                        + "?protocols=MQTT;tcpNoDelay=true");
        server = new EmbeddedActiveMQ();
        server.setConfiguration(config);
        server.start();
    }

    /**
     * Artemis only logs a port it cannot bind and carries on; the worker would then connect to
     * whatever listens there (another broker, another demo) and fight its client ids. So the
     * port is tried first, and a taken one stops the worker with what to change.
     */
    private void requirePortFree() {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(bindAddress, port));
        } catch (java.io.IOException taken) {
            throw new InvalidSettingException("The demo's embedded MQTT broker cannot listen on " + bindAddress + ":" + port
                    + " (" + taken.getMessage() + "): something else, another MQTT broker perhaps, uses that port."
                    + " Set CUBEGUARDIAN_BROKER_PORT to a free port for the demo, or CUBEGUARDIAN_MQTT_URL="
                    + url() + " to use the broker that listens there.");
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (server != null) {
            server.stop();
            server = null;
        }
    }
}
