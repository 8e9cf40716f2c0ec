package dev.cubeguardian.command;

import dev.cubeguardian.logging.LogText;
import dev.cubeguardian.logging.ThrottledWarning;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Message;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on Paho's callback thread, so it only parses and queues: every command goes to its
 * host's lane and rejections to a shared lane, where route {@code cmd-run} answers them.
 * Nothing here waits for the network.
 */
public final class CommandIntake {

    private static final Logger LOG = LoggerFactory.getLogger(CommandIntake.class);
    /** Lane for answers that belong to no host lane; hosts ids cannot contain a space. */
    static final String REJECTIONS_LANE = " rejections";
    /** Exchange property: acknowledges the MQTT message to the broker (set by the worker's MQTT consumer). */
    public static final String ACKNOWLEDGE = "CubeGuardianAcknowledge";
    private static final Runnable NO_ACK = () -> { };
    /** Rejections are cheap to answer, so their lane may hold many more than a host's. */
    static final int MAX_QUEUED_REJECTIONS = 10_000;
    /** Repeats waiting for their first command: their reply addresses, at most this many bytes in all. */
    static final long MAX_REPEAT_BYTES = 1L << 20;
    /** Checks waiting for their host's next probe: per host, and the bytes of all of them. */
    static final int MAX_CHECKS_PER_HOST = 10_000;
    static final long MAX_CHECK_BYTES = 16L << 20;

    private final CommandParser parser;
    private final CommandLedger ledger;
    private final RepeatWaiters waiters = new RepeatWaiters(MAX_REPEAT_BYTES);
    private final CommandIds ids;
    private final HostLanes lanes;
    private final CheckRounds checks;
    private final ProducerTemplate template;
    private volatile Claims claims = (topic, payload, properties) -> true;

    /** Which copy of a message is the first to be answered, in a share group (see cluster/CommandWitness). */
    @FunctionalInterface
    public interface Claims {
        /** False when this message was already taken over: it must not be answered again. */
        boolean firstClaim(String topic, byte[] payload, MqttProperties properties);
    }

    public void claimsFrom(Claims claims) {
        this.claims = claims;
    }
    private final ThrottledWarning droppedAnswer = new ThrottledWarning(LOG::warn,
            "Dropped the answer to a rejected command: too many answers are waiting", java.time.Duration.ofSeconds(10),
            System::nanoTime);
    private final ThrottledWarning droppedRepeat = new ThrottledWarning(LOG::warn,
            "Too many repeats wait for their first command: a repeat's own MQTT 5 reply was dropped"
                    + " (the first command's result still answers it on the result topic)",
            java.time.Duration.ofSeconds(10), System::nanoTime);
    // a flood of bad commands must not become a flood of log lines: one per period, counted
    private final ThrottledWarning rejectedLine = ThrottledWarning.lines(LOG::info, java.time.Duration.ofSeconds(10));
    private final ThrottledWarning retainedLine = ThrottledWarning.lines(LOG::warn, java.time.Duration.ofSeconds(10));

    /**
     * @param checkProbe probes a host once for a round of checks (see {@link CheckRounds}); returns
     *                   what route {@code cmd-check} makes each check's answer from, a failure too
     */
    public CommandIntake(CommandParser parser, CommandIds ids, HostLanes lanes, CommandLedger ledger,
            ProducerTemplate template, java.util.function.Function<String, Object> checkProbe) {
        // the round's answers go out after its one commit: none is seen before it is on disk
        this.checks = new CheckRounds(lanes, checkProbe, this::answerCheck,
                work -> dev.cubeguardian.mqtt.MqttOut.publishAfter(() -> ledger.inOneCommit(work)), MAX_CHECKS_PER_HOST,
                MAX_CHECK_BYTES);
        this.ledger = ledger;
        this.parser = parser;
        this.ids = ids;
        this.lanes = lanes;
        this.template = template;
    }

    /**
     * The broker's copy of a command is acknowledged only once the command is answered (the
     * consumer runs with manual acks): a worker killed with commands still queued gets them
     * again from its session when it comes back.
     */
    public void accept(Exchange exchange) {
        Runnable ack = exchange.getProperty(ACKNOWLEDGE, NO_ACK, Runnable.class);
        try {
            admit(exchange, ack);
        } catch (RuntimeException unexpected) {
            // a parser bug must not cost the worker its subscription: answer it and carry on
            LOG.error("Could not take a command off the broker", unexpected);
            ReplyAddress reply = new ReplyAddress(null, "", ids.next(), System.nanoTime(), null, null);
            queueRejection(new Rejection(reply, Outcome.of(ResultCode.INTERNAL_ERROR,
                    Map.of("reason", String.valueOf(unexpected.getMessage())), unexpected.getClass().getSimpleName())), ack);
        }
    }

    private void admit(Exchange exchange, Runnable ack) {
        String topic = exchange.getMessage().getHeader("CamelMqttTopic", String.class);
        byte[] payload = exchange.getMessage().getBody(byte[].class);
        MqttProperties properties = exchange.getMessage().getHeader("CamelPahoMqtt5MsgProperties", MqttProperties.class);
        if (exchange.getMessage() instanceof PahoMqtt5Message mqtt && mqtt.getMqttMessage().isRetained()) {
            // a retained command is an old one the broker replays on every subscribe: running it
            // would repeat a wake or a shutdown after each reconnect
            String shown = LogText.of(topic);
            retainedLine.warn("Ignored a retained command on " + shown + ": commands must be published without retain;"
                    + " clear it with: mosquitto_pub -r -n -t '" + shown + "'");
            ack.run();
            return;
        }
        if (!claims.firstClaim(topic, payload, properties)) {
            // a share group's new active worker already took this very message over from the
            // witness (see cluster/CommandWitness): this copy is the same command, answered once
            LOG.debug("Command on {} was already taken over: not run twice", LogText.of(topic));
            ack.run();
            return;
        }
        admit(parser.parse(topic, payload, properties), topic, ack);
    }

    /**
     * A command the broker gave to no one alive, taken over by a share group's new active worker
     * from what it witnessed: answered as if it had just arrived, its time to live counted from
     * when it was seen. Nothing is acknowledged (the witness's own copy already was).
     */
    public void takeOver(String topic, byte[] payload, MqttProperties properties, java.time.Instant seenAt, long seenNanos) {
        try {
            admit(parser.parse(topic, payload, properties, seenAt, seenNanos), topic, NO_ACK);
        } catch (RuntimeException unexpected) {
            LOG.error("Could not take over a command", unexpected);
        }
    }

    /** Answers a command for a host that no worker owns (cluster/UnknownHostWatch): the parser rejects it. */
    public void acceptUnowned(String topic, byte[] payload, MqttProperties properties, Runnable ack) {
        try {
            admit(parser.parse(topic, payload, properties), topic, ack);
        } catch (RuntimeException unexpected) {
            LOG.error("Could not answer a command for an unknown host", unexpected);
            ack.run();
        }
    }

    private void admit(Admission admission, String topic, Runnable ack) {
        if (admission instanceof Command command) {
            admitCommand(command, ack);
        } else {
            Rejection rejection = (Rejection) admission;
            rejectedLine.warn("Rejected command on " + LogText.of(topic) + ": " + rejection.outcome().messageKey());
            queueRejection(rejection, ack);
        }
    }

    private void admitCommand(Command command, Runnable ack) {
        logReceived(command);
        if (command.idGenerated()) {
            queueOnLane(command, ack);
            return;
        }
        // once the first is answered, a repeat is answered again (duplicate) from the shared lane:
        // it must not take a place in the host's lane, which retries after an outage could fill
        if (ledger.contains(command.host(), command.action().wireName(), command.id())) {
            if (!lanes.submit(REJECTIONS_LANE, () -> run(command, answered -> ack.run()), MAX_QUEUED_REJECTIONS)) {
                ack.run();
            }
            return;
        }
        String key = command.host() + '\u0000' + command.action().wireName() + '\u0000' + command.id();
        if (!waiters.begin(key)) {
            // a repeat of a command still waiting or running: that command's result answers it
            LOG.debug("Command {} {} id={} is already waiting or running: its result answers this repeat",
                    command.action().wireName(), command.host(), command.id());
            if (!waiters.add(key, new RepeatWaiters.Repeat(command.replyAddress(), ack))) {
                droppedRepeat.warn();
                ack.run();
            }
            return;
        }
        Consumer<CommandResult> answered = result -> {
            for (RepeatWaiters.Repeat repeat : waiters.end(key)) {
                answerRepeat(repeat, result);
            }
            ack.run();
        };
        if (!queue(command, answered)) {
            waiters.end(key).forEach(repeat -> repeat.acknowledge().run());
            queueBusy(command, ack);
        }
    }

    private void queueOnLane(Command command, Runnable ack) {
        if (!queue(command, answered -> ack.run())) {
            queueBusy(command, ack);
        }
    }

    /** A check joins its host's next round of checks; anything else takes a place in the host's lane. */
    private boolean queue(Command command, Consumer<CommandResult> answered) {
        if (command.action() == Action.CHECK) {
            return checks.add(command, answered);
        }
        return lanes.submit(command.host(), () -> run(command, answered));
    }

    private void answerCheck(Command check, Object probe, boolean first, Consumer<CommandResult> answered) {
        run(check, answered, exchange -> {
            exchange.setProperty(CommandExchange.SHARED_PROBE, probe);
            exchange.setProperty(CommandExchange.SHARED_PROBE_FIRST, first);
        });
    }

    private void queueBusy(Command command, Runnable ack) {
        int queued = command.action() == Action.CHECK ? checks.waiting(command.host()) : lanes.queued(command.host());
        Rejection busy = new Rejection(command.replyAddress(), Outcome.of(ResultCode.BUSY, Map.of("queued", queued), command.host()));
        queueRejection(busy, ack);
    }

    /** A repeat with an MQTT 5 response topic gets the first command's result there, marked as a repeat. */
    private void answerRepeat(RepeatWaiters.Repeat repeat, CommandResult first) {
        try {
            ReplyAddress reply = repeat.reply();
            if (first != null && reply.responseTopic() != null && !reply.responseTopic().isEmpty()) {
                template.send("direct:result-reply", e -> {
                    e.setProperty(CommandExchange.REPLY, reply);
                    e.setProperty(CommandExchange.RESULT, first.asDuplicate());
                });
            }
        } finally {
            repeat.acknowledge().run();
        }
    }

    /**
     * Commands that change a host are the audit trail (who woke or stopped it); a check changes
     * nothing and a dashboard may send one every few seconds, so it is logged at DEBUG only.
     */
    private static void logReceived(Command command) {
        if (command.action() == Action.CHECK) {
            LOG.debug("Command check {} id={} requested_by={}", command.host(), command.id(), LogText.of(command.requestedBy()));
        } else {
            LOG.info("Command {} {} id={} requested_by={}", command.action().wireName(), command.host(),
                    command.id(), LogText.of(command.requestedBy()));
        }
    }

    private void queueRejection(Rejection rejection, Runnable ack) {
        if (!lanes.submit(REJECTIONS_LANE, () -> run(rejection, answered -> ack.run()), MAX_QUEUED_REJECTIONS)) {
            // only a flood fills this lane; answering it would make the flood worse
            droppedAnswer.warn();
            ack.run();
        }
    }

    /** Answers one admission through route cmd-run, then hands its result (null if none) on. */
    private void run(Admission admission, Consumer<CommandResult> answered) {
        run(admission, answered, exchange -> { });
    }

    private void run(Admission admission, Consumer<CommandResult> answered, Consumer<Exchange> prepare) {
        CommandResult result = null;
        try {
            Exchange done = template.send("direct:command", e -> {
                e.getMessage().setBody(admission);
                prepare.accept(e);
            });
            if (done.getException() != null) {
                LOG.error("Command {} was not answered", admission.replyAddress().id(), done.getException());
            }
            result = done.getProperty(CommandExchange.RESULT, CommandResult.class);
        } finally {
            answered.accept(result);
        }
    }
}
