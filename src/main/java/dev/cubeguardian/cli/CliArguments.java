package dev.cubeguardian.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed command line. Options win over the CUBEGUARDIAN_* environment variables, which win
 * over the defaults. Every problem is a {@link CliFailure} with {@link ExitCodes#USAGE}.
 */
record CliArguments(
        String command,
        String host,
        boolean help,
        String brokerUrl,
        String username,
        Path passwordFile,
        Path caFile,
        String baseTopic,
        Duration timeout,
        boolean follow,
        int delayMinutes,
        boolean force,
        Boolean idleOn,
        Integer idleForMinutes) {

    static final String DEFAULT_BROKER = "tcp://127.0.0.1:1883";
    static final String DEFAULT_BASE_TOPIC = "cubeguardian";
    /** Without --wait: connect, publish and get the result within this. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** With --wait (plus the shutdown delay): longer than the worker's default startup timeout (10 min). */
    static final Duration DEFAULT_WAIT_TIMEOUT = Duration.ofMinutes(15);
    static final int MAX_TIMEOUT_SECONDS = 86_400 + 1_440 * 60;

    private static final Pattern HOST_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Set<String> SCHEMES = Set.of("tcp", "ssl", "ws", "wss");
    private static final Set<String> WITH_VALUE = Set.of("--broker", "--username", "--password-file", "--ca-file",
            "--base-topic", "--timeout", "--delay", "--for");
    private static final Set<String> FLAGS = Set.of("--wait", "--force", "--help", "-h");

    boolean isStatus() {
        return command.equals("status");
    }

    /** @param texts the language of the messages of the {@link CliFailure}s */
    static CliArguments parse(String[] args, Map<String, String> env, CliTexts texts) throws CliFailure {
        if (args.length == 0) {
            throw CliFailure.usage(texts.get("args.missing_command"));
        }
        String command = args[0];
        if (command.equals("--help") || command.equals("-h") || command.equals("help")) {
            return help(command);
        }
        if (!Cli.COMMANDS.contains(command)) {
            throw CliFailure.usage(texts.get("args.unknown_command", command));
        }
        Map<String, String> values = new java.util.HashMap<>();
        Set<String> flags = new HashSet<>();
        List<String> positional = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("-") && !arg.equals("-")) {
                String name = arg;
                String value = null;
                int equals = arg.indexOf('=');
                if (arg.startsWith("--") && equals > 0) {
                    name = arg.substring(0, equals);
                    value = arg.substring(equals + 1);
                }
                if (FLAGS.contains(name)) {
                    if (value != null) {
                        throw CliFailure.usage(texts.get("args.takes_no_value", name));
                    }
                    if (!flags.add(name.equals("-h") ? "--help" : name)) {
                        throw CliFailure.usage(texts.get("args.given_twice", name));
                    }
                } else if (WITH_VALUE.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw CliFailure.usage(texts.get("args.needs_value", name));
                        }
                        value = args[++i];
                    }
                    if (values.put(name, value) != null) {
                        throw CliFailure.usage(texts.get("args.given_twice", name));
                    }
                } else {
                    throw CliFailure.usage(texts.get("args.unknown_option", name));
                }
            } else {
                positional.add(arg);
            }
        }
        if (flags.contains("--help")) {
            return help(command);
        }

        boolean isStatus = command.equals("status");
        String host = null;
        // idle HOST on|off: the setting is the second word
        Boolean idleOn = null;
        if (command.equals("idle")) {
            if (positional.size() < 2 || !(positional.get(1).equals("on") || positional.get(1).equals("off"))) {
                throw CliFailure.usage(texts.get("args.idle_on_off"));
            }
            idleOn = positional.remove(1).equals("on");
        }
        if (positional.size() > 1) {
            throw CliFailure.usage(texts.get("args.too_many", String.join(" ", positional.subList(1, positional.size()))));
        }
        if (positional.isEmpty()) {
            if (!isStatus) {
                throw CliFailure.usage(texts.get("args.needs_host", command));
            }
        } else {
            host = positional.get(0);
            if (!HOST_ID.matcher(host).matches()) {
                throw CliFailure.usage(texts.get("args.not_a_host_id", host));
            }
        }

        boolean wait = flags.contains("--wait");
        boolean force = flags.contains("--force");
        if (wait && !(command.equals("wake") || command.equals("shutdown") || command.equals("reboot"))) {
            throw CliFailure.usage(texts.get("args.wait_only"));
        }
        if (force && !(command.equals("shutdown") || command.equals("reboot"))) {
            throw CliFailure.usage(texts.get("args.force_only"));
        }
        int delay = 0;
        if (values.containsKey("--delay")) {
            if (!command.equals("shutdown")) {
                throw CliFailure.usage(texts.get("args.delay_only"));
            }
            delay = integer("--delay", values.get("--delay"), 0, 1440, "args.minutes", texts);
        }

        Integer idleFor = null;
        if (values.containsKey("--for")) {
            if (!Boolean.FALSE.equals(idleOn)) {
                throw CliFailure.usage(texts.get("args.for_only"));
            }
            idleFor = minutes(values.get("--for"), texts);
        }

        String broker = pick(values, "--broker", env, "CUBEGUARDIAN_MQTT_URL", DEFAULT_BROKER, texts);
        int colon = broker.indexOf("://");
        if (colon <= 0 || !SCHEMES.contains(broker.substring(0, colon)) || broker.length() == colon + 3) {
            throw CliFailure.usage(texts.get("args.not_a_broker_url", source(values, "--broker", "CUBEGUARDIAN_MQTT_URL"), broker));
        }
        String baseTopic = pick(values, "--base-topic", env, "CUBEGUARDIAN_BASE_TOPIC", DEFAULT_BASE_TOPIC, texts);
        if (baseTopic.isEmpty() || baseTopic.contains("+") || baseTopic.contains("#") || baseTopic.startsWith("$")
                || baseTopic.startsWith("/") || baseTopic.endsWith("/") || baseTopic.contains("//")) {
            throw CliFailure.usage(texts.get("args.not_a_base_topic", source(values, "--base-topic", "CUBEGUARDIAN_BASE_TOPIC"),
                    baseTopic));
        }
        String username = pick(values, "--username", env, "CUBEGUARDIAN_MQTT_USERNAME", null, texts);
        Path passwordFile = file(values, "--password-file", env, "CUBEGUARDIAN_MQTT_PASSWORD_FILE", texts);
        Path caFile = file(values, "--ca-file", env, "CUBEGUARDIAN_MQTT_CA_FILE", texts);

        Duration timeout;
        if (values.containsKey("--timeout")) {
            timeout = Duration.ofSeconds(integer("--timeout", values.get("--timeout"), 1, MAX_TIMEOUT_SECONDS, "args.seconds",
                    texts));
        } else if (wait) {
            timeout = DEFAULT_WAIT_TIMEOUT.plusMinutes(delay);
        } else {
            timeout = DEFAULT_TIMEOUT;
        }
        return new CliArguments(command, host, false, broker, username, passwordFile, caFile, baseTopic, timeout, wait,
                delay, force, idleOn, idleFor);
    }

    private static CliArguments help(String command) {
        return new CliArguments(command, null, true, null, null, null, null, null, null, false, 0, false, null, null);
    }

    /** {@code --for 4h}, {@code 90m} or {@code 240} (minutes): whole minutes from 1 to 10080 (a week, the worker's limit). */
    private static int minutes(String text, CliTexts texts) throws CliFailure {
        java.util.regex.Matcher m = Pattern.compile("([0-9]{1,6})(m|h|d)?").matcher(text.trim());
        if (m.matches()) {
            long value = Long.parseLong(m.group(1)) * switch (m.group(2) == null ? "m" : m.group(2)) {
                case "h" -> 60;
                case "d" -> 1440;
                default -> 1;
            };
            if (value >= 1 && value <= 10_080) {
                return (int) value;
            }
        }
        throw CliFailure.usage(texts.get("args.for_range", text));
    }

    private static String pick(Map<String, String> values, String option, Map<String, String> env, String variable,
            String fallback, CliTexts texts) throws CliFailure {
        String value = values.get(option);
        if (value != null) {
            if (value.isEmpty()) {
                throw CliFailure.usage(texts.get("args.needs_value", option));
            }
            return value;
        }
        String fromEnv = env.get(variable);
        return fromEnv == null || fromEnv.isEmpty() ? fallback : fromEnv;
    }

    private static String source(Map<String, String> values, String option, String variable) {
        return values.containsKey(option) ? option : variable;
    }

    private static Path file(Map<String, String> values, String option, Map<String, String> env, String variable,
            CliTexts texts) throws CliFailure {
        String name = pick(values, option, env, variable, null, texts);
        if (name == null) {
            return null;
        }
        Path path = Path.of(name);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw CliFailure.usage(texts.get("args.not_a_file", source(values, option, variable), name));
        }
        return path;
    }

    /** @param problemKey the text that says what the value must be, in the unit of the option */
    private static int integer(String option, String text, int min, int max, String problemKey, CliTexts texts)
            throws CliFailure {
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw CliFailure.usage(texts.get(problemKey, option, min, max, text));
    }
}
