package dev.cubeguardian.cli;

import dev.cubeguardian.client.Announcements;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@code status} says about the workers (v1.1, several workers under one base topic): the
 * Workers section of the table, the owners of one host, and the warnings when the workers of
 * hosts are offline. A lone v1 worker keeps the v1 texts: no section, "the worker".
 */
final class WorkersReport {

    /** Host ids named in one warning at most, the rest counted. */
    static final int MAX_NAMED = 10;
    private static final String NONE = "-";

    private WorkersReport() {
    }

    /** Whether to speak of workers: a worker with an id is there (a lone v1 worker is "the worker"). */
    static boolean shown(Announcements announced) {
        return announced.hasWorkerIds();
    }

    /** The Workers section: a blank line, then one row per worker (v1 first, then by id). */
    static List<String> section(List<Announcements.Worker> workers, CliTexts texts) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of(texts.get("workers.worker"), texts.get("workers.state"), texts.get("workers.role"),
                texts.get("workers.group"), texts.get("workers.hosts")));
        for (Announcements.Worker worker : workers) {
            rows.add(List.of(id(worker, texts), availability(worker, texts),
                    worker.role() == null ? NONE : texts.get("workers.role_" + worker.role()),
                    worker.shareGroup() == null ? NONE : worker.shareGroup(), String.valueOf(worker.hosts())));
        }
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.addAll(StatusReport.columns(rows));
        return lines;
    }

    /** The details' Workers row of one host: "w1: online, active; w2: offline, standby". */
    static String owners(List<Announcements.Worker> owners, CliTexts texts) {
        if (owners.isEmpty()) {
            return NONE;
        }
        return owners.stream().map(w -> texts.get(w.role() == null ? "workers.owner" : "workers.owner_role", id(w, texts),
                availability(w, texts), w.role() == null ? "" : texts.get("workers.role_" + w.role())))
                .collect(Collectors.joining("; "));
    }

    /**
     * The stderr warning of {@code status}, or null: hosts are out of date only when every worker
     * that announces them is offline (a standby online keeps them up to date).
     *
     * @param hostIds the hosts shown: all, or the one of {@code status <host>}
     */
    static String warning(Announcements announced, List<String> hostIds, String base, CliTexts texts) {
        if (!shown(announced)) {
            // v1: one worker, one topic, as before
            boolean offline = announced.known().stream()
                    .anyMatch(w -> w.id() == null && w.availability() == Announcements.Availability.OFFLINE);
            return offline ? texts.get("status.worker_offline", base + "/bridge/state") : null;
        }
        List<String> stale = hostIds.stream().filter(h -> ownersOffline(announced.owners(h))).toList();
        if (stale.isEmpty()) {
            return null;
        }
        return texts.get(stale.size() == 1 ? "status.host_stale" : "status.hosts_stale", WorkerHint.named(stale, texts));
    }

    /** None of them is online, and one at least says it is offline (no state at all is not "offline", as in v1). */
    static boolean ownersOffline(List<Announcements.Worker> owners) {
        return owners.stream().noneMatch(Announcements.Worker::online)
                && owners.stream().anyMatch(w -> w.availability() == Announcements.Availability.OFFLINE);
    }

    private static String id(Announcements.Worker worker, CliTexts texts) {
        return worker.id() == null ? texts.get("workers.v1") : worker.id();
    }

    private static String availability(Announcements.Worker worker, CliTexts texts) {
        return texts.get(switch (worker.availability()) {
            case ONLINE -> "workers.online";
            case OFFLINE -> "workers.offline";
            case UNKNOWN -> "workers.unknown";
        });
    }
}
