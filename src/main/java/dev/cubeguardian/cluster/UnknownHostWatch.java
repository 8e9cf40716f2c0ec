package dev.cubeguardian.cluster;

import dev.cubeguardian.command.CommandIntake;
import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.logging.ThrottledWarning;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Message;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a command for a host that no worker owns exactly once across all workers (route
 * {@code unknown-hosts}): every worker with an id holds the same shared subscription to all
 * command topics, so the broker gives each command to one of them, which answers it
 * {@code UNKNOWN_HOST} (or on {@code bridge/error}) unless a worker announces the host. The
 * answer waits a moment: a worker that has just subscribed may not have announced its hosts yet.
 */
public final class UnknownHostWatch {

    private static final Logger LOG = LoggerFactory.getLogger(UnknownHostWatch.class);
    static final Duration GRACE = Duration.ofSeconds(1);
    static final int MAX_WAITING = 10_000;
    static final long MAX_WAITING_BYTES = 8L << 20;

    private final String baseTopic;
    private final Inventory inventory;
    private final WorkerRegistry registry;
    private final CommandIntake intake;
    private final ScheduledExecutorService timer;
    private final ThrottledWarning dropped = new ThrottledWarning(LOG::warn,
            "Dropped a command for an unknown host unanswered: too many wait for their answer", Duration.ofSeconds(10),
            System::nanoTime);
    private int waiting;
    private long waitingBytes;

    public UnknownHostWatch(String baseTopic, Inventory inventory, WorkerRegistry registry, CommandIntake intake,
            ScheduledExecutorService timer) {
        this.baseTopic = baseTopic;
        this.inventory = inventory;
        this.registry = registry;
        this.intake = intake;
        this.timer = timer;
    }

    public void accept(Exchange exchange) {
        if (exchange.getMessage() instanceof PahoMqtt5Message mqtt && mqtt.getMqttMessage().isRetained()) {
            return;   // the owner, if any, warns about a retained command; nobody runs it
        }
        String topic = exchange.getMessage().getHeader("CamelMqttTopic", String.class);
        byte[] payload = exchange.getMessage().getBody(byte[].class);
        MqttProperties properties = exchange.getMessage().getHeader("CamelPahoMqtt5MsgProperties", MqttProperties.class);
        if (topic == null || owned(topic)) {
            return;
        }
        byte[] body = payload == null ? new byte[0] : payload;
        long bytes = 128L + topic.length() + body.length + dev.cubeguardian.mqtt.MqttSizes.of(properties);
        synchronized (this) {
            if (waiting >= MAX_WAITING || waitingBytes + bytes > MAX_WAITING_BYTES) {
                dropped.warn();
                return;
            }
            waiting++;
            waitingBytes += bytes;
        }
        try {
            timer.schedule(() -> answer(topic, body, properties, bytes), GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            release(bytes);
        }
    }

    private void answer(String topic, byte[] payload, MqttProperties properties, long bytes) {
        try {
            if (!owned(topic)) {
                intake.acceptUnowned(topic, payload, properties, () -> { });
            }
        } finally {
            release(bytes);
        }
    }

    private synchronized void release(long bytes) {
        waiting--;
        waitingBytes -= bytes;
    }

    /** This worker's own subscription answers its hosts; another worker's answers its. */
    private boolean owned(String topic) {
        String host = hostLevel(topic);
        return host != null && (inventory.host(host).isPresent() || registry.ownedElsewhere(host));
    }

    private String hostLevel(String topic) {
        if (!topic.startsWith(baseTopic + "/")) {
            return null;
        }
        String rest = topic.substring(baseTopic.length() + 1);
        int slash = rest.indexOf('/');
        return slash < 0 ? null : rest.substring(0, slash);
    }
}
