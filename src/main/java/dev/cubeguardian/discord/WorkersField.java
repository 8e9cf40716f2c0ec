package dev.cubeguardian.discord;

import dev.cubeguardian.client.Announcements;
import java.util.List;

/**
 * The status card's Workers field (v1.1, several workers under one base topic): each worker's
 * id, online or offline, and role, so a member sees which one is down (pure). Shown only when
 * there is more than one worker or any worker id: a lone v1 worker is just "the worker".
 */
public final class WorkersField {

    /** What a Discord embed field holds. */
    static final int MAX_VALUE = 1024;
    /** Kept free for the line that counts the workers not shown. */
    private static final int MORE_RESERVE = 40;

    private WorkersField() {
    }

    /** The field, or null when there is nothing to say beyond "the worker". */
    public static Card.Field of(Texts texts, List<Announcements.Worker> workers) {
        if (workers.size() < 2 && workers.stream().allMatch(w -> w.id() == null)) {
            return null;
        }
        // as many lines as the field holds (a line is up to ~180 characters: ids of 63, groups of 64), the rest counted
        StringBuilder value = new StringBuilder();
        int shown = 0;
        for (Announcements.Worker worker : workers) {
            String line = (shown == 0 ? "" : "\n") + line(texts, worker);
            boolean last = shown == workers.size() - 1;
            if (value.length() + line.length() > MAX_VALUE - (last ? 0 : MORE_RESERVE)) {
                break;
            }
            value.append(line);
            shown++;
        }
        if (shown < workers.size()) {
            value.append(shown == 0 ? "" : "\n").append(texts.get("workers.more", workers.size() - shown));
        }
        return new Card.Field(texts.get("workers.title"), value.toString(), false);
    }

    static String line(Texts texts, Announcements.Worker worker) {
        // ids and groups in code spans: an underscore would otherwise start italics
        String id = worker.id() == null ? texts.get("workers.v1") : "`" + worker.id() + "`";
        String availability = texts.get(switch (worker.availability()) {
            case ONLINE -> "workers.online";
            case OFFLINE -> "workers.offline";
            case UNKNOWN -> "workers.unknown";
        });
        String role = worker.role() == null ? "" : texts.get("workers.role_" + worker.role());
        String group = worker.shareGroup() == null ? "" : texts.get("workers.group", "`" + worker.shareGroup() + "`");
        return texts.get("workers.line", switch (worker.availability()) {
            case ONLINE -> "🟢";
            case OFFLINE -> "🔴";
            case UNKNOWN -> "⚪";
        }, id, availability, role, group,
                texts.get("workers.hosts", worker.hosts()));
    }
}
