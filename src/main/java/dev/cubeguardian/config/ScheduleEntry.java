package dev.cubeguardian.config;

import com.cronutils.model.Cron;

/**
 * One entry of a host's {@code schedule} (v1.1): a command the worker publishes at the times of
 * a 5-field cron expression, in the inventory's {@code time-zone}.
 *
 * @param expression   the cron expression as written (trimmed), for messages and the log
 * @param cron         the same, parsed (cron-utils, UNIX definition)
 * @param action       wake, shutdown, cancel or check
 * @param delayMinutes for a shutdown: 0..1440 (as in the command); null for the others
 * @param force        for a shutdown: stop even with players online; null for the others
 */
public record ScheduleEntry(String expression, Cron cron, String action, Integer delayMinutes, Boolean force) {
}
