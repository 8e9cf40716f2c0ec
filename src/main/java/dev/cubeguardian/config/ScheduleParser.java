package dev.cubeguardian.config;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** A host's {@code schedule} list and the top-level {@code time-zone}: every entry checked, with its line. */
final class ScheduleParser {

    static final List<String> ENTRY_KEYS = List.of("cron", "action", "delay_minutes", "force");
    static final List<String> ACTIONS = List.of("wake", "shutdown", "cancel", "check");
    static final int MAX_ENTRIES = 32;
    // minute hour day-of-month month day-of-week, as crontab(5): names (MON, JAN), ranges, steps, lists
    private static final CronDefinition UNIX = CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX);
    private static final CronParser PARSER = new CronParser(UNIX);

    private ScheduleParser() {
    }

    static List<ScheduleEntry> parse(ConfigNode node) {
        List<ConfigNode> items = node.items();
        if (items.size() > MAX_ENTRIES) {
            throw node.error("has " + items.size() + " entries; at most " + MAX_ENTRIES);
        }
        List<ScheduleEntry> entries = new ArrayList<>();
        for (ConfigNode item : items) {
            entries.add(entry(item.section(ENTRY_KEYS)));
        }
        return List.copyOf(entries);
    }

    private static ScheduleEntry entry(ConfigSection entry) {
        ConfigNode cronNode = entry.required("cron");
        String expression = cronNode.text().trim();
        Cron cron = cron(cronNode, expression);
        ConfigNode actionNode = entry.required("action");
        String action = actionNode.text();
        if (!ACTIONS.contains(action)) {
            throw actionNode.error("'" + action + "' is not a scheduled action (expected one of: " + String.join(", ", ACTIONS) + ")");
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
        try {
            return PARSER.parse(expression).validate();
        } catch (IllegalArgumentException e) {
            throw node.error("'" + expression + "' is not a valid cron expression: " + e.getMessage());
        }
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
