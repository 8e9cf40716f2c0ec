package dev.cubeguardian.mqtt;

import java.util.Map;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Component;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5ComponentConfigurer;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5EndpointConfigurer;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Consumer;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Endpoint;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;

/**
 * camel-paho-mqtt5 with one change to its consumers: they get a {@link CallbackFirstMqttClient},
 * so commands the broker kept for the worker's persistent session while it was away reach the
 * routes instead of being acknowledged and lost. Producers are unchanged.
 */
public final class DurableCommandsComponent extends PahoMqtt5Component {

    // Camel finds generated configurers by class name; a subclass must hand over the stock ones
    @Override
    public PropertyConfigurer getComponentPropertyConfigurer() {
        return new PahoMqtt5ComponentConfigurer();
    }

    @Override
    public PropertyConfigurer getEndpointPropertyConfigurer() {
        return new PahoMqtt5EndpointConfigurer();
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        PahoMqtt5Endpoint endpoint = new CallbackFirstEndpoint(uri, remaining, this, getConfiguration().copy());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    private static final class CallbackFirstEndpoint extends PahoMqtt5Endpoint {

        CallbackFirstEndpoint(String uri, String topic, PahoMqtt5Component component, PahoMqtt5Configuration configuration) {
            super(uri, topic, component, configuration);
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            PahoMqtt5Consumer consumer = new PahoMqtt5Consumer(this, processor) {
                @Override
                protected void doStart() throws Exception {
                    if (getClient() == null) {
                        setClient(newClient());
                    }
                    super.doStart();
                }

                @Override
                protected void doStop() throws Exception {
                    // the consumer only disconnects clients it made itself: this one is ours
                    MqttClient client = getClient();
                    super.doStop();
                    if (client != null) {
                        if (client.isConnected()) {
                            client.disconnect();
                        }
                        client.close();
                    }
                }
            };
            configureConsumer(consumer);
            return consumer;
        }

        private MqttClient newClient() throws Exception {
            PahoMqtt5Configuration config = getConfiguration();
            MqttClient client = new CallbackFirstMqttClient(config.getBrokerUrl(), config.getClientId(),
                    new MemoryPersistence(), createMqttConnectionOptions());
            if (config.isManualAcksEnabled()) {
                client.setManualAcks(true);
            }
            return client;
        }
    }
}
