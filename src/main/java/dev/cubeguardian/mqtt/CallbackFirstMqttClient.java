package dev.cubeguardian.mqtt;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttClientPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * A Paho client that connects on its first subscribe instead of before it. camel-paho-mqtt5
 * connects, then sets its callback, then subscribes; with a persistent session the broker
 * delivers the commands it kept right after CONNACK, before the callback exists, and Paho acks
 * and drops them. Connecting here, after the consumer has set its callback, delivers them.
 */
final class CallbackFirstMqttClient extends MqttClient {

    private final MqttConnectionOptions options;

    CallbackFirstMqttClient(String brokerUrl, String clientId, MqttClientPersistence persistence,
            MqttConnectionOptions options) throws MqttException {
        super(brokerUrl, clientId, persistence);
        this.options = options;
    }

    @Override
    public IMqttToken subscribe(String topicFilter, int qos) throws MqttException {
        if (!isConnected()) {
            connect(options);
        }
        return super.subscribe(topicFilter, qos);
    }
}
