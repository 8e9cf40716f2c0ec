package dev.cubeguardian.mqtt;

import org.apache.camel.Message;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** Sets the camel-paho-mqtt5 producer headers for one outgoing message on {@code direct:mqtt-publish}. */
public final class MqttOut {

    public static final String TOPIC = "CamelPahoMqtt5OverrideTopic";
    public static final String QOS = "CamelPahoMqtt5Qos";
    public static final String RETAINED = "CamelPahoMqtt5Retained";
    public static final String PROPERTIES = "CamelPahoMqtt5MsgProperties";

    private MqttOut() {
    }

    /**
     * Addresses the message. The properties header is always replaced: left alone, a consumed
     * command's own MQTT 5 properties would leak into what we publish.
     */
    public static void address(Message message, String topic, boolean retained, MqttProperties properties) {
        message.setHeader(TOPIC, topic);
        message.setHeader(QOS, 1);
        message.setHeader(RETAINED, retained);
        message.setHeader(PROPERTIES, properties == null ? new MqttProperties() : properties);
    }

    /**
     * Runs {@code work}, then sends what it published from this thread, in order (a round of
     * checks: its answers go out only after their one commit to disk).
     */
    public static void publishAfter(Runnable work) {
        HeldPublishes.publishAfter(work);
    }
}
