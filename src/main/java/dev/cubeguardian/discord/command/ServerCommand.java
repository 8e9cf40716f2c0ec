package dev.cubeguardian.discord.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cubeguardian.discord.Card;
import dev.cubeguardian.discord.Cooldowns;
import dev.cubeguardian.discord.Permissions;
import dev.cubeguardian.discord.ProgressRenderer;
import dev.cubeguardian.discord.Texts;
import dev.cubeguardian.discord.bus.BrokerUnavailableException;
import dev.cubeguardian.discord.bus.BusMessage;
import dev.cubeguardian.discord.bus.CommandBus;
import dev.cubeguardian.discord.bus.HostInfo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One {@code /server} subcommand. {@link #handle} runs the checks every command shares
 * (permission, host, cooldown), acknowledges, then {@link #execute}s. Runs on the bot's
 * executor, never on JDA's event thread.
 */
public abstract class ServerCommand {

    public static final String OPTION_HOST = "host";

    protected final BotContext context;

    protected ServerCommand(BotContext context) {
        this.context = context;
    }

    /** The subcommand name, also the key of its texts. */
    public abstract String name();

    public abstract Permissions.Action permission();

    /**
     * The action a host must announce in {@code bridge/info}'s capabilities for this command to
     * be offered on it; null when every host is offered (the worker answers for the others).
     */
    public String capability() {
        return null;
    }

    /** The hosts this member may use this command on: announced, capable, and allowed by the settings. */
    public final List<HostInfo> usableHosts(List<HostInfo> hosts, String userId, java.util.Set<String> roleIds) {
        return hosts.stream().filter(h -> capability() == null || h.can(capability()))
                .filter(h -> context.permissions().allows(permission(), h.id(), userId, roleIds)).toList();
    }

    /** What is wrong with the request's own options, said to the user; null when nothing is. */
    protected String problem(Request request, Texts texts) {
        return null;
    }

    /** Whether it publishes a command (and so counts against the cooldown). */
    protected boolean publishes() {
        return true;
    }

    /**
     * @param ranNothing to call before showing a card that says nothing ran (nothing could be
     *        sent, or the worker refused because players are online): it gives the cooldown turn
     *        back, so the retry or the Stop anyway the card invites is not refused
     */
    protected abstract void execute(Request request, HostInfo host, Texts texts, Responder out, Runnable ranNothing)
            throws InterruptedException;

    public final void handle(Request request, Responder out) {
        Texts texts = Texts.of(request.locale());
        if (!context.permissions().allowsSomewhere(permission(), request.userId(), request.roleIds())) {
            out.deny(texts.get("deny.permission", texts.get("action." + name())));
            return;
        }
        List<HostInfo> announced = context.bus().hosts();
        Resolution resolution = resolveHost(usableHosts(announced, request.userId(), request.roleIds()), request.host(),
                context.mainHost());
        if (resolution.host() == null) {
            out.deny(refusal(texts, resolution, announced, request));
            return;
        }
        String problem = problem(request, texts);
        if (problem != null) {
            out.deny(problem);
            return;
        }
        Runnable ranNothing = () -> { };
        if (publishes()) {
            Cooldowns.Turn turn = context.cooldowns().take(request.userId());
            if (!turn.taken()) {
                out.deny(texts.get("deny.cooldown", texts.duration(turn.remaining().plusMillis(999))));
                return;
            }
            ranNothing = () -> context.cooldowns().giveBack(turn);
        }
        out.acknowledge();
        try {
            execute(request, resolution.host(), texts, out, ranNothing);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Why a host typed by hand (past the autocomplete) is not one this member may use: it exists
     * but the settings do not let them, or it does not offer this action. Otherwise the resolution's own text.
     */
    private String refusal(Texts texts, Resolution resolution, List<HostInfo> announced, Request request) {
        String typed = request.host() == null ? "" : request.host().trim();
        String action = texts.get("action." + name());
        if (!typed.isEmpty()) {
            Optional<HostInfo> known = announced.stream().filter(h -> h.id().equals(typed)).findFirst();
            if (known.isPresent()) {
                return capability() != null && !known.get().can(capability())
                        ? texts.get("deny.not_offered", action, known.get().name())
                        : texts.get("deny.permission_host", action, known.get().name());
            }
            return texts.get(announced.isEmpty() ? "deny.no_hosts" : "deny.unknown_host", typed);
        }
        if (resolution.problem().equals("deny.no_hosts") && !announced.isEmpty()) {
            return texts.get("deny.no_usable_host", action);
        }
        return texts.get(resolution.problem(), resolution.argument());
    }

    /** The host the command is for, or the key of the text that says why there is none. */
    public record Resolution(HostInfo host, String problem, String argument) {
    }

    public static Resolution resolveHost(List<HostInfo> hosts, String option, String mainHost) {
        if (option != null && !option.isBlank()) {
            return hosts.stream().filter(h -> h.id().equals(option.trim())).findFirst()
                    .map(h -> new Resolution(h, null, null))
                    .orElseGet(() -> new Resolution(null, hosts.isEmpty() ? "deny.no_hosts" : "deny.unknown_host",
                            option.trim()));
        }
        if (hosts.isEmpty()) {
            return new Resolution(null, "deny.no_hosts", "");
        }
        if (hosts.size() == 1) {
            return new Resolution(hosts.get(0), null, null);
        }
        Optional<HostInfo> main = hosts.stream().filter(h -> h.id().equals(mainHost)).findFirst();
        return main.map(h -> new Resolution(h, null, null)).orElseGet(() -> new Resolution(null, "deny.choose_host",
                hosts.stream().map(HostInfo::id).collect(Collectors.joining(", "))));
    }

    protected static ObjectNode payload(String id) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("id", id);
        return payload;
    }

    protected static void requestedBy(ObjectNode payload, String userId) {
        payload.put("requested_by", "discord:" + userId);
    }

    /**
     * Publishes and follows one command to its end: the result, then (for wakes and shutdowns)
     * its events, showing the card after every step.
     */
    protected void follow(HostInfo host, String action, ObjectNode payload, ProgressRenderer renderer, Responder out,
            Runnable ranNothing) throws InterruptedException {
        CommandBus bus = context.bus();
        String id = payload.get("id").asText();
        try (CommandBus.Watch watch = bus.watch(host.id())) {
            out.show(renderer.sending(id));
            try {
                bus.publish(host.id(), action, payload);
            } catch (BrokerUnavailableException e) {
                ranNothing.run();
                out.show(renderer.unavailable(e.brokerDown()));
                return;
            }
            Instant resultDeadline = Instant.now().plus(context.resultTimeout());
            BusMessage.Result result = null;
            while (result == null) {
                BusMessage message = watch.next(resultDeadline);
                if (message == null) {
                    out.show(renderer.resultTimeout(context.resultTimeout()));
                    return;
                }
                if (message instanceof BusMessage.Result r && r.action().equals(action) && id.equals(r.id())) {
                    result = r;
                }
            }
            String code = result.json().path("code").asText("");
            if (code.equals("PLAYERS_ONLINE") || code.equals("PLAYERS_UNKNOWN")) {
                ranNothing.run();
            }
            out.show(renderer.onResult(result.json()));
            Instant followDeadline = Instant.now().plus(context.followTimeout());
            while (!renderer.finished()) {
                BusMessage message = watch.next(followDeadline);
                if (message == null) {
                    out.show(renderer.followTimeout(context.followTimeout()));
                    return;
                }
                if (message instanceof BusMessage.Event event) {
                    JsonNode state = null;
                    if (event.type().equals("completed") && event.json().path("code").asText().equals("ONLINE")) {
                        state = awaitOnlineState(watch, host.id());
                    }
                    Card card = renderer.onEvent(event.json(), state);
                    if (card != null) {
                        out.show(card);
                    }
                }
            }
        }
    }

    /** The state message that follows a wake's completion (briefly awaited), else the retained one. */
    private JsonNode awaitOnlineState(CommandBus.Watch watch, String host) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(3);
        BusMessage message;
        while ((message = watch.next(deadline)) != null) {
            if (message instanceof BusMessage.State state && state.state().equals("online")) {
                return state.json();
            }
        }
        return context.bus().state(host).orElse(null);
    }
}
