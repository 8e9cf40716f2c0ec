package dev.cubeguardian.command;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks waiting for one host share its next probe: a dashboard that polls, or many clients
 * asking at once, cost one probe per round instead of one each. Each check is still answered
 * on its own, with its own id, from a probe that started after it arrived: the round takes the
 * checks waiting when it starts, and checks that arrive while it probes wait for the next one.
 *
 * <p>A round takes one place in its host's lane, so a check still runs after a wake or a
 * shutdown queued before it, and a burst of checks never takes the places of those (BUSY is for
 * that queue). Waiting checks are bounded per host in count and in all in bytes: a check's
 * MQTT 5 response topic and correlation data are the client's to choose.
 */
final class CheckRounds {

    private static final Logger LOG = LoggerFactory.getLogger(CheckRounds.class);

    /** Answers one check of a round with the round's probe; {@code first} is true for one check per round. */
    interface Answer {
        void answer(Command check, Object probe, boolean first, Consumer<CommandResult> answered);
    }

    private record Waiting(Command check, Consumer<CommandResult> answered, long bytes) {
    }

    private final HostLanes lanes;
    private final Function<String, Object> probe;
    private final Answer answer;
    private final Consumer<Runnable> inOneCommit;
    private final int maxPerHost;
    private final long maxBytes;
    /** Per host, the checks waiting for its next round; a host listed here has that round queued on its lane. */
    private final Map<String, List<Waiting>> waiting = new HashMap<>();
    private long bytes;

    /**
     * @param probe probes a host once for a round; what it returns (a failure too) goes to every
     *              check of the round, so it must not throw
     */
    CheckRounds(HostLanes lanes, Function<String, Object> probe, Answer answer, int maxPerHost, long maxBytes) {
        this(lanes, probe, answer, Runnable::run, maxPerHost, maxBytes);
    }

    /**
     * @param inOneCommit runs a round's answers so that the command memory commits them to disk
     *                    once (see {@link CommandLedger#inOneCommit}); the checks are
     *                    acknowledged after it returns
     */
    CheckRounds(HostLanes lanes, Function<String, Object> probe, Answer answer, Consumer<Runnable> inOneCommit, int maxPerHost,
            long maxBytes) {
        this.inOneCommit = inOneCommit;
        this.lanes = lanes;
        this.probe = probe;
        this.answer = answer;
        this.maxPerHost = maxPerHost;
        this.maxBytes = maxBytes;
    }

    /** @return false (nothing kept) when the host's waiting checks or the bytes of all are at their bound, or its lane is full */
    synchronized boolean add(Command check, Consumer<CommandResult> answered) {
        long size = bytes(check);
        List<Waiting> round = waiting.get(check.host());
        if (round != null && round.size() >= maxPerHost || bytes + size > maxBytes) {
            return false;
        }
        if (round == null) {
            if (!lanes.submit(check.host(), () -> run(check.host()))) {
                return false;
            }
            round = new ArrayList<>();
            waiting.put(check.host(), round);
        }
        round.add(new Waiting(check, answered, size));
        bytes += size;
        return true;
    }

    synchronized int waiting(String host) {
        List<Waiting> round = waiting.get(host);
        return round == null ? 0 : round.size();
    }

    synchronized long bytes() {
        return bytes;
    }

    private void run(String host) {
        List<Waiting> due;
        synchronized (this) {
            due = waiting.remove(host);
            if (due == null) {
                return;
            }
            for (Waiting check : due) {
                bytes -= check.bytes();
            }
        }
        Object probed = probe.apply(host);
        if (due.size() > 1) {
            LOG.debug("One probe of {} answers {} checks", host, due.size());
        }
        List<Runnable> acknowledgements = new ArrayList<>(due.size());
        try {
            inOneCommit.accept(() -> answerAll(host, due, probed, acknowledgements));
        } finally {
            // only now is every answer of the round on disk: the broker may forget the checks
            acknowledgements.forEach(CheckRounds::runQuietly);
        }
    }

    private void answerAll(String host, List<Waiting> due, Object probed, List<Runnable> acknowledgements) {
        boolean first = true;
        for (Waiting check : due) {
            try {
                answer.answer(check.check(), probed, first, result -> acknowledgements.add(() -> check.answered().accept(result)));
            } catch (RuntimeException unexpected) {
                // one check's failure must not leave the others of its round unanswered
                LOG.error("Check {} of {} was not answered", check.check().id(), host, unexpected);
            }
            first = false;
        }
    }

    private static void runQuietly(Runnable acknowledgement) {
        try {
            acknowledgement.run();
        } catch (RuntimeException unexpected) {
            LOG.error("Could not acknowledge a check", unexpected);
        }
    }

    /** What a waiting check holds on to: its strings (2 bytes a char) and arrays, and the objects around them. */
    static long bytes(Command check) {
        return 256L + 2L * (check.id().length() + check.host().length()
                + (check.requestedBy() == null ? 0 : check.requestedBy().length())
                + (check.responseTopic() == null ? 0 : check.responseTopic().length()))
                + (check.correlationData() == null ? 0 : check.correlationData().length);
    }
}
