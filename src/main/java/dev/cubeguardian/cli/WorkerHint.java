package dev.cubeguardian.cli;

import dev.cubeguardian.client.Announcements;
import java.util.List;

/**
 * Why a command got no answer, when the announcements say: the workers that announce the host
 * are offline, or no worker ever announced itself. With several workers (v1.1) only the host's
 * own workers count; for a host nobody announces, every worker that said anything does.
 */
final class WorkerHint {

    private WorkerHint() {
    }

    static String of(String problem, Announcements announced, String host, String base, CliTexts texts) {
        List<Announcements.Worker> owners = announced.owners(host);
        List<Announcements.Worker> relevant = owners.isEmpty() ? announced.known() : owners;
        if (relevant.isEmpty()) {
            return texts.get("command.no_worker", problem, base + "/bridge/state");
        }
        if (relevant.stream().anyMatch(Announcements.Worker::online)) {
            return problem;
        }
        List<String> offline = relevant.stream().filter(w -> w.availability() == Announcements.Availability.OFFLINE)
                .map(Announcements.Worker::stateTopic).toList();
        if (offline.isEmpty()) {
            // announced, but not one says online or offline
            return texts.get("command.no_worker", problem, topics(relevant, texts));
        }
        return offline.size() == 1 ? texts.get("command.worker_offline", problem, offline.get(0))
                : texts.get("command.workers_offline", problem, named(offline, texts));
    }

    private static String topics(List<Announcements.Worker> workers, CliTexts texts) {
        return named(workers.stream().map(Announcements.Worker::stateTopic).toList(), texts);
    }

    /** At most {@link WorkersReport#MAX_NAMED} of them, the rest counted. */
    static String named(List<String> names, CliTexts texts) {
        return names.size() <= WorkersReport.MAX_NAMED ? String.join(", ", names)
                : texts.get("workers.named_more", String.join(", ", names.subList(0, WorkersReport.MAX_NAMED)),
                        names.size() - WorkersReport.MAX_NAMED);
    }
}
