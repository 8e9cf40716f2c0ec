package dev.cubeguardian.bridge;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the retained {@code offline} when the worker stops on purpose, while the publish
 * route still runs. The Last Will covers the other case (crash, lost connection).
 */
public final class GracefulOffline extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(GracefulOffline.class);
    /** The route behind direct:bridge-offline (routes/bridge.yaml). */
    static final String OFFLINE_ROUTE = "bridge-offline";

    private final ProducerTemplate template;

    public GracefulOffline(ProducerTemplate template) {
        this.template = template;
        setIgnoreExchangeEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.CamelContextStoppingEvent) {
            // a worker that failed to start (a taken gateway port) never said online, and its
            // publishing route never ran: sending to it would wait out the direct endpoint's 30 s
            // for a consumer before the worker could exit with its message
            org.apache.camel.ServiceStatus offline = template.getCamelContext().getRouteController().getRouteStatus(OFFLINE_ROUTE);
            if (offline == null || !offline.isStarted()) {
                LOG.debug("Not publishing bridge state offline: the worker's routes never started");
                return;
            }
            try {
                template.sendBody("direct:bridge-offline", null);
            } catch (RuntimeException e) {
                LOG.warn("Could not publish bridge state offline; the broker's Last Will will: {}", e.getMessage());
            }
        }
    }
}
