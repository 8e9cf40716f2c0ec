package dev.cubeguardian.mqtt;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Says why a broker connection failed, in words a user can act on. Paho wraps every TLS failure
 * in reason code 0, whose message is "Untranslated MqttException - RC: 0"; what happened is in
 * the cause chain, as JDK exceptions whose messages speak of PKIX paths and subject alternative
 * names. The text starts with the problem ("certificate not trusted (unknown CA)", "host name
 * mismatch", "connection refused"...), then what it means; docs/security.md lists them all.
 */
public final class BrokerFailure {

    /** The JDK's host name check (sun.security.util.HostnameChecker) says which name it looked for. */
    private static final Pattern NAME_NOT_IN_CERTIFICATE = Pattern.compile("No (?:subject alternative names matching"
            + " IP address|subject alternative DNS name matching|name matching) (\\S+?)\\.? found");
    private static final Pattern ALERT = Pattern.compile("Received fatal alert: (\\w+)");
    private static final String NOT_TRUSTED =
            "certificate not trusted (unknown CA): the broker's certificate is not signed by a trusted CA";

    private BrokerFailure() {
    }

    public static String describe(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        List<Throwable> chain = chain(failure);
        String tls = tls(chain);
        if (tls != null) {
            return tls;
        }
        String network = network(chain);
        if (network != null) {
            return network;
        }
        MqttException mqtt = find(chain, MqttException.class);
        if (mqtt != null) {
            String refused = refusal(mqtt.getReasonCode());
            if (refused != null) {
                return refused;
            }
        }
        return plain(chain);
    }

    /** The certificate and handshake problems, most specific first: a chain often holds several. */
    private static String tls(List<Throwable> chain) {
        CertificateExpiredException expired = find(chain, CertificateExpiredException.class);
        if (expired != null) {
            return "certificate expired: the broker's certificate is no longer valid (" + expired.getMessage() + ")";
        }
        CertificateNotYetValidException early = find(chain, CertificateNotYetValidException.class);
        if (early != null) {
            return "certificate not yet valid: the broker's certificate is not valid yet (" + early.getMessage()
                    + "); check the clocks";
        }
        for (Throwable t : chain) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            Matcher name = NAME_NOT_IN_CERTIFICATE.matcher(message);
            if (name.find()) {
                return "host name mismatch: " + name.group(1) + ", the name in the URL, is not in the broker's certificate";
            }
            if (message.contains("No subject alternative names present")) {
                return "host name mismatch: the broker's certificate names no host (no subject alternative names);"
                        + " the name in the URL must be one of them";
            }
            if (t instanceof SSLPeerUnverifiedException) {
                return "host name mismatch: the name in the URL is not in the broker's certificate (" + message + ")";
            }
        }
        if (find(chain, CertPathBuilderException.class) != null) {
            return NOT_TRUSTED;
        }
        CertPathValidatorException invalid = find(chain, CertPathValidatorException.class);
        if (invalid != null) {
            // "Path does not chain with any of the trust anchors" is the validator's word for an unknown CA
            return invalid.getMessage() != null && invalid.getMessage().contains("trust anchor") ? NOT_TRUSTED
                    : "certificate rejected: " + invalid.getMessage();
        }
        for (Throwable t : chain) {
            Matcher alert = t instanceof SSLException && t.getMessage() != null ? ALERT.matcher(t.getMessage()) : null;
            if (alert != null && alert.find()) {
                return alert.group(1).equals("certificate_required")
                        ? "TLS handshake refused by the broker (certificate_required): it wants a client certificate,"
                                + " which CubeGuardian does not send"
                        : "TLS handshake refused by the broker (" + alert.group(1) + ")";
            }
        }
        SSLException ssl = find(chain, SSLException.class);
        if (ssl != null) {
            if (ssl.getMessage() != null && ssl.getMessage().contains("nrecognized SSL message")) {
                return "TLS handshake failed: the server on that port does not speak TLS (use its TLS port, or tcp://)";
            }
            if (ssl instanceof SSLHandshakeException && find(chain, EOFException.class) != null) {
                return "TLS handshake failed: the broker closed the connection (is that port its TLS listener?)";
            }
            return "TLS handshake failed (" + ssl.getMessage() + ")";
        }
        MqttException mqtt = find(chain, MqttException.class);
        SocketException reset = find(chain, SocketException.class);
        if (mqtt != null && mqtt.getReasonCode() == MqttException.REASON_CODE_CLIENT_EXCEPTION && reset != null
                && !(reset instanceof ConnectException) && !(reset instanceof NoRouteToHostException)) {
            // Paho gives reason code 0 to what fails between the TCP connect and MQTT: the TLS handshake
            return "TLS handshake failed: the broker closed the connection (" + reset.getMessage()
                    + "; is that port its TLS listener?)";
        }
        return null;
    }

    private static String network(List<Throwable> chain) {
        ConnectException refused = find(chain, ConnectException.class);
        if (refused != null) {
            return refused.getMessage() != null && refused.getMessage().contains("refused")
                    ? "connection refused: nothing listens on that address and port (is the broker running?)"
                    : "cannot connect (" + refused.getMessage() + ")";
        }
        UnknownHostException unknown = find(chain, UnknownHostException.class);
        if (unknown != null) {
            return "unknown host name " + unknown.getMessage();
        }
        NoRouteToHostException noRoute = find(chain, NoRouteToHostException.class);
        if (noRoute != null) {
            return "no route to the broker's host (" + noRoute.getMessage() + ")";
        }
        SocketTimeoutException timeout = find(chain, SocketTimeoutException.class);
        if (timeout != null) {
            return "no answer from the broker in time (" + timeout.getMessage() + ")";
        }
        return null;
    }

    /** The broker's (or Paho's) refusals whose Paho text is terse or absent. */
    private static String refusal(int code) {
        return switch (code) {
            case 4, 134 -> "bad user name or password (reason code " + code + ")";
            case 5, 135 -> "not authorised (reason code " + code + ")";
            case 2, 133 -> "client id refused by the broker (reason code " + code + ")";
            case 3, 136 -> "the broker is unavailable (reason code " + code + ")";
            case 138 -> "banned by the broker (reason code 138)";
            case MqttClientException.REASON_CODE_CLIENT_TIMEOUT -> "no answer from the broker in time";
            default -> null;
        };
    }

    /**
     * Any other failure: its messages, outermost first, without Paho's placeholder, repeats, or
     * a wrapper's message that only restates its cause (Camel's RuntimeCamelException does).
     */
    private static String plain(List<Throwable> chain) {
        StringBuilder text = new StringBuilder();
        for (Throwable t : chain) {
            String message = t.getMessage();
            if (message == null || message.contains("Untranslated MqttException") || text.indexOf(message) >= 0
                    || t.getCause() != null && message.equals(t.getCause().toString())) {
                continue;
            }
            text.append(text.length() == 0 ? "" : ": ").append(message);
        }
        return text.length() == 0 ? chain.get(chain.size() - 1).getClass().getSimpleName() : text.toString();
    }

    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static <T extends Throwable> T find(List<Throwable> chain, Class<T> type) {
        for (Throwable t : chain) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
