package dev.cubeguardian.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cubeguardian.mqtt.MqttOut;
import org.apache.camel.Exchange;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Addresses a {@link CommandResult}: to {@code <base>/<host>/result/<action>} (or
 * {@code <base>/bridge/error} when the topic named no host), and once more to the command's
 * MQTT 5 response topic with its correlation data.
 */
public final class ResultPublisher {

    private final String baseTopic;
    private final ObjectMapper json;

    public ResultPublisher(String baseTopic, ObjectMapper json) {
        this.baseTopic = baseTopic;
        this.json = json;
    }

    public void toResultTopic(Exchange exchange) throws JsonProcessingException {
        ReplyAddress reply = CommandExchange.reply(exchange);
        CommandResult result = exchange.getMessage().getBody(CommandResult.class);
        String topic = reply.host() == null
                ? baseTopic + "/bridge/error"
                : baseTopic + "/" + reply.host() + "/result/" + reply.action();
        exchange.getMessage().setBody(json.writeValueAsBytes(result));
        MqttOut.address(exchange.getMessage(), topic, false, null);
    }

    public boolean hasResponseTopic(Exchange exchange) {
        String responseTopic = CommandExchange.reply(exchange).responseTopic();
        // a response topic is a publish topic: wildcards would make the broker drop our connection
        return responseTopic != null && !responseTopic.isEmpty()
                && responseTopic.indexOf('+') < 0 && responseTopic.indexOf('#') < 0;
    }

    public void toResponseTopic(Exchange exchange) {
        ReplyAddress reply = CommandExchange.reply(exchange);
        MqttProperties properties = new MqttProperties();
        properties.setCorrelationData(reply.correlationData());
        properties.setContentType("application/json");
        MqttOut.address(exchange.getMessage(), reply.responseTopic(), false, properties);
    }
}
