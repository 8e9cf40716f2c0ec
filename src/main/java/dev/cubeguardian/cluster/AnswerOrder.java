package dev.cubeguardian.cluster;

import java.nio.charset.StandardCharsets;
import java.util.TreeSet;

/**
 * Which worker answers a command for a host nobody owns: every online worker ranks itself among
 * the online workers it sees, by worker id, and the first answers. Fed from the retained
 * {@code bridge/workers/<id>/state} topics on the same connection as the commands and results,
 * so that a dead worker's answers reach this worker before its Last Will does (Mosquitto routes
 * one connection's messages in order, and a worker publishes results and its Will on one).
 */
final class AnswerOrder {

    private final String ownId;
    private final String workersPrefix;
    // bounded like the registry: a worker id is a topic level only workers may write
    private final TreeSet<String> onlineOthers = new TreeSet<>();

    AnswerOrder(String baseTopic, String ownId) {
        this.ownId = ownId;
        this.workersPrefix = WorkerIdentity.workersTopic(baseTopic) + "/";
    }

    boolean isWorkerState(String topic) {
        return topic.startsWith(workersPrefix) && topic.endsWith("/state");
    }

    /** @return true when a worker went offline (or its state was cleared): the answers it owed may be ours now */
    synchronized boolean accept(String topic, byte[] payload) {
        String id = topic.substring(workersPrefix.length(), topic.length() - "/state".length());
        if (!WorkerIdentity.WORKER_ID.matcher(id).matches() || id.equals(ownId)) {
            return false;   // this worker always ranks itself: it is running
        }
        if ("online".equals(new String(payload, StandardCharsets.UTF_8))) {
            if (onlineOthers.size() < WorkerRegistry.MAX_WORKERS) {
                onlineOthers.add(id);
            }
            return false;
        }
        return onlineOthers.remove(id);
    }

    /** 0 when this worker answers first; n when n online workers come before it. */
    synchronized int rank() {
        return onlineOthers.headSet(ownId).size();
    }
}
