package dev.cubeguardian.config;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A host's {@code schedule} list and the top-level {@code time-zone}: every entry checked, with its line. */
final class ScheduleParser {

    static final List<String> ENTRY_KEYS = List.of("cron", "action", "delay_minutes", "force");
    static final List<String> ACTIONS = List.of("wake", "shutdown", "cancel", "check");
    static final int MAX_ENTRIES = 32;
    // minute hour day-of-month month day-of-week, as crontab(5): names (MON, JAN), ranges, steps, lists
    private static final CronDefinition UNIX = CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX);
    private static final CronParser PARSER = new CronParser(UNIX);
    // cron-utils' messages, put in the words of the other inventory errors
    private static final Pattern OUT_OF_RANGE = Pattern.compile(
            ".*Value (\\S+) not in range \\[(\\d+), (\\d+)].*");
    private static final Pattern PERIOD = Pattern.compile(".*Period (\\S+) not in range.*");
    private static final Pattern BACKWARDS = Pattern.compile(".*Invalid range! \\[(\\d+),(\\d+)].*");
    private static final Pattern INVALID = Pattern.compile(
            ".*(?:Invalid chars in expression! Expression: (\\S+)|Invalid expression: (\\S+)).*");

    private static final String FIELDS = "a field is *, a number, a range a-b, a step */n or a-b/n, or a list a,b;"
            + " days may be MON..SUN, months JAN..DEC";
    private static final String UNDERSTOOD = "it cannot be read (" + FIELDS + ")";

    private ScheduleParser() {
    }

    /**
     * @param ssh whether the host has an ssh section: without one a shutdown or cancel could only
     *            ever be answered UNKNOWN_ACTION, so such an entry is refused here, at its line
     */
    static List<ScheduleEntry> parse(ConfigNode node, boolean ssh) {
        List<ConfigNode> items = node.items();
        if (items.size() > MAX_ENTRIES) {
            throw node.error("has " + items.size() + " entries; at most " + MAX_ENTRIES);
        }
        List<ScheduleEntry> entries = new ArrayList<>();
        for (ConfigNode item : items) {
            entries.add(entry(item.section(ENTRY_KEYS), ssh));
        }
        return List.copyOf(entries);
    }

    private static ScheduleEntry entry(ConfigSection entry, boolean ssh) {
        ConfigNode cronNode = entry.required("cron");
        String expression = cronNode.text().trim();
        Cron cron = cron(cronNode, expression);
        ConfigNode actionNode = entry.required("action");
        String action = actionNode.text();
        if (!ACTIONS.contains(action)) {
            throw actionNode.error("'" + action + "' is not a scheduled action (expected one of: " + String.join(", ", ACTIONS) + ")");
        }
        if ((action.equals("shutdown") || action.equals("cancel")) && !ssh) {
            throw actionNode.error("'" + action + "' needs the host's ssh section: without one it cannot be shut down");
        }
        Integer delay = entry.optional("delay_minutes").map(n -> n.integer(0, 1440)).orElse(null);
        Boolean force = entry.optional("force").map(ConfigNode::bool).orElse(null);
        if (!action.equals("shutdown")) {
            if (delay != null) {
                throw entry.entries().get("delay_minutes").error("is only used with action: shutdown");
            }
            if (force != null) {
                throw entry.entries().get("force").error("is only used with action: shutdown");
            }
        }
        return new ScheduleEntry(expression, cron, action, delay, force);
    }

    private static Cron cron(ConfigNode node, String expression) {
        if (expression.split("\\s+").length != 5) {
            throw node.error("'" + expression + "' is not a 5-field cron expression (minute hour day-of-month month"
                    + " day-of-week, e.g. \"0 18 * * FRI\")");
        }
        Cron cron;
        try {
            cron = PARSER.parse(expression).validate();
        } catch (IllegalArgumentException e) {
            throw node.error("'" + expression + "' is not a valid cron expression: " + reason(e.getMessage(), expression));
        } catch (RuntimeException e) {
            // cron-utils 9.2.1 fails with an ArrayIndexOutOfBoundsException on "1-5/" (a step without its number)
            throw node.error("'" + expression + "' is not a valid cron expression: " + UNDERSTOOD);
        }
        // "0 0 30 2 *" is valid field by field, and never comes: a mistake, not a schedule. With a day
        // field starting with * both day fields must match (crontab(5)): then the day of the month decides
        String[] fields = expression.split("\\s+");
        Cron days = fields[2].startsWith("*") || fields[4].startsWith("*")
                ? PARSER.parse(fields[0] + " " + fields[1] + " " + fields[2] + " " + fields[3] + " *") : cron;
        if (ExecutionTime.forCron(days).nextExecution(ZonedDateTime.now(ZoneOffset.UTC)).isEmpty()) {
            throw node.error("'" + expression + "' never fires (none of its months has that day)");
        }
        return cron;
    }

    /** cron-utils' reasons in the words of the other inventory errors. */
    private static String reason(String message, String expression) {
        String text = String.valueOf(message);
        Matcher range = OUT_OF_RANGE.matcher(text);
        if (range.matches()) {
            return range.group(1) + " is out of range (" + range.group(2) + ".." + range.group(3) + ")";
        }
        Matcher period = PERIOD.matcher(text);
        if (period.matches()) {
            return "a step of " + period.group(1) + " is not allowed (at least 1)";
        }
        Matcher backwards = BACKWARDS.matcher(text);
        if (backwards.matches()) {
            return "the range " + backwards.group(1) + "-" + backwards.group(2) + " goes backwards (write the smaller value first)";
        }
        Matcher invalid = INVALID.matcher(text);
        if (invalid.matches()) {
            String found = invalid.group(1) != null ? invalid.group(1) : invalid.group(2);
            // cron-utils upper-cases what it quotes: show the field as written
            String part = Arrays.stream(expression.split("\\s+")).filter(found::equalsIgnoreCase).findFirst().orElse(found);
            return "'" + part + "' is not understood (" + FIELDS + ")";
        }
        return text.replace("Failed to parse cron expression. ", "");
    }

    static ZoneId timeZone(ConfigNode node) {
        String text = node.text().trim();
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw node.error("'" + text + "' is not a time zone (a region such as Europe/Paris or America/New_York, or UTC)");
        }
    }
}
