package dev.cubeguardian.command;

import java.util.List;

/**
 * Decides whether a command's MQTT 5 Response Topic may be used. The worker publishes with
 * write access to its own namespaces (the base topic, Home Assistant's discovery prefix), so a
 * client allowed to send only {@code check} could otherwise aim the reply at a command topic
 * (the worker would run its own result as a shutdown), at a retained state, at
 * {@code bridge/state}, at another client's result or at a discovery config. A reply may only
 * go outside those namespaces; the broker's ACL decides the rest (replies/&lt;user&gt;/...).
 */
public final class ResponseTopicPolicy {

    /** Why a response topic was not used; {@code null} from {@link #refusal} means it may be used. */
    public enum Refusal { WILDCARD, SYSTEM_TOPIC, WORKER_NAMESPACE }

    private final List<String> ownNamespaces;

    public ResponseTopicPolicy(String baseTopic, String discoveryPrefix) {
        this.ownNamespaces = discoveryPrefix == null || discoveryPrefix.isEmpty()
                ? List.of(baseTopic) : List.of(baseTopic, discoveryPrefix);
    }

    /** @return null when the topic may carry the reply, else why not */
    public Refusal refusal(String topic) {
        // a response topic is a publish topic: wildcards would make the broker drop our connection
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0 || topic.indexOf('\u0000') >= 0) {
            return Refusal.WILDCARD;
        }
        if (topic.startsWith("$")) {
            return Refusal.SYSTEM_TOPIC;
        }
        for (String namespace : ownNamespaces) {
            if (topic.equals(namespace) || topic.startsWith(namespace + "/")) {
                return Refusal.WORKER_NAMESPACE;
            }
        }
        return null;
    }
}
