package dev.cubeguardian.mqtt;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.RouteController;
import org.apache.camel.spi.SupervisingRouteController;
import org.apache.camel.support.EventNotifierSupport;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's line while the route controller retries the routes that cannot reach the broker.
 * Camel's own says, for each MQTT route every 2 s, "Failed restarting route: cmd-intake attempt: 3
 * due: org.apache.camel.RuntimeCamelException: Untranslated MqttException - RC: 0 (0) -
 * javax.net.ssl.SSLHandshakeException: PKIX path building failed: ..."; log4j2.properties keeps
 * it below the console. This one says what is wrong ({@link BrokerFailure}), once per reason: again
 * only when the reason changes, or after {@link #REPEAT} while it lasts.
 */
public final class BrokerRetryLog extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerRetryLog.class);
    static final Duration REPEAT = Duration.ofMinutes(1);

    private final String brokerUrl;
    private final Consumer<String> warn;
    private final Consumer<String> info;
    private final LongSupplier nanoTime;
    /** Routes that failed to start, with their latest attempt number. */
    private final Map<String, Long> failing = new HashMap<>();
    private String lastReason;
    private long lastLoggedNanos;

    public BrokerRetryLog(String brokerUrl) {
        this(brokerUrl, LOG::warn, LOG::info, System::nanoTime);
        setIgnoreExchangeEvents(true);
        setIgnoreCamelContextEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }

    BrokerRetryLog(String brokerUrl, Consumer<String> warn, Consumer<String> info, LongSupplier nanoTime) {
        this.brokerUrl = brokerUrl;
        this.warn = warn;
        this.info = info;
        this.nanoTime = nanoTime;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.RouteRestartingFailureEvent failure) {
            failed(failure.getRoute().getRouteId(), failure.getCause(), failure.getAttempt(), failure.isExhausted(),
                    retryDelay(failure.getRoute().getCamelContext().getRouteController()));
        } else if (event instanceof CamelEvent.RouteStartedEvent started) {
            started(started.getRoute().getRouteId());
        }
    }

    synchronized void failed(String routeId, Throwable cause, long attempt, boolean exhausted, Duration retryDelay) {
        failing.put(routeId, attempt);
        String reason = reachesTheBroker(cause)
                ? "Cannot connect to the MQTT broker at " + brokerUrl + ": " + BrokerFailure.describe(cause)
                : "Route " + routeId + " cannot start: " + BrokerFailure.describe(cause);
        if (exhausted) {
            warn.accept(reason + "; gave up on route " + routeId + " after " + attempt + " attempts");
            return;
        }
        long now = nanoTime.getAsLong();
        if (reason.equals(lastReason) && now - lastLoggedNanos < REPEAT.toNanos()) {
            return;
        }
        lastReason = reason;
        lastLoggedNanos = now;
        warn.accept(reason + "; retrying" + (retryDelay == null ? "" : " every " + seconds(retryDelay)));
    }

    synchronized void started(String routeId) {
        Long attempts = failing.remove(routeId);
        if (attempts != null) {
            info.accept("Route " + routeId + " started after " + attempts + " failed attempt" + (attempts == 1 ? "" : "s"));
        }
        if (failing.isEmpty()) {
            lastReason = null;
        }
    }

    /** The connect failure of a consumer or of the publisher: Paho's exception somewhere in the chain. */
    private static boolean reachesTheBroker(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MqttException) {
                return true;
            }
        }
        return false;
    }

    private static Duration retryDelay(RouteController controller) {
        return controller instanceof SupervisingRouteController supervising && supervising.getBackOffDelay() > 0
                ? Duration.ofMillis(supervising.getBackOffDelay()) : null;
    }

    private static String seconds(Duration delay) {
        return delay.toMillis() % 1000 == 0 ? delay.toSeconds() + " s" : delay.toMillis() + " ms";
    }
}
