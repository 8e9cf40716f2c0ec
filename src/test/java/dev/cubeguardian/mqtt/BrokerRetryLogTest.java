package dev.cubeguardian.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import java.security.cert.CertPathBuilderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLHandshakeException;
import org.apache.camel.RuntimeCamelException;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;

/** While the broker cannot be reached at start: one line saying why, not four routes' worth every 2 s. */
class BrokerRetryLogTest {

    private static final String URL = "ssl://broker.lan:8883";
    private static final Duration EVERY_2_S = Duration.ofSeconds(2);

    private final List<String> warnings = new ArrayList<>();
    private final List<String> infos = new ArrayList<>();
    private final AtomicLong now = new AtomicLong();
    private final BrokerRetryLog log = new BrokerRetryLog(URL, warnings::add, infos::add, now::get);

    /** As the route controller hands it over: Camel's wrapper around Paho's reason-code-0 exception. */
    private static Throwable untrusted() {
        SSLHandshakeException handshake = new SSLHandshakeException("PKIX path building failed");
        handshake.initCause(new CertPathBuilderException("unable to find valid certification path to requested target"));
        return new RuntimeCamelException(new MqttException(handshake));
    }

    private static Throwable refused() {
        return new RuntimeCamelException(new MqttException(MqttClientException.REASON_CODE_SERVER_CONNECT_ERROR,
                new ConnectException("Connection refused")));
    }

    private void tick(Duration by) {
        now.addAndGet(by.toNanos());
    }

    @Test
    void fourRoutesFailingForOneReasonGiveOneLineThatSaysWhy() {
        for (String route : List.of("mqtt-publish", "cmd-intake", "ha-status", "ha-cleanup")) {
            log.failed(route, untrusted(), 1, false, EVERY_2_S);
        }
        tick(EVERY_2_S);
        for (String route : List.of("mqtt-publish", "cmd-intake", "ha-status", "ha-cleanup")) {
            log.failed(route, untrusted(), 2, false, EVERY_2_S);
        }

        assertEquals(List.of("Cannot connect to the MQTT broker at ssl://broker.lan:8883: certificate not trusted (unknown CA):"
                + " the broker's certificate is not signed by a trusted CA; retrying every 2 s"), warnings);
    }

    @Test
    void aNewReasonIsLoggedAtOnce() {
        log.failed("cmd-intake", untrusted(), 1, false, EVERY_2_S);
        tick(EVERY_2_S);
        log.failed("cmd-intake", refused(), 2, false, EVERY_2_S);

        assertEquals(2, warnings.size(), warnings.toString());
        assertEquals("Cannot connect to the MQTT broker at ssl://broker.lan:8883: connection refused: nothing listens on"
                + " that address and port (is the broker running?); retrying every 2 s", warnings.get(1));
    }

    @Test
    void theSameReasonIsRepeatedOnceAMinuteWhileItLasts() {
        log.failed("cmd-intake", untrusted(), 1, false, EVERY_2_S);
        for (int attempt = 2; attempt <= 30; attempt++) {
            tick(EVERY_2_S);
            log.failed("cmd-intake", untrusted(), attempt, false, EVERY_2_S);
        }
        assertEquals(1, warnings.size(), "58 s in: " + warnings);
        tick(EVERY_2_S);
        log.failed("cmd-intake", untrusted(), 31, false, EVERY_2_S);
        assertEquals(2, warnings.size(), "a minute in: " + warnings);
    }

    @Test
    void aRouteThatStartsAfterFailingSaysSoAndTheNextOutageIsLoggedAgain() {
        log.failed("cmd-intake", untrusted(), 1, false, EVERY_2_S);
        log.failed("cmd-intake", untrusted(), 2, false, EVERY_2_S);
        log.started("cmd-intake");
        log.started("cmd-run"); // started at once: nothing to say

        assertEquals(List.of("Route cmd-intake started after 2 failed attempts"), infos);
        log.failed("cmd-intake", untrusted(), 1, false, EVERY_2_S);
        assertEquals(2, warnings.size(), "the same reason, but after a recovery: " + warnings);
    }

    @Test
    void aFailureThatIsNotTheBrokersNamesTheRoute() {
        log.failed("state-refresh", new IllegalStateException("no timer"), 1, false, EVERY_2_S);
        assertEquals(List.of("Route state-refresh cannot start: no timer; retrying every 2 s"), warnings);
    }

    @Test
    void aRouteGivenUpOnSaysSo() {
        log.failed("cmd-intake", refused(), 5, true, EVERY_2_S);
        assertEquals(List.of("Cannot connect to the MQTT broker at ssl://broker.lan:8883: connection refused: nothing"
                + " listens on that address and port (is the broker running?); gave up on route cmd-intake after 5 attempts"),
                warnings);
    }
}
