package dev.cubeguardian.cluster;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cubeguardian.state.HostLifecycle;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A standby reads the idle setting from the active member's host states, and nothing else from them. */
class HostStateWitnessTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private final HostLifecycle lifecycle = mock(HostLifecycle.class);
    private final PeerWork peerWork = mock(PeerWork.class);
    private final HostStateWitness witness = new HostStateWitness("cubeguardian", lifecycle, JSON, peerWork);

    private void state(String host, String json) {
        witness.learn(host, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSettingInAHostsStateIsLearned() {
        state("mc", "{\"v\":1,\"host\":\"mc\",\"state\":\"online\",\"idle\":{\"enabled\":false,\"until\":\"2026-12-03T20:00:00.000Z\"}}");
        verify(lifecycle).learnIdle("mc", false, Instant.parse("2026-12-03T20:00:00Z"));
        state("mc", "{\"v\":1,\"host\":\"mc\",\"state\":\"online\",\"idle\":{\"enabled\":false,\"until\":null}}");
        verify(lifecycle).learnIdle("mc", false, null);
        state("mc", "{\"v\":1,\"host\":\"mc\",\"state\":\"online\",\"idle\":{\"enabled\":true}}");
        verify(lifecycle).learnIdle("mc", true, null);
    }

    @Test
    void aStateWithoutIdleChangesNothing() {
        state("pve", "{\"v\":1,\"host\":\"pve\",\"state\":\"online\"}");
        verify(lifecycle, never()).learnIdle(anyString(), anyBoolean(), any());
    }

    @Test
    void aStateForgedUnderAnotherHostsTopicIsIgnored() {
        state("mc", "{\"v\":1,\"host\":\"pve\",\"state\":\"online\",\"idle\":{\"enabled\":false}}");
        verify(lifecycle, never()).learnIdle(anyString(), anyBoolean(), any());
    }

    @Test
    void garbageAndLookalikeStatesAreIgnored() {
        for (String bad : new String[] {"", "not json", "[1,2]", "null", "{\"v\":2,\"host\":\"mc\",\"idle\":{\"enabled\":false}}",
                "{\"v\":1,\"host\":\"mc\",\"idle\":{\"enabled\":\"false\"}}",
                "{\"v\":1,\"host\":\"mc\",\"idle\":{\"enabled\":false,\"until\":\"tomorrow\"}}",
                "{\"v\":1,\"host\":\"mc\",\"idle\":{\"enabled\":false,\"until\":12}}",
                "{\"v\":1,\"host\":\"mc\",\"idle\":\"off\"}"}) {
            state("mc", bad);
        }
        verify(lifecycle, never()).learnIdle(anyString(), anyBoolean(), any());
    }

    @Test
    void anOversizedStateIsNotEvenParsed() {
        String padding = "x".repeat(HostStateWitness.MAX_STATE_BYTES);
        state("mc", "{\"v\":1,\"host\":\"mc\",\"pad\":\"" + padding + "\",\"idle\":{\"enabled\":false}}");
        verify(lifecycle, never()).learnIdle(anyString(), anyBoolean(), any());
    }

    @Test
    void aTopicDeeperThanAHostsStateIsNotAHost() {
        state("mc/extra", "{\"v\":1,\"host\":\"mc/extra\",\"idle\":{\"enabled\":false}}");
        verify(lifecycle, never()).learnIdle(anyString(), anyBoolean(), any());
    }
}
