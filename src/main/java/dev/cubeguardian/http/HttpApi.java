package dev.cubeguardian.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cubeguardian.config.InvalidSettingException;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP door (off by default): {@code /api/v1/...} on the management server (health and
 * metrics), so it listens where that server listens, loopback unless told otherwise. Its routes
 * are added to that server's Vert.x router once Camel has started it; its MQTT connection is
 * opened then and closed when Camel stops.
 */
public final class HttpApi extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    private final CommandRelay relay;
    private final HttpApiHandlers handlers;

    private HttpApi(CommandRelay relay, HttpApiHandlers handlers) {
        this.relay = relay;
        this.handlers = handlers;
        setIgnoreExchangeEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }

    /** Null when the API is off. The token file is read here: a missing one stops the worker at start. */
    public static HttpApi create(HttpApiSettings settings, Broker broker, String baseTopic, HostStatesSource states,
            ObjectMapper json, dev.cubeguardian.observe.WorkerMetrics metrics) {
        if (!settings.enabled()) {
            return null;
        }
        ApiToken token = ApiToken.fromFile(settings.tokenFile());
        String user = broker.username() != null ? broker.username() : broker.clientId();
        String replyTopic = CommandRelay.replyTopic(user, broker.clientId());
        if (replyTopic.startsWith(baseTopic + "/")) {
            throw new InvalidSettingException("the HTTP API's reply topic " + replyTopic + " lies under CUBEGUARDIAN_BASE_TOPIC,"
                    + " where the worker never replies: use another base topic than 'replies'");
        }
        try {
            CommandRelay relay = new CommandRelay(broker.url(), broker.clientId() + "-http-api",
                    CommandRelay.options(broker.url(), broker.username(), broker.password(), broker.caFile()),
                    replyTopic, waitTimers(), settings.maxPending());
            metrics.watch("cubeguardian.http.api.pending", "HTTP API requests waiting for their command's result",
                    relay::pending);
            return new HttpApi(relay, new HttpApiHandlers(baseTopic, token, new FailedAuthLimiter(Clock.systemUTC()), relay,
                    states.states(), json, settings.resultWait().toMillis(), metrics));
        } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
            throw new InvalidSettingException("the HTTP API cannot use the MQTT broker " + broker.url() + ": " + e.getMessage(), e);
        }
    }

    /** One thread ends the waits; a cancelled wait (its answer came) leaves the queue at once. */
    private static ScheduledExecutorService waitTimers() {
        java.util.concurrent.ScheduledThreadPoolExecutor timers = new java.util.concurrent.ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "http-api-waits");
            thread.setDaemon(true);
            return thread;
        });
        timers.setRemoveOnCancelPolicy(true);
        return timers;
    }

    /** How the API reaches the broker: the worker's own broker settings, a client id of its own. */
    public record Broker(String url, String clientId, String username, String password, java.nio.file.Path caFile) {
        @Override
        public String toString() {
            return "Broker[" + url + ", " + clientId + "]";
        }
    }

    /** Lets the configuration hand over the states without this package knowing how they are built. */
    public interface HostStatesSource {
        HostStates states();
    }

    public static HostStatesSource states(dev.cubeguardian.state.HostLifecycle lifecycle,
            java.util.function.BiFunction<String, String, java.time.ZonedDateTime> nextScheduled,
            dev.cubeguardian.config.Inventory inventory) {
        java.util.Map<String, Boolean> scheduled = new java.util.HashMap<>();
        inventory.hosts().forEach((id, host) -> scheduled.put(id, !host.schedule().isEmpty()));
        return () -> new HostStates(lifecycle, nextScheduled, scheduled);
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.CamelContextStartedEvent started) {
            install(started.getContext());
        } else if (event instanceof CamelEvent.CamelContextStoppingEvent) {
            relay.close();
        }
    }

    private void install(CamelContext context) {
        ManagementHttpServer server = context.hasService(ManagementHttpServer.class);
        if (server == null || server.getRouter() == null) {
            throw new InvalidSettingException("the HTTP API needs the management HTTP server, which is not running");
        }
        handlers.install(server.getRouter());
        relay.start();
        LOG.info("HTTP API on http://{}:{}{}/ (bearer token from CUBEGUARDIAN_HTTP_API_TOKEN_FILE)",
                server.getHost(), server.getPort(), HttpApiHandlers.PREFIX);
    }
}
