package dev.cubeguardian.mqtt;

import java.nio.charset.StandardCharsets;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/** What a kept MQTT 5 message holds beside its payload: the client chooses every byte of it, so bounds count it. */
public final class MqttSizes {

    private MqttSizes() {
    }

    public static long of(MqttProperties properties) {
        if (properties == null) {
            return 0;
        }
        long bytes = 0;
        if (properties.getResponseTopic() != null) {
            bytes += properties.getResponseTopic().getBytes(StandardCharsets.UTF_8).length;
        }
        if (properties.getCorrelationData() != null) {
            bytes += properties.getCorrelationData().length;
        }
        if (properties.getContentType() != null) {
            bytes += properties.getContentType().length();
        }
        if (properties.getUserProperties() != null) {
            for (UserProperty user : properties.getUserProperties()) {
                bytes += 16 + user.getKey().length() + user.getValue().length();
            }
        }
        return bytes;
    }
}
