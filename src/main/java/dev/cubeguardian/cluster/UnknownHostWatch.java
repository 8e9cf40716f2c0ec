package dev.cubeguardian.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cubeguardian.cluster.HeldUnknownCommands.Held;
import dev.cubeguardian.command.CommandIntake;
import dev.cubeguardian.command.CommandParser;
import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.logging.ThrottledWarning;
import dev.cubeguardian.mqtt.MqttSizes;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Message;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a command for a host that no worker owns exactly once across all workers, even when
 * the worker that would answer it dies (route {@code unknown-hosts}). Every worker with an id
 * sees every command, every result and every worker's state on one connection. A command for a
 * host nobody announces is held; after a grace (a worker that has just subscribed may not have
 * announced its hosts yet) the first worker in {@link AnswerOrder} answers it {@code UNKNOWN_HOST}
 * (or on {@code bridge/error}), and the others let it go when they see that answer. If the first
 * dies first, its Last Will reaches the others after anything it published, and the next in
 * line answers what is still held. A worker whose retained {@code online} outlived it (a broker
 * restarted without its Will) is waited for {@link #PATIENCE} per rank, then passed over.
 */
public final class UnknownHostWatch {

    private static final Logger LOG = LoggerFactory.getLogger(UnknownHostWatch.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration GRACE = Duration.ofSeconds(1);
    // after a Will: what the dead worker published reaches us before it on Mosquitto; a broker
    // cluster may route the two through different nodes, so the next in line waits a moment
    static final Duration SETTLE = Duration.ofMillis(500);
    static final Duration PATIENCE = Duration.ofSeconds(10);
    static final Duration HOLD = Duration.ofMinutes(2);
    static final int MAX_WAITING = 10_000;
    static final long MAX_WAITING_BYTES = 8L << 20;
    // a command's payload is at most 4 KiB (larger is INVALID_COMMAND, whose answer has no id);
    // a result for a host nobody owns is an UNKNOWN_HOST or INVALID_COMMAND answer, well below this
    private static final int MAX_COMMAND_PARSED = 4096;
    private static final int MAX_RESULT_PARSED = 64 * 1024;

    private final String baseTopic;
    private final Inventory inventory;
    private final WorkerRegistry registry;
    private final CommandIntake intake;
    private final ScheduledExecutorService timer;
    private final LongSupplier nanoTime;
    private final AnswerOrder order;
    private final HeldUnknownCommands held = new HeldUnknownCommands(MAX_WAITING, MAX_WAITING_BYTES);
    private final ThrottledWarning dropped = new ThrottledWarning(LOG::warn,
            "Dropped a command for an unknown host unanswered: too many wait for their answer", Duration.ofSeconds(10),
            System::nanoTime);
    private final ThrottledWarning gaveUp = new ThrottledWarning(LOG::warn,
            "Gave up a command for an unknown host: no worker answered it within " + HOLD.toSeconds() + " s",
            Duration.ofSeconds(10), System::nanoTime);

    public UnknownHostWatch(String baseTopic, String ownId, Inventory inventory, WorkerRegistry registry,
            CommandIntake intake, ScheduledExecutorService timer) {
        this(baseTopic, ownId, inventory, registry, intake, timer, System::nanoTime);
    }

    UnknownHostWatch(String baseTopic, String ownId, Inventory inventory, WorkerRegistry registry,
            CommandIntake intake, ScheduledExecutorService timer, LongSupplier nanoTime) {
        this.baseTopic = baseTopic;
        this.inventory = inventory;
        this.registry = registry;
        this.intake = intake;
        this.timer = timer;
        this.nanoTime = nanoTime;
        this.order = new AnswerOrder(baseTopic, ownId);
    }

    public void accept(Exchange exchange) {
        String topic = exchange.getMessage().getHeader("CamelMqttTopic", String.class);
        if (topic == null) {
            return;
        }
        byte[] payload = exchange.getMessage().getBody(byte[].class);
        byte[] body = payload == null ? new byte[0] : payload;
        if (order.isWorkerState(topic)) {
            if (order.accept(topic, body)) {
                schedule(this::takeOver, SETTLE.toNanos());
            }
            return;
        }
        String[] levels = levels(topic);
        if (levels == null) {
            return;
        }
        if (levels[1].equals("result")) {
            if (held.hasAnswerTopic(topic)) {
                held.answered(topic, id(body, MAX_RESULT_PARSED));
            }
            return;
        }
        if (exchange.getMessage() instanceof PahoMqtt5Message mqtt && mqtt.getMqttMessage().isRetained()) {
            return;   // the owner, if any, warns about a retained command; nobody runs it
        }
        if (owned(levels[0])) {
            return;
        }
        MqttProperties properties = exchange.getMessage().getHeader("CamelPahoMqtt5MsgProperties", MqttProperties.class);
        long bytes = 128L + topic.length() + body.length + MqttSizes.of(properties);
        String resultTopic = CommandParser.HOST_ID.matcher(levels[0]).matches()
                ? baseTopic + "/" + levels[0] + "/result/" + levels[2] : null;
        long now = nanoTime.getAsLong();
        Held command = held.hold(topic, resultTopic, id(body, MAX_COMMAND_PARSED), body, properties, bytes,
                now + GRACE.toNanos(), now + HOLD.toNanos());
        if (command == null) {
            dropped.warn();
            return;
        }
        if (!schedule(() -> decide(command), GRACE.toNanos())) {
            held.take(command);
        }
    }

    /** Answers, waits for the workers ranked before this one, or lets go. Runs on the timer only. */
    private void decide(Held command) {
        if (!held.isHeld(command)) {
            return;   // answered by another worker, or taken over already
        }
        long now = nanoTime.getAsLong();
        String host = levels(command.topic())[0];
        if (owned(host)) {
            held.take(command);   // a worker announced it meanwhile: its own subscription answers it
            return;
        }
        if (now - command.holdEndsNanos() >= 0) {
            if (held.take(command)) {
                gaveUp.warn();
            }
            return;
        }
        int rank = order.rank();
        if (command.resultTopic() == null && rank > 0) {
            held.take(command);   // answered on bridge/error, which workers do not read: the first one's alone
            return;
        }
        long due = command.graceEndsNanos() + rank * PATIENCE.toNanos();
        if (now - due >= 0) {
            if (held.take(command)) {
                intake.acceptUnowned(command.topic(), command.payload(), command.properties(), () -> { });
            }
            return;
        }
        if (!schedule(() -> decide(command), Math.min(due, command.holdEndsNanos()) - now)) {
            held.take(command);
        }
    }

    /** A worker went offline: what it would have answered and has not may be this worker's now. */
    private void takeOver() {
        long now = nanoTime.getAsLong();
        for (Held command : held.snapshot()) {
            // one still in its grace is left to its own timer
            if (now - command.graceEndsNanos() >= 0) {
                decide(command);
            }
        }
    }

    private boolean schedule(Runnable task, long delayNanos) {
        try {
            timer.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException stopping) {
            return false;   // the worker stops: the others see its Will and answer what it held
        }
    }

    /** This worker's own subscription answers its hosts; another worker's answers its. */
    private boolean owned(String host) {
        return inventory.host(host).isPresent() || registry.ownedElsewhere(host);
    }

    /** {@code [host, "cmd" or "result", action]} for a topic right under the base, or null. */
    private String[] levels(String topic) {
        if (!topic.startsWith(baseTopic + "/")) {
            return null;
        }
        String[] levels = topic.substring(baseTopic.length() + 1).split("/", -1);
        if (levels.length != 3 || !(levels[1].equals("cmd") || levels[1].equals("result"))) {
            return null;
        }
        return levels;
    }

    /** The command id a command carries or a result echoes, when it is a valid one. */
    private static String id(byte[] json, int maxBytes) {
        if (json.length == 0 || json.length > maxBytes) {
            return null;
        }
        try {
            JsonNode id = JSON.readTree(json).path("id");
            return id.isTextual() && CommandParser.COMMAND_ID.matcher(id.asText()).matches() ? id.asText() : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    int heldCount() {
        return held.count();
    }
}
