package dev.cubeguardian.gateway;

import dev.cubeguardian.config.GatewaySettings;
import dev.cubeguardian.config.HostConfig;
import dev.cubeguardian.config.IdleSettings;
import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.config.LifecycleTimeouts;
import dev.cubeguardian.config.MinecraftSettings;
import dev.cubeguardian.config.ProbeSettings;
import dev.cubeguardian.config.ProbeSettings.ProbeMethod;
import dev.cubeguardian.config.WolSettings;
import dev.cubeguardian.observe.WorkerMetrics;
import dev.cubeguardian.probe.ServiceStatus;
import dev.cubeguardian.state.GatewayView;
import dev.cubeguardian.state.HostState;
import dev.cubeguardian.wol.MacAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One host's gateway running for real on loopback (Netty, sockets, the publishing thread), with
 * the rest of the worker replaced by a link that records what the gateway asks of it and shows
 * whatever state a test sets.
 */
final class GatewayFixture implements AutoCloseable {

    record Command(String host, String action, Map<String, Object> payload) {
    }

    static final class RecordingLink implements GatewayLink {
        volatile GatewayView view = new GatewayView(HostState.OFF, null, Optional.empty(), null);
        final List<Command> commands = new CopyOnWriteArrayList<>();
        final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
        final List<Integer> playerCounts = new CopyOnWriteArrayList<>();

        @Override
        public GatewayView view(String host) {
            return view;
        }

        @Override
        public void playersConnected(String host, int count) {
            playerCounts.add(count);
        }

        @Override
        public void event(String host, Map<String, Object> event) {
            events.add(Map.copyOf(event));
        }

        @Override
        public void command(String host, String action, Map<String, Object> payload) {
            commands.add(new Command(host, action, Map.copyOf(payload)));
        }
    }

    final RecordingLink link = new RecordingLink();
    private final GatewayServer server;
    private final int port;

    /**
     * @param serverPort where the real server would be (a closed port for a server that is not up)
     */
    GatewayFixture(GatewaySettings.WakeOn wakeOn, List<String> allow, int serverPort, boolean proxyProtocol) {
        this("127.0.0.1", wakeOn, allow, serverPort, proxyProtocol);
    }

    GatewayFixture(String listenHost, GatewaySettings.WakeOn wakeOn, List<String> allow, int serverPort, boolean proxyProtocol) {
        GatewaySettings settings = new GatewaySettings(listenHost, 0, wakeOn, allow, Duration.ofSeconds(60), null, null,
                proxyProtocol);
        HostConfig host = new HostConfig("lobby", "Lobby", MacAddress.parse("AA:BB:CC:DD:EE:FF"), "127.0.0.1",
                new WolSettings("127.0.0.1", 9, 1, Duration.ofMillis(100), null),
                new ProbeSettings(ProbeMethod.TCP, serverPort, Duration.ofSeconds(1)),
                Optional.empty(),
                Optional.of(new MinecraftSettings("127.0.0.1", serverPort, Duration.ofSeconds(1), Optional.of(settings))),
                new LifecycleTimeouts(Duration.ofMinutes(2), Duration.ofMinutes(1)), IdleSettings.disabled());
        server = new GatewayServer(new Inventory(null, Map.of("lobby", host)), link, Locale.ENGLISH, WorkerMetrics.none(),
                Clock.systemUTC());
        server.start();
        port = server.boundPorts().get("lobby");
    }

    int port() {
        return port;
    }

    void show(HostState state) {
        link.view = new GatewayView(state, link.view.lastAnswer(), link.view.startupEstimate(), link.view.wakeStartedAt());
    }

    void show(HostState state, ServiceStatus lastAnswer) {
        link.view = new GatewayView(state, lastAnswer, link.view.startupEstimate(), link.view.wakeStartedAt());
    }

    @Override
    public void close() {
        server.stop();
    }
}
