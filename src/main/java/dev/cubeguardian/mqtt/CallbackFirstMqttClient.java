package dev.cubeguardian.mqtt;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttClientPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * A Paho client that connects on its first subscribe instead of before it. camel-paho-mqtt5
 * connects, then sets its callback, then subscribes; with a persistent session the broker
 * delivers the commands it kept right after CONNACK, before the callback exists, and Paho acks
 * and drops them. Connecting here, after the consumer has set its callback, delivers them.
 */
final class CallbackFirstMqttClient extends MqttClient {

    private final MqttConnectionOptions options;
    private final String routeId;
    private final boolean topicLists;

    /**
     * @param topicLists the route's topic is a comma-separated list of filters, subscribed in one
     *                   SUBSCRIBE (a worker with a worker id subscribes each of its hosts' topics)
     */
    CallbackFirstMqttClient(String brokerUrl, String clientId, MqttClientPersistence persistence,
            MqttConnectionOptions options, String routeId, boolean topicLists) throws MqttException {
        super(brokerUrl, clientId, persistence);
        this.options = options;
        this.routeId = routeId;
        this.topicLists = topicLists;
    }

    private String[] filters(String topic) {
        return topicLists ? topic.split(",") : new String[] {topic};
    }

    private static int[] qos(String[] filters, int qos) {
        int[] each = new int[filters.length];
        java.util.Arrays.fill(each, qos);
        return each;
    }

    @Override
    public void unsubscribe(String topicFilter) throws MqttException {
        super.unsubscribe(filters(topicFilter));
    }

    /** The route whose consumer uses this client: what the watchdog restarts to rebuild it. */
    String routeId() {
        return routeId;
    }

    private volatile boolean subscribed;

    @Override
    public IMqttToken subscribe(String topicFilter, int qos) throws MqttException {
        subscribed = false;
        String[] filters = filters(topicFilter);
        if (!isConnected()) {
            connect(options);
            IMqttToken token = super.subscribe(filters, qos(filters, qos));
            subscribed = granted(token);
            return token;
        }
        // Already connected: camel re-subscribes from Paho's callback thread after a reconnect.
        // Waiting there for the SUBACK deadlocks once the commands kept for the session fill
        // Paho's inbound queue (the same thread must drain it), so subscribe without waiting.
        return aClient.subscribe(filters, qos(filters, qos), null, new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                subscribed = granted(token);
            }

            @Override
            public void onFailure(IMqttToken token, Throwable failure) {
                subscribed = false;
            }
        });
    }

    /** A reason code of 0x80 or more is a refusal (e.g. an ACL that forbids the filter): every filter must be granted. */
    private static boolean granted(IMqttToken token) {
        int[] granted = token.getGrantedQos();
        return granted != null && granted.length > 0 && java.util.Arrays.stream(granted).allMatch(code -> code < 0x80);
    }

    /** Connected, with the last subscribe accepted by the broker (camel re-subscribes after a reconnect). */
    boolean subscribedNow() {
        return subscribed && isConnected();
    }
}
