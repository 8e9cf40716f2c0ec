package dev.cubeguardian.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResponseTopicPolicyTest {

    private final ResponseTopicPolicy policy = new ResponseTopicPolicy("cubeguardian", "homeassistant");

    @ParameterizedTest
    @CsvSource({
        "cubeguardian/pve/cmd/shutdown, WORKER_NAMESPACE",
        "cubeguardian/pve/state, WORKER_NAMESPACE",
        "cubeguardian/bridge/state, WORKER_NAMESPACE",
        "cubeguardian/pve/result/check, WORKER_NAMESPACE",
        "cubeguardian, WORKER_NAMESPACE",
        "homeassistant/device/cubeguardian_pve/config, WORKER_NAMESPACE",
        "homeassistant/status, WORKER_NAMESPACE",
        "$SYS/broker/clients, SYSTEM_TOPIC",
        "replies/+/x, WILDCARD",
        "replies/#, WILDCARD",
    })
    void aReplyAimedAtATopicTheWorkerOwnsOrCannotPublishIsRefused(String topic, ResponseTopicPolicy.Refusal why) {
        assertEquals(why, policy.refusal(topic));
    }

    @ParameterizedTest
    @ValueSource(strings = {"replies/discord/42", "cubeguardian2/x", "cubeguardianx", "home/assistant", "Cubeguardian/pve/cmd/wake"})
    void aClientsOwnTopicOutsideTheNamespacesIsUsed(String topic) {
        assertNull(policy.refusal(topic));
    }

    @Test
    void aChangedDiscoveryPrefixIsTheNamespaceThatIsGuarded() {
        ResponseTopicPolicy moved = new ResponseTopicPolicy("lab/cg", "ha");
        assertEquals(ResponseTopicPolicy.Refusal.WORKER_NAMESPACE, moved.refusal("ha/device/x/config"));
        assertEquals(ResponseTopicPolicy.Refusal.WORKER_NAMESPACE, moved.refusal("lab/cg/pve/cmd/wake"));
        assertNull(moved.refusal("homeassistant/status"));
        assertNull(moved.refusal("lab/other"));
    }
}
