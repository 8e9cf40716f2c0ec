package dev.cubeguardian.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cubeguardian.logging.ThrottledWarning;
import dev.cubeguardian.mqtt.MqttOut;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Addresses a {@link CommandResult}: to {@code <base>/<host>/result/<action>} (or
 * {@code <base>/bridge/error} when the topic named no host), and once more to the command's
 * MQTT 5 response topic with its correlation data, when {@link ResponseTopicPolicy} allows it;
 * a refused response topic gets a note on {@code <base>/bridge/error} instead of silence.
 */
public final class ResultPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(ResultPublisher.class);
    /** MQTT's limit for a topic name, in UTF-8 bytes: a longer one can never be sent. */
    public static final int MAX_TOPIC_BYTES = 65_535;
    private static final int MAX_TOPIC_IN_DETAILS = 256;

    private final String baseTopic;
    private final ObjectMapper json;
    private final ResponseTopicPolicy policy;
    private final ResultFactory results;
    private final ThrottledWarning refusedReply = new ThrottledWarning(LOG::warn,
            "Did not use a command's MQTT 5 response topic inside the worker's own topics: the result went to"
                    + " its normal topic and a note to bridge/error", java.time.Duration.ofSeconds(10), System::nanoTime);

    public ResultPublisher(String baseTopic, ObjectMapper json, ResponseTopicPolicy policy, ResultFactory results) {
        this.baseTopic = baseTopic;
        this.json = json;
        this.policy = policy;
        this.results = results;
    }

    public void toResultTopic(Exchange exchange) throws JsonProcessingException {
        ReplyAddress reply = CommandExchange.reply(exchange);
        CommandResult result = exchange.getMessage().getBody(CommandResult.class);
        exchange.setProperty(CommandExchange.RESULT, result);
        exchange.getMessage().setBody(json.writeValueAsBytes(result));
        MqttOut.address(exchange.getMessage(), resultTopic(baseTopic, reply.host(), reply.action()), false, null);
    }

    /** {@code <base>/<host>/result/<action>}, or {@code <base>/bridge/error} for a topic that named no host. */
    public static String resultTopic(String baseTopic, String host, String action) {
        return host == null ? baseTopic + "/bridge/error" : baseTopic + "/" + host + "/result/" + action;
    }

    /** True when the result topic of this host and action fits in an MQTT topic. */
    public static boolean fitsInTopic(String baseTopic, String host, String action) {
        return resultTopic(baseTopic, host, action).getBytes(StandardCharsets.UTF_8).length <= MAX_TOPIC_BYTES;
    }

    public boolean hasResponseTopic(Exchange exchange) {
        String responseTopic = CommandExchange.reply(exchange).responseTopic();
        return responseTopic != null && !responseTopic.isEmpty();
    }

    /**
     * The result again, to the command's response topic with its correlation data; or, when the
     * response topic is one the worker must not write for a client, a note on bridge/error.
     * Reads the result from the exchange property, so it serves repeats answered later too.
     */
    public void toResponseTopicOrRefusalNote(Exchange exchange) throws JsonProcessingException {
        ReplyAddress reply = CommandExchange.reply(exchange);
        CommandResult result = exchange.getProperty(CommandExchange.RESULT, CommandResult.class);
        ResponseTopicPolicy.Refusal refusal = policy.refusal(reply.responseTopic());
        if (refusal == null) {
            MqttProperties properties = new MqttProperties();
            properties.setCorrelationData(reply.correlationData());
            properties.setContentType("application/json");
            exchange.getMessage().setBody(json.writeValueAsBytes(result));
            MqttOut.address(exchange.getMessage(), reply.responseTopic(), false, properties);
            return;
        }
        refusedReply.warn();
        String shown = truncate(reply.responseTopic());
        CommandResult note = results.create(reply, Outcome.variant(ResultCode.INVALID_COMMAND, "response_topic",
                Outcome.details("reason", "response_topic", "response_topic", shown,
                        "refusal", refusal.name().toLowerCase(java.util.Locale.ROOT),
                        "result_code", result == null ? null : result.code()),
                shown));
        exchange.getMessage().setBody(json.writeValueAsBytes(note));
        MqttOut.address(exchange.getMessage(), baseTopic + "/bridge/error", false, null);
    }

    private static String truncate(String text) {
        return text.length() <= MAX_TOPIC_IN_DETAILS ? text : text.substring(0, MAX_TOPIC_IN_DETAILS) + "…";
    }
}
