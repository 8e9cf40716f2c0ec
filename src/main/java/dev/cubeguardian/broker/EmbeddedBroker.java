package dev.cubeguardian.broker;

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

    @Override
    protected void doStop() throws Exception {
        if (server != null) {
            server.stop();
            server = null;
        }
    }
}
