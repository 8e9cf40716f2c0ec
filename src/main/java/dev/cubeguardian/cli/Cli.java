package dev.cubeguardian.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cubeguardian.client.Announcements;
import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The command-line client: {@code cubeguardian wake|shutdown|cancel|status ...}. It talks to the
 * worker only through the broker, exactly as any other MQTT client would (docs/mqtt-api.md).
 * Exit statuses are in {@link ExitCodes}; docs/cli.md has the user's view.
 */
public final class Cli {

    public static final Set<String> COMMANDS = Set.of("wake", "shutdown", "cancel", "status", "idle", "reboot");

    /** How long {@code status} waits for a retained info at most (it is there at once when a worker ever ran). */
    static final Duration STATUS_INFO_WAIT = Duration.ofSeconds(5);
    /** After the first info, how long {@code status} waits at most for other workers' infos and host states still missing. */
    static final Duration STATUS_SETTLE = Duration.ofSeconds(1);

    /** The help text, in the user's language. */
    static String usage(CliTexts texts) {
        return texts.get("usage", CliArguments.DEFAULT_BROKER, CliArguments.DEFAULT_BASE_TOPIC);
    }

    private Cli() {
    }

    /** @return the process exit status */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, System.getenv(), System.console() != null, ZoneId.systemDefault());
    }

    /** The same, with the environment, the terminal question and the time zone given (for tests). */
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, boolean terminal, ZoneId zone) {
        CliTexts texts = CliTexts.ENGLISH;
        CliArguments arguments;
        try {
            texts = CliTexts.from(env);
            arguments = CliArguments.parse(args, env, texts);
        } catch (CliFailure usage) {
            err.println("cubeguardian: " + usage.getMessage());
            err.println(texts.get("usage.try"));
            return usage.exitCode();
        }
        if (arguments.help()) {
            out.println(usage(texts));
            return ExitCodes.OK;
        }
        try {
            return arguments.isStatus() ? new Cli.Status(arguments, out, err, zone, texts).run()
                    : new Cli.Command(arguments, out, err, terminal, zone, texts).run();
        } catch (CliFailure failure) {
            err.println("cubeguardian: " + failure.getMessage());
            return failure.exitCode();
        } finally {
            out.flush();
            err.flush();
        }
    }

    static String requestedBy(String user) {
        String clean = user == null ? "" : user.replaceAll("\\p{Cntrl}", "");
        if (clean.isEmpty()) {
            clean = "unknown";
        }
        return "cli:" + (clean.length() > 124 ? clean.substring(0, 124) : clean);
    }

    static String commandPayload(String id, CliArguments arguments, String requestedBy) {
        ObjectNode payload = BrokerSession.JSON.createObjectNode();
        payload.put("id", id);
        if (arguments.command().equals("shutdown")) {
            payload.put("delay_minutes", arguments.delayMinutes());
            payload.put("force", arguments.force());
        }
        if (arguments.command().equals("reboot")) {
            payload.put("force", arguments.force());
        }
        if (arguments.command().equals("idle")) {
            payload.put("enabled", arguments.idleOn());
            if (arguments.idleForMinutes() != null) {
                payload.put("for_minutes", arguments.idleForMinutes());
            }
        }
        payload.put("requested_by", requestedBy);
        return payload.toString();
    }

    private static long deadline(Duration limit) {
        return System.nanoTime() + limit.toNanos();
    }

    /** wake, shutdown, cancel: publish one command, print its result, and with --wait follow it to its end. */
    private static final class Command {
        private final CliArguments arguments;
        private final PrintStream out;
        private final PrintStream err;
        private final CliTexts texts;
        private final ProgressLine line;
        private final String base;
        private final String host;
        private final String action;
        private final String id = "cli-" + UUID.randomUUID();
        private final List<JsonNode> earlyEvents = new ArrayList<>();
        /** Which workers announce which hosts, and which are offline: for the hint when no answer comes. */
        private final Announcements announced;

        Command(CliArguments arguments, PrintStream out, PrintStream err, boolean terminal, ZoneId zone, CliTexts texts) {
            this.arguments = arguments;
            this.out = out;
            this.err = err;
            this.texts = texts;
            this.line = new ProgressLine(out, terminal, zone, texts);
            this.base = arguments.baseTopic();
            this.host = arguments.host();
            this.action = arguments.command();
            this.announced = new Announcements(base);
        }

        int run() throws CliFailure {
            long deadline = deadline(arguments.timeout());
            String resultTopic = base + "/" + host + "/result/" + action;
            String eventTopic = base + "/" + host + "/event";
            try (BrokerSession session = BrokerSession.connect(arguments, arguments.timeout(), texts)) {
                // subscribed before the command goes out, so neither its result nor its first events can be missed
                List<String> filters = new ArrayList<>(List.of(resultTopic));
                filters.addAll(List.of(announced.filters()));
                if (arguments.follow()) {
                    filters.add(eventTopic);
                }
                session.subscribe(filters.toArray(String[]::new));
                // the command never outlives this wait: a worker that is away does not run it later
                session.publish(base + "/" + host + "/cmd/" + action,
                        commandPayload(id, arguments, requestedBy(System.getProperty("user.name"))),
                        Math.max(1, arguments.timeout().toSeconds()));
                JsonNode result = null;
                while (result == null) {
                    BrokerSession.Message message = session.next(deadline);
                    if (message == null) {
                        throw new CliFailure(ExitCodes.TIMEOUT, withWorkerHint(texts.get("command.no_answer", action, host,
                                arguments.timeout().toSeconds())));
                    }
                    if (announced.covers(message.topic())) {
                        announced.accept(message.topic(), message.payload());
                        continue;
                    }
                    JsonNode json = message.json();
                    if (message.topic().equals(resultTopic) && json != null && id.equals(json.path("id").asText(null))) {
                        result = json;
                    } else if (message.topic().equals(eventTopic) && json != null) {
                        earlyEvents.add(json);
                    }
                }
                String text = result.path("message").asText("");
                String code = result.path("code").asText("?");
                if (!result.path("success").asBoolean(false)) {
                    err.println("cubeguardian: " + text + " (" + code + ")");
                    if (code.equals("PLAYERS_ONLINE") || code.equals("PLAYERS_UNKNOWN")) {
                        err.println("cubeguardian: " + texts.get(action.equals("reboot") ? "command.add_force_reboot"
                                : "command.add_force"));
                    }
                    return ExitCodes.FAILED;
                }
                out.println(text);
                if (!arguments.follow()) {
                    return ExitCodes.OK;
                }
                return follow(session, eventTopic, deadline);
            }
        }

        /** The problem, and why when the announcements say: the host's workers are offline, or none ever announced itself. */
        private String withWorkerHint(String problem) {
            return WorkerHint.of(problem, announced, host, base, texts);
        }

        /** Follows progress events until the completed event of the followed operation. */
        private int follow(BrokerSession session, String eventTopic, long deadline) throws CliFailure {
            // a wake while another wake is under way joins it: its events carry the first wake's id
            String followed = action.equals("wake") ? null : id;
            List<JsonNode> pending = new ArrayList<>(earlyEvents);
            while (true) {
                JsonNode event;
                if (!pending.isEmpty()) {
                    event = pending.remove(0);
                } else {
                    BrokerSession.Message message = session.next(deadline);
                    if (message == null) {
                        line.interrupt();
                        throw new CliFailure(ExitCodes.TIMEOUT, withWorkerHint(texts.get("command.gave_up",
                                arguments.timeout().toSeconds(), action, host)));
                    }
                    if (announced.covers(message.topic())) {
                        announced.accept(message.topic(), message.payload());
                        continue;
                    }
                    event = message.topic().equals(eventTopic) ? message.json() : null;
                }
                if (event == null) {
                    continue;
                }
                String type = event.path("type").asText("");
                if (!(type.equals("progress") || type.equals("completed")) || !action.equals(event.path("action").asText())) {
                    continue;
                }
                String eventId = event.path("id").asText("");
                if (followed == null) {
                    followed = eventId;
                    if (!eventId.equals(id)) {
                        line.show(texts.get("progress.joining", host, eventId));
                    }
                }
                if (!followed.equals(eventId)) {
                    String phase = event.path("phase").asText("");
                    if (action.equals("shutdown") && (phase.equals("command_sent") || phase.equals("scheduled"))) {
                        line.finish(texts.get("progress.replaced", host, eventId));
                        return ExitCodes.FAILED;
                    }
                    continue;
                }
                if (type.equals("progress")) {
                    line.progress(event);
                } else {
                    line.completed(event);
                    return event.path("success").asBoolean(false) ? ExitCodes.OK : ExitCodes.FAILED;
                }
            }
        }
    }

    /** status [host]: every worker's announcements (v1 bridge/info, v1.1 bridge/workers/+/info) plus the retained host states. */
    private static final class Status {
        private final CliArguments arguments;
        private final PrintStream out;
        private final PrintStream err;
        private final ZoneId zone;
        private final CliTexts texts;

        Status(CliArguments arguments, PrintStream out, PrintStream err, ZoneId zone, CliTexts texts) {
            this.arguments = arguments;
            this.out = out;
            this.err = err;
            this.zone = zone;
            this.texts = texts;
        }

        int run() throws CliFailure {
            String base = arguments.baseTopic();
            Duration infoWait = arguments.timeout().compareTo(STATUS_INFO_WAIT) < 0 ? arguments.timeout() : STATUS_INFO_WAIT;
            RetainedView view;
            try (BrokerSession session = BrokerSession.connect(arguments, arguments.timeout(), texts)) {
                view = RetainedView.read(session, base, infoWait, STATUS_SETTLE, texts);
            }
            Announcements announced = view.announced;
            List<JsonNode> hosts = announced.hosts();
            List<String> ids = new ArrayList<>(view.hostIds());
            if (arguments.host() == null) {
                warn(WorkersReport.warning(announced, ids, base, texts));
                ObjectNode union = BrokerSession.JSON.createObjectNode();
                union.putArray("hosts").addAll(hosts);
                StatusReport.table(union, view.states, zone, texts).forEach(out::println);
                if (WorkersReport.shown(announced)) {
                    WorkersReport.section(announced.workers(), texts).forEach(out::println);
                }
                return ExitCodes.OK;
            }
            for (JsonNode host : hosts) {
                if (arguments.host().equals(host.path("id").asText())) {
                    warn(WorkersReport.warning(announced, List.of(arguments.host()), base, texts));
                    String owners = WorkersReport.shown(announced)
                            ? WorkersReport.owners(announced.owners(arguments.host()), texts) : null;
                    StatusReport.details(host, view.states.get(arguments.host()), owners, zone, texts).forEach(out::println);
                    return ExitCodes.OK;
                }
            }
            warn(WorkersReport.warning(announced, List.of(), base, texts));
            throw new CliFailure(ExitCodes.FAILED, texts.get("status.unknown_host", arguments.host(),
                    WorkerHint.named(ids, texts)));
        }

        private void warn(String warning) {
            if (warning != null) {
                err.println("cubeguardian: " + warning);
            }
        }
    }
}
