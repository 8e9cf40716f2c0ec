package dev.cubeguardian.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.apache.camel.RuntimeCamelException;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;

/**
 * What a user reads for each way a broker connection fails. The chains are the ones Paho 1.2.5
 * on JDK 17 throws against Mosquitto 2 (recorded by connecting to a real broker for each case;
 * BrokerTlsIT does that end to end): same exception types, same messages.
 */
class BrokerFailureTest {

    private static <T extends Throwable> T causedBy(T outer, Throwable cause) {
        outer.initCause(cause);
        return outer;
    }

    /** Paho's connect failure for anything thrown during the TLS handshake: reason code 0. */
    private static MqttException paho(Throwable cause) {
        return new MqttException(cause);
    }

    private static String describe(Throwable failure) {
        String text = BrokerFailure.describe(failure);
        assertFalse(text.contains("Untranslated"), text);
        assertFalse(text.contains("PKIX"), text);
        return text;
    }

    @Test
    void anUnknownCaIsCertificateNotTrusted() {
        // sun.security.validator.ValidatorException and SunCertPathBuilderException are JDK internals:
        // the public types they extend stand in for them here
        MqttException failure = paho(causedBy(new SSLHandshakeException("PKIX path building failed: "
                + "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path"
                + " to requested target"), causedBy(new CertificateException("PKIX path building failed"),
                        new CertPathBuilderException("unable to find valid certification path to requested target"))));
        assertEquals("Untranslated MqttException - RC: 0", failure.getMessage(), "what the old log lines showed");

        assertEquals("certificate not trusted (unknown CA): the broker's certificate is not signed by a trusted CA",
                describe(failure));
    }

    @Test
    void aChainThatEndsAtNoTrustAnchorIsCertificateNotTrustedToo() {
        MqttException failure = paho(causedBy(new SSLHandshakeException("PKIX path validation failed"),
                new CertPathValidatorException("Path does not chain with any of the trust anchors")));
        assertEquals("certificate not trusted (unknown CA): the broker's certificate is not signed by a trusted CA",
                describe(failure));
    }

    @Test
    void anIpAddressNotInTheCertificateIsAHostNameMismatch() {
        MqttException failure = paho(causedBy(new SSLHandshakeException("No subject alternative names matching IP address"
                + " 127.0.0.2 found"), new CertificateException("No subject alternative names matching IP address 127.0.0.2 found")));
        assertEquals("host name mismatch: 127.0.0.2, the name in the URL, is not in the broker's certificate",
                describe(failure));
    }

    @Test
    void aDnsNameNotInTheCertificateIsAHostNameMismatch() {
        MqttException failure = paho(causedBy(new SSLHandshakeException("No subject alternative DNS name matching"
                + " broker.lan found."), new CertificateException("No subject alternative DNS name matching broker.lan found.")));
        assertEquals("host name mismatch: broker.lan, the name in the URL, is not in the broker's certificate",
                describe(failure));
        assertEquals("host name mismatch: localhost, the name in the URL, is not in the broker's certificate",
                describe(paho(new SSLHandshakeException("No name matching localhost found"))));
    }

    @Test
    void aCertificateWithoutNamesIsAHostNameMismatch() {
        assertEquals("host name mismatch: the broker's certificate names no host (no subject alternative names);"
                + " the name in the URL must be one of them",
                describe(paho(new SSLHandshakeException("No subject alternative names present"))));
    }

    @Test
    void aHostnameVerifierRefusalIsAHostNameMismatch() {
        assertEquals("host name mismatch: the name in the URL is not in the broker's certificate (Host: 127.0.0.2, Peer Host: 127.0.0.2)",
                describe(paho(new SSLPeerUnverifiedException("Host: 127.0.0.2, Peer Host: 127.0.0.2"))));
    }

    @Test
    void anExpiredCertificateSaysUntilWhen() {
        MqttException failure = paho(causedBy(new SSLHandshakeException("PKIX path validation failed: "
                + "java.security.cert.CertPathValidatorException: validity check failed"),
                new CertPathValidatorException("validity check failed",
                        new CertificateExpiredException("NotAfter: Mon Nov 30 23:51:46 UTC 2026"))));
        assertEquals("certificate expired: the broker's certificate is no longer valid (NotAfter: Mon Nov 30 23:51:46 UTC 2026)",
                describe(failure));
    }

    @Test
    void anotherValidationFailureSaysWhichCheck() {
        assertEquals("certificate rejected: basic constraints check failed", describe(paho(causedBy(
                new SSLHandshakeException("PKIX path validation failed"),
                new CertPathValidatorException("basic constraints check failed")))));
    }

    @Test
    void aBrokerThatWantsAClientCertificateSaysSo() {
        // TLS 1.3: the alert comes after the client thinks the handshake is done, so Paho calls it a lost connection
        MqttException failure = new MqttException(MqttClientException.REASON_CODE_CONNECTION_LOST,
                new SSLHandshakeException("Received fatal alert: certificate_required"));
        assertEquals("TLS handshake refused by the broker (certificate_required): it wants a client certificate,"
                + " which CubeGuardian does not send", describe(failure));
    }

    @Test
    void anotherAlertIsAHandshakeRefusal() {
        assertEquals("TLS handshake refused by the broker (handshake_failure)",
                describe(paho(new SSLHandshakeException("Received fatal alert: handshake_failure"))));
        assertEquals("TLS handshake refused by the broker (protocol_version)",
                describe(paho(new SSLHandshakeException("Received fatal alert: protocol_version"))));
    }

    @Test
    void tlsToAPortThatAnswersInPlainTextSaysItIsNoTlsPort() {
        assertEquals("TLS handshake failed: the server on that port does not speak TLS (use its TLS port, or tcp://)",
                describe(paho(new SSLException("Unsupported or unrecognized SSL message"))));
    }

    @Test
    void tlsToAPlainMosquittoListenerIsAClosedHandshake() {
        // Mosquitto's plain listener reads the ClientHello as a broken MQTT packet and hangs up
        assertEquals("TLS handshake failed: the broker closed the connection (Connection reset; is that port its TLS listener?)",
                describe(paho(new SocketException("Connection reset"))));
        assertEquals("TLS handshake failed: the broker closed the connection (is that port its TLS listener?)",
                describe(paho(causedBy(new SSLHandshakeException("Remote host terminated the handshake"),
                        new EOFException("SSL peer shut down incorrectly")))));
    }

    @Test
    void nothingListeningIsConnectionRefused() {
        MqttException failure = new MqttException(MqttClientException.REASON_CODE_SERVER_CONNECT_ERROR,
                new ConnectException("Connection refused"));
        assertEquals("connection refused: nothing listens on that address and port (is the broker running?)",
                describe(failure));
    }

    @Test
    void anUnknownNameSaysWhichName() {
        assertEquals("unknown host name broker.invalid", describe(new MqttException(
                MqttClientException.REASON_CODE_SERVER_CONNECT_ERROR, new UnknownHostException("broker.invalid"))));
    }

    @Test
    void aSilentServerIsNoAnswerInTime() {
        assertEquals("no answer from the broker in time (Read timed out)",
                describe(paho(new SocketTimeoutException("Read timed out"))));
        assertEquals("no answer from the broker in time",
                describe(new MqttException(MqttClientException.REASON_CODE_CLIENT_TIMEOUT)));
    }

    @Test
    void theBrokersRefusalsSayWhatWasRefused() {
        assertEquals("not authorised (reason code 135)", describe(new MqttException(135)));
        assertEquals("not authorised (reason code 5)", describe(new MqttException(5)));
        assertEquals("bad user name or password (reason code 134)", describe(new MqttException(134)));
        assertEquals("bad user name or password (reason code 4)", describe(new MqttException(4)));
    }

    @Test
    void aLostConnectionKeepsPahosWordsAndTheCause() {
        // e.g. tcp:// to a TLS listener: the broker hangs up on the plain CONNECT
        assertEquals("Connection lost: Connection reset", describe(new MqttException(
                MqttClientException.REASON_CODE_CONNECTION_LOST, new SocketException("Connection reset"))));
    }

    @Test
    void theRouteControllersWrapperSaysTheSame() {
        // Camel's supervising route controller gets the consumer's and the publisher's failure wrapped
        MqttException cause = paho(causedBy(new SSLHandshakeException("No subject alternative names matching IP address"
                + " 127.0.0.2 found"), new CertificateException("No subject alternative names matching IP address 127.0.0.2 found")));
        assertEquals("host name mismatch: 127.0.0.2, the name in the URL, is not in the broker's certificate",
                describe(new RuntimeCamelException(cause)));
        assertEquals("Connection lost: Connection reset", describe(new RuntimeCamelException(new MqttException(
                MqttClientException.REASON_CODE_CONNECTION_LOST, new SocketException("Connection reset")))));
    }

    @Test
    void anythingElseIsItsMessages() {
        assertEquals("Client is not connected", describe(new MqttException(MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED)));
        assertEquals("boom: inner", describe(new IllegalStateException("boom", new IllegalArgumentException("inner"))));
        assertEquals("IllegalStateException", describe(new IllegalStateException()));
    }
}
