package dev.cubeguardian.gateway;

import dev.cubeguardian.state.GatewayView;
import java.util.Map;

/**
 * What the gateway asks of the rest of the worker. Called from the gateway's own publishing
 * thread, never from a Netty event loop, except {@link #view} which only reads.
 */
public interface GatewayLink {

    /** The host's state, last answer and start-up times, as the monitor last saw them. */
    GatewayView view(String host);

    /** How many players are connected through the proxy now; they count for idle shutdown. */
    void playersConnected(String host, int count);

    /** One event on {@code <base>/<host>/event} (the envelope's v, host and timestamp are added). */
    void event(String host, Map<String, Object> event);

    /** A command on {@code <base>/<host>/cmd/<action>}, published on the broker like any client's. */
    void command(String host, String action, Map<String, Object> payload);
}
