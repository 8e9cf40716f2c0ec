package dev.cubeguardian.cluster;

import dev.cubeguardian.command.CommandResult;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * What the share group's active member is following (a wake until online, a shutdown until
 * off, a reboot until back), as a standby sees it: opened by the active member's first results
 * (learned by the witness), closed by its host states. When the active member dies, the member
 * that takes over follows what is still open under the original ids, so a client waiting for
 * {@code completed} still gets it. At most one wake, one shutdown and one reboot per host of
 * the inventory: bounded by the inventory.
 */
public final class PeerWork {

    /** A wake, shutdown or reboot under way at the active member: its command id and when it was answered. */
    public record Open(String host, String action, String id, Instant at, Instant scheduledFor, boolean wentDown) {
        Open(String host, String action, String id, Instant at, Instant scheduledFor) {
            this(host, action, id, at, scheduledFor, false);
        }
    }

    private final Set<String> hosts;
    private final BooleanSupplier active;
    private final Map<String, Map<String, Open>> open = new HashMap<>();
    /** Each host's last state from the active member: one per host of the inventory. */
    private final Map<String, Seen> lastState = new HashMap<>();

    /** @param active whether this worker is the active member now: its own results open nothing here */
    public PeerWork(Set<String> hosts, BooleanSupplier active) {
        this.hosts = Set.copyOf(hosts);
        this.active = active;
    }

    /** A first result of one of the group's hosts, valid for its topic (CommandWitness). */
    public void resultLearned(CommandResult result) {
        if (active.getAsBoolean() || result == null || !hosts.contains(result.host()) || result.code() == null) {
            return;
        }
        Instant at = instant(result.timestamp());
        if (at == null) {
            return;
        }
        synchronized (this) {
            Map<String, Open> ofHost = open.computeIfAbsent(result.host(), h -> new HashMap<>());
            switch (result.code()) {
                case "WOL_SENT" -> ofHost.putIfAbsent("wake", new Open(result.host(), "wake", result.id(), at, null));
                case "SHUTDOWN_SENT" -> ofHost.put("shutdown", new Open(result.host(), "shutdown", result.id(), at, at));
                case "SHUTDOWN_SCHEDULED" -> {
                    Object when = result.details() == null ? null : result.details().get("scheduled_for");
                    Instant scheduledFor = when instanceof String text ? instant(text) : null;
                    ofHost.put("shutdown", new Open(result.host(), "shutdown", result.id(), at, scheduledFor == null ? at : scheduledFor));
                }
                case "SHUTDOWN_CANCELLED" -> ofHost.remove("shutdown");
                case "REBOOT_SENT" -> ofHost.put("reboot", new Open(result.host(), "reboot", result.id(), at, null));
                default -> {
                }
            }
            // a result read back after the state that ended it (a witness session's backlog after the
            // retained state) is closed at once
            Seen last = lastState.get(result.host());
            if (last != null) {
                close(result.host(), ofHost, last.state(), last.since());
            }
            if (ofHost.isEmpty()) {
                open.remove(result.host());
            }
        }
    }

    private record Seen(String state, Instant since) {
    }

    /** A host state the active member published (HostStateWitness): what it shows done is closed. */
    public synchronized void stateSeen(String host, String state, Instant since) {
        if (!hosts.contains(host) || state == null || since == null) {
            return;
        }
        lastState.put(host, new Seen(state, since));
        Map<String, Open> ofHost = open.get(host);
        if (ofHost == null) {
            return;
        }
        close(host, ofHost, state, since);
        if (ofHost.isEmpty()) {
            open.remove(host);
        }
    }

    private void close(String host, Map<String, Open> ofHost, String state, Instant since) {
        Open reboot = ofHost.get("reboot");
        if (reboot != null && !reboot.wentDown() && (state.equals("waking") || state.equals("starting")) && since.isAfter(reboot.at())) {
            // a reboot is seen down before it counts as back: the member that takes over must know it was
            ofHost.put("reboot", new Open(host, "reboot", reboot.id(), reboot.at(), null, true));
        }
        if (state.equals("online")) {
            ofHost.values().removeIf(work -> !work.action().equals("shutdown") && since.isAfter(work.at()));
        } else if (state.equals("off")) {
            ofHost.values().removeIf(work -> work.action().equals("shutdown") && since.isAfter(work.at()));
        }
    }

    /** On becoming the active member: everything still open, handed over once. */
    public synchronized List<Open> takeAll() {
        List<Open> all = new ArrayList<>();
        open.values().forEach(ofHost -> all.addAll(ofHost.values()));
        open.clear();
        return all;
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notATime) {
            return null;
        }
    }
}
