package dev.cubeguardian.schedule;

import java.time.ZonedDateTime;

/**
 * The command id of one scheduled firing: {@code sched-<host>-<action>-<yyyyMMddHHmm>} in the
 * schedule's zone, the same on every worker and after every restart, so no firing runs twice
 * (see {@link dev.cubeguardian.command.DerivedIds} for long host ids).
 */
final class ScheduleIds {

    static final int MAX_ID = dev.cubeguardian.command.DerivedIds.MAX_ID;

    private ScheduleIds() {
    }

    static String of(String host, String action, ZonedDateTime at) {
        return dev.cubeguardian.command.DerivedIds.of("sched", host, action, at);
    }
}
