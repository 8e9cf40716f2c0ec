package dev.cubeguardian.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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

    public static final Set<String> COMMANDS = Set.of("wake", "shutdown", "cancel", "status");

    /** How long {@code status} waits for the retained bridge/info at most (it is there at once when a worker ever ran). */
    static final Duration STATUS_INFO_WAIT = Duration.ofSeconds(5);
    /** After bridge/info, how long {@code status} waits for host states still missing. */
    static final Duration STATUS_SETTLE = Duration.ofSeconds(1);

    static final String USAGE = String.join("\n",
            "Usage: cubeguardian <command> [options]",
            "",
            "Commands:",
            "  wake <host> [--wait]                         send the host's Wake-on-LAN packets",
            "  shutdown <host> [--delay N] [--force] [--wait]",
            "                                               shut the host down, now or in N minutes (0..1440)",
            "  cancel <host>                                cancel a scheduled shutdown",
            "  status [<host>]                              all hosts as a table, or one host's details",
            "",
            "Options:",
            "  --wait                 follow the wake/shutdown until it completes",
            "  --delay N              shutdown in N minutes (default 0: now)",
            "  --force                shutdown even when players are online",
            "  --broker URL           broker URL (env CUBEGUARDIAN_MQTT_URL, default " + CliArguments.DEFAULT_BROKER + ")",
            "  --username NAME        broker user (env CUBEGUARDIAN_MQTT_USERNAME)",
            "  --password-file PATH   file holding the broker password (env CUBEGUARDIAN_MQTT_PASSWORD_FILE)",
            "  --ca-file PATH         PEM CA certificates for ssl:// (env CUBEGUARDIAN_MQTT_CA_FILE)",
            "  --base-topic TOPIC     base topic (env CUBEGUARDIAN_BASE_TOPIC, default " + CliArguments.DEFAULT_BASE_TOPIC + ")",
            "  --timeout SECONDS      give up after this long (default 30; with --wait 900 plus the delay)",
            "  -h, --help             this help",
            "",
            "Exit status: 0 ok, 1 command failed or completed unsuccessfully, 2 usage error,",
            "             3 timeout or broker unreachable.");

    private Cli() {
    }

    /** @return the process exit status */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, System.getenv(), System.console() != null, ZoneId.systemDefault());
    }

    /** The same, with the environment, the terminal question and the time zone given (for tests). */
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, boolean terminal, ZoneId zone) {
        CliArguments arguments;
        try {
            arguments = CliArguments.parse(args, env);
        } catch (CliFailure usage) {
            err.println("cubeguardian: " + usage.getMessage());
            err.println("Try 'cubeguardian --help'.");
            return usage.exitCode();
        }
        if (arguments.help()) {
            out.println(USAGE);
            return ExitCodes.OK;
        }
        try {
            return arguments.isStatus() ? new Cli.Status(arguments, out, err, zone).run()
                    : new Cli.Command(arguments, out, err, terminal, zone).run();
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
        private final ProgressLine line;
        private final String base;
        private final String host;
        private final String action;
        private final String id = "cli-" + UUID.randomUUID();
        private final List<JsonNode> earlyEvents = new ArrayList<>();
        private String bridgeState;

        Command(CliArguments arguments, PrintStream out, PrintStream err, boolean terminal, ZoneId zone) {
            this.arguments = arguments;
            this.out = out;
            this.err = err;
            this.line = new ProgressLine(out, terminal, zone);
            this.base = arguments.baseTopic();
            this.host = arguments.host();
            this.action = arguments.command();
        }

        int run() throws CliFailure {
            long deadline = deadline(arguments.timeout());
            String resultTopic = base + "/" + host + "/result/" + action;
            String eventTopic = base + "/" + host + "/event";
            String bridgeTopic = base + "/bridge/state";
            try (BrokerSession session = BrokerSession.connect(arguments, arguments.timeout())) {
                // subscribed before the command goes out, so neither its result nor its first events can be missed
                session.subscribe(arguments.follow() ? new String[] {resultTopic, bridgeTopic, eventTopic}
                        : new String[] {resultTopic, bridgeTopic});
                // the command never outlives this wait: a worker that is away does not run it later
                session.publish(base + "/" + host + "/cmd/" + action,
                        commandPayload(id, arguments, requestedBy(System.getProperty("user.name"))),
                        Math.max(1, arguments.timeout().toSeconds()));
                JsonNode result = null;
                while (result == null) {
                    BrokerSession.Message message = session.next(deadline);
                    if (message == null) {
                        throw new CliFailure(ExitCodes.TIMEOUT, "no answer to " + action + " " + host + " within "
                                + arguments.timeout().toSeconds() + " s" + workerHint());
                    }
                    JsonNode json = message.json();
                    if (message.topic().equals(bridgeTopic)) {
                        bridgeState = message.text();
                    } else if (message.topic().equals(resultTopic) && json != null && id.equals(json.path("id").asText(null))) {
                        result = json;
                    } else if (message.topic().equals(eventTopic) && json != null) {
                        earlyEvents.add(json);
                    }
                }
                String text = result.path("message").asText("");
                String code = result.path("code").asText("?");
                if (!result.path("success").asBoolean(false)) {
                    err.println("cubeguardian: " + text + " (" + code + ")");
                    if (code.equals("PLAYERS_ONLINE")) {
                        err.println("cubeguardian: add --force to shut it down anyway");
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

        private String workerHint() {
            if ("offline".equals(bridgeState)) {
                return ": the worker is offline (" + base + "/bridge/state says offline)";
            }
            if (bridgeState == null) {
                return ": no worker has announced itself on " + base + "/bridge/state";
            }
            return "";
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
                        throw new CliFailure(ExitCodes.TIMEOUT, "gave up after " + arguments.timeout().toSeconds()
                                + " s: the " + action + " of " + host + " has not completed" + workerHint());
                    }
                    if (message.topic().equals(base + "/bridge/state")) {
                        bridgeState = message.text();
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
                        line.show(host + ": joining the wake already under way (" + eventId + ")");
                    }
                }
                if (!followed.equals(eventId)) {
                    String phase = event.path("phase").asText("");
                    if (action.equals("shutdown") && (phase.equals("command_sent") || phase.equals("scheduled"))) {
                        line.finish(host + ": replaced by a newer shutdown (" + eventId + ")");
                        return ExitCodes.FAILED;
                    }
                    continue;
                }
                if (type.equals("progress")) {
                    line.progress(event);
                } else {
                    line.finish(ProgressLine.completed(event));
                    return event.path("success").asBoolean(false) ? ExitCodes.OK : ExitCodes.FAILED;
                }
            }
        }
    }

    /** status [host]: bridge/info plus the retained host states. */
    private static final class Status {
        private final CliArguments arguments;
        private final PrintStream out;
        private final PrintStream err;
        private final ZoneId zone;

        Status(CliArguments arguments, PrintStream out, PrintStream err, ZoneId zone) {
            this.arguments = arguments;
            this.out = out;
            this.err = err;
            this.zone = zone;
        }

        int run() throws CliFailure {
            String base = arguments.baseTopic();
            String infoTopic = base + "/bridge/info";
            String bridgeTopic = base + "/bridge/state";
            Duration infoWait = arguments.timeout().compareTo(STATUS_INFO_WAIT) < 0 ? arguments.timeout() : STATUS_INFO_WAIT;
            JsonNode info = null;
            String bridgeState = null;
            Map<String, JsonNode> states = new HashMap<>();
            try (BrokerSession session = BrokerSession.connect(arguments, arguments.timeout())) {
                // <base>/+/state also matches <base>/bridge/state
                session.subscribe(infoTopic, base + "/+/state");
                long deadline = deadline(infoWait);
                long settle = Long.MAX_VALUE;
                while (true) {
                    if (info != null && states.keySet().containsAll(hostIds(info))) {
                        break;
                    }
                    BrokerSession.Message message = session.next(Math.min(deadline, settle));
                    if (message == null) {
                        if (info == null) {
                            throw new CliFailure(ExitCodes.TIMEOUT, "no CubeGuardian worker has announced itself under '" + base
                                    + "' (no retained " + infoTopic + " within " + infoWait.toSeconds() + " s)");
                        }
                        break; // some hosts have no state yet
                    }
                    if (message.topic().equals(infoTopic)) {
                        JsonNode json = message.json();
                        if (json != null && json.path("hosts").isArray()) {
                            info = json;
                            settle = deadline(STATUS_SETTLE);
                        }
                    } else if (message.topic().equals(bridgeTopic)) {
                        bridgeState = message.text();
                    } else {
                        JsonNode json = message.json();
                        if (json != null && json.hasNonNull("state")) {
                            String hostId = message.topic().substring(base.length() + 1, message.topic().length() - "/state".length());
                            states.put(hostId, json);
                        }
                    }
                }
            }
            if ("offline".equals(bridgeState)) {
                err.println("cubeguardian: warning: the worker is offline (" + bridgeTopic
                        + " says offline): these states may be out of date");
            }
            if (arguments.host() == null) {
                StatusReport.table(info, states, zone).forEach(out::println);
                return ExitCodes.OK;
            }
            for (JsonNode host : info.path("hosts")) {
                if (arguments.host().equals(host.path("id").asText())) {
                    StatusReport.details(host, states.get(arguments.host()), zone).forEach(out::println);
                    return ExitCodes.OK;
                }
            }
            throw new CliFailure(ExitCodes.FAILED, "unknown host '" + arguments.host() + "' (known: "
                    + String.join(", ", hostIds(info)) + ")");
        }

        private static List<String> hostIds(JsonNode info) {
            Map<String, Boolean> ids = new LinkedHashMap<>();
            info.path("hosts").forEach(h -> ids.put(h.path("id").asText(), true));
            return new ArrayList<>(ids.keySet());
        }
    }
}
