package dev.cubeguardian.observe;

import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says where the health and metrics endpoints really are. Camel's start-up summary
 * (MainHttpServerUtil) prints {@code http://0.0.0.0:9876/observe/health} whatever
 * camel.management.host is, while the server binds 127.0.0.1: someone reading it would think the
 * endpoints open to the LAN, or try an address that does not answer. log4j2.properties keeps that
 * summary off the console; this line gives the address and port the HTTP server actually bound.
 */
public final class ManagementAddressLog extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementAddressLog.class);

    public ManagementAddressLog() {
        setIgnoreExchangeEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.CamelContextStartedEvent started) {
            String line = line(started.getContext());
            if (line != null) {
                LOG.info(line);
            }
        }
    }

    /** Null when the management server is off (camel.management.enabled=false). */
    static String line(CamelContext context) {
        // the management server registers its Vert.x server as a context service; the worker runs no other
        VertxPlatformHttpServer server = context.hasService(VertxPlatformHttpServer.class);
        if (server == null || server.getServer() == null) {
            return null;
        }
        String base = "http://" + urlHost(server.getHost()) + ":" + server.getPort();
        String endpoints = "";
        if (context.hasComponent("platform-http") instanceof PlatformHttpComponent http) {
            endpoints = http.getHttpManagementEndpoints().stream().map(HttpEndpointModel::getUri).sorted()
                    .map(uri -> base + uri).collect(Collectors.joining(", ", ": ", ""));
        }
        return "Health and metrics server listening on " + bound(server.getHost()) + " port " + server.getPort() + endpoints;
    }

    private static String bound(String host) {
        return host.equals("0.0.0.0") || host.equals("::") ? host + " (all interfaces)" : host;
    }

    private static String urlHost(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
