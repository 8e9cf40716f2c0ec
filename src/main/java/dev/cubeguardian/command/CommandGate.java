package dev.cubeguardian.command;

import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.observe.WorkerMetrics;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;

/**
 * First and last step of route {@code cmd-run}, on the host's lane. {@link #admit} answers
 * what must not run (bad input, repeated ids, expired commands, actions the host cannot do)
 * and lets the rest through; {@link #finish} turns any outcome into the result to publish and
 * remembers it for duplicate detection.
 */
public final class CommandGate {

    private final Inventory inventory;
    private final CommandLedger ledger;
    private final ResultFactory results;
    private final Clock clock;
    private final WorkerMetrics metrics;

    public CommandGate(Inventory inventory, CommandLedger ledger, ResultFactory results, Clock clock, WorkerMetrics metrics) {
        this.metrics = metrics;
        this.inventory = inventory;
        this.ledger = ledger;
        this.results = results;
        this.clock = clock;
    }

    public void admit(Exchange exchange) {
        Admission admission = exchange.getMessage().getBody(Admission.class);
        exchange.setProperty(CommandExchange.REPLY, admission.replyAddress());
        if (admission instanceof Rejection rejection) {
            exchange.getMessage().setBody(rejection.outcome());
            return;
        }
        Command command = (Command) admission;
        if (!command.idGenerated()) {
            Optional<CommandResult> first = ledger.find(command.host(), command.action().wireName(), command.id());
            if (first.isPresent()) {
                exchange.getMessage().setBody(first.get().asDuplicate());
                return;
            }
        }
        if (clock.instant().isAfter(command.expiresAt())) {
            exchange.getMessage().setBody(Outcome.of(ResultCode.COMMAND_EXPIRED,
                    Outcome.details("expired_at", ResultFactory.TIMESTAMP.format(command.expiresAt()))));
            return;
        }
        if (command.action().needsSsh() && inventory.host(command.host()).orElseThrow().ssh().isEmpty()) {
            exchange.getMessage().setBody(Outcome.variant(ResultCode.UNKNOWN_ACTION, "no_ssh",
                    Map.of("action", command.action().wireName()), command.host(), command.action().wireName()));
            return;
        }
        if (command.action() == Action.IDLE && !inventory.host(command.host()).orElseThrow().idle().enabled()) {
            exchange.getMessage().setBody(Outcome.variant(ResultCode.UNKNOWN_ACTION, "no_idle",
                    Map.of("action", "idle"), inventory.host(command.host()).orElseThrow().displayName()));
            return;
        }
        exchange.setProperty(CommandExchange.COMMAND, command);
        exchange.getMessage().setHeader(CommandExchange.ACTION_HEADER, command.action().wireName());
        exchange.getMessage().setHeader(CommandExchange.HOST_HEADER, command.host());
    }

    /** The action as a metrics label: an action no command has is "other", whatever a client put in its topic. */
    static String metricsAction(String action) {
        return action == null ? "other" : Action.fromWireName(action).map(Action::wireName).orElse("other");
    }

    public CommandResult finish(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof CommandResult alreadyMade) {
            exchange.setProperty(CommandExchange.RESULT, alreadyMade);
            metrics.commandAnswered(metricsAction(alreadyMade.action()), alreadyMade.code(), 0);
            return alreadyMade;
        }
        CommandResult result = results.create(CommandExchange.reply(exchange), (Outcome) body);
        exchange.setProperty(CommandExchange.RESULT, result);
        metrics.commandAnswered(metricsAction(result.action()), result.code(), result.durationMs());
        Command command = CommandExchange.command(exchange);
        // BUSY is about the moment, not the command: the same id may be tried again later
        if (command != null && !command.idGenerated() && !ResultCode.BUSY.name().equals(result.code())) {
            ledger.record(command.host(), command.action().wireName(), command.id(), result);
        }
        return result;
    }

    /** The doCatch of {@code cmd-run}: a refusal keeps its own outcome, anything else is named by action. */
    public Outcome failed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure instanceof CommandRefusedException refused) {
            return refused.outcome();
        }
        Command command = CommandExchange.command(exchange);
        String reason = failure == null ? "unknown" : RootCause.message(failure);
        return switch (command.action()) {
            case WAKE -> Outcome.of(ResultCode.WOL_FAILED, Outcome.details("reason", reason),
                    inventory.host(command.host()).orElseThrow().mac().toString(), reason);
            case CHECK -> Outcome.of(ResultCode.PROBE_FAILED, Outcome.details("reason", reason),
                    inventory.host(command.host()).orElseThrow().displayName(), reason);
            default -> Outcome.of(ResultCode.INTERNAL_ERROR, Outcome.details("reason", reason), reason);
        };
    }

}
