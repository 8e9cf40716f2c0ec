package dev.cubeguardian.gateway;

import dev.cubeguardian.state.GatewayView;
import dev.cubeguardian.state.HostLifecycle;
import java.util.Map;

/** The gateway's way to the host trackers and the broker, through {@link HostLifecycle}. */
public final class LifecycleLink implements GatewayLink {

    private final HostLifecycle lifecycle;

    public LifecycleLink(HostLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public GatewayView view(String host) {
        return lifecycle.gatewayView(host);
    }

    @Override
    public void playersConnected(String host, int count) {
        lifecycle.gatewayPlayers(host, count);
    }

    @Override
    public void event(String host, Map<String, Object> event) {
        lifecycle.announce(host, event);
    }

    @Override
    public void command(String host, String action, Map<String, Object> payload) {
        lifecycle.requestCommand(host, action, payload);
    }
}
