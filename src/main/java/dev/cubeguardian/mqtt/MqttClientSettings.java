package dev.cubeguardian.mqtt;

import dev.cubeguardian.config.InvalidSettingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;

/** Applies the broker URL, credentials and TLS trust to camel-paho-mqtt5's component configuration. */
public final class MqttClientSettings {

    private MqttClientSettings() {
    }

    public static void apply(PahoMqtt5Configuration config, String url, String username, Path passwordFile, Path caFile) {
        config.setBrokerUrl(url);
        if (username != null) {
            config.setUserName(username);
        }
        if (passwordFile != null) {
            config.setPassword(readSecret(passwordFile));
        }
        config.setSocketFactory(socketFactory(url, caFile));
        config.setAutomaticReconnect(true);
        // a restarted broker is found within 10 s
        config.setMaxReconnectDelay(10_000);
    }

    public static SocketFactory socketFactory(String url, Path caFile) {
        if (!url.startsWith("ssl://")) {
            return new NoDelaySocketFactory();
        }
        SSLSocketFactory tls = caFile == null
                ? (SSLSocketFactory) SSLSocketFactory.getDefault()
                : trusting(caFile);
        return new NoDelaySslSocketFactory(tls);
    }

    /** A TLS factory that trusts exactly the CA certificates in the PEM file (e.g. a homelab's own CA). */
    private static SSLSocketFactory trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int index = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + index++, certificate);
            }
            if (index == 0) {
                throw new InvalidSettingException("CUBEGUARDIAN_MQTT_CA_FILE " + caFile + " holds no certificate");
            }
            TrustManagerFactory managers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            managers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, managers.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new InvalidSettingException("cannot use CUBEGUARDIAN_MQTT_CA_FILE " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** Reads a secret file; one trailing newline (as `echo` writes) is not part of the secret. */
    public static String readSecret(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).replaceFirst("\\r?\\n$", "");
        } catch (IOException e) {
            throw new InvalidSettingException("cannot read secret file " + file + ": " + e.getMessage(), e);
        }
    }
}
