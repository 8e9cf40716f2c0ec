package dev.cubeguardian.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.same;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cubeguardian.command.CommandIntake;
import dev.cubeguardian.config.HostConfig;
import dev.cubeguardian.config.Inventory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;

/**
 * Commands for hosts nobody owns, answered once after a grace. The timer is a mock whose
 * scheduled answers the test runs by hand; the intake is a mock (what it answers is the parser's
 * business, tested with the parser): here only who answers, when, and how many may wait.
 */
class UnknownHostWatchTest {

    private static final String BASE = "cubeguardian";
    private static final DefaultCamelContext CONTEXT = new DefaultCamelContext();

    private final Inventory inventory = new Inventory(null, Map.of("pve", mock(HostConfig.class)));
    private final WorkerRegistry registry = new WorkerRegistry(BASE, "self", JsonMapper.builder().build());
    private final CommandIntake intake = mock(CommandIntake.class);
    private final ScheduledExecutorService timer = mock(ScheduledExecutorService.class);
    private final Deque<Runnable> scheduled = new ArrayDeque<>();
    private final UnknownHostWatch watch = new UnknownHostWatch(BASE, inventory, registry, intake, timer);

    {
        doAnswer(call -> {
            scheduled.add(call.getArgument(0));
            return null;
        }).when(timer).schedule(any(Runnable.class), anyLong(), any());
    }

    private static Exchange command(String topic, byte[] payload, MqttProperties properties) {
        Exchange exchange = new DefaultExchange(CONTEXT);
        exchange.getMessage().setHeader("CamelMqttTopic", topic);
        exchange.getMessage().setHeader("CamelPahoMqtt5MsgProperties", properties);
        exchange.getMessage().setBody(payload);
        return exchange;
    }

    private static Exchange command(String host) {
        return command(BASE + "/" + host + "/cmd/wake", "{}".getBytes(StandardCharsets.UTF_8), null);
    }

    private void announce(String worker, String... hosts) {
        registry.accept(BASE + "/bridge/workers/" + worker + "/info",
                WorkerRegistryTest.info(worker, null, null, null, hosts).getBytes(StandardCharsets.UTF_8));
    }

    private void runAll() {
        while (!scheduled.isEmpty()) {
            scheduled.poll().run();
        }
    }

    @Test
    void aCommandForThisWorkersOwnHostIsLeftToItsOwnSubscription() {
        watch.accept(command("pve"));
        verifyNoInteractions(timer, intake);
    }

    @Test
    void aCommandForAHostAnotherWorkerAnnouncesIsLeftToThatWorker() {
        announce("w2", "mc");
        watch.accept(command("mc"));
        verifyNoInteractions(timer, intake);
    }

    @Test
    void aCommandForAHostNobodyOwnsIsAnsweredAfterTheGraceWithItsPropertiesAndPayload() {
        MqttProperties reply = new MqttProperties();
        reply.setResponseTopic("client/a");
        byte[] payload = "{\"id\":\"c1\"}".getBytes(StandardCharsets.UTF_8);
        watch.accept(command(BASE + "/ghost/cmd/wake", payload, reply));
        verify(timer).schedule(any(Runnable.class), eq(UnknownHostWatch.GRACE.toMillis()), eq(TimeUnit.MILLISECONDS));
        verify(intake, never()).acceptUnowned(any(), any(), any(), any());
        runAll();
        verify(intake).acceptUnowned(eq(BASE + "/ghost/cmd/wake"), same(payload), same(reply), any());
    }

    @Test
    void aHostAnnouncedDuringTheGraceIsNotAnsweredUnknown() {
        watch.accept(command("late"));
        announce("w3", "late");   // a worker that just subscribed announces its hosts
        runAll();
        verify(intake, never()).acceptUnowned(any(), any(), any(), any());
    }

    @Test
    void aHostRetiredDuringTheGraceIsAnsweredUnknown() {
        announce("w3", "gone");
        watch.accept(command("gone"));
        verifyNoInteractions(timer);
        registry.accept(BASE + "/bridge/workers/w3/info", new byte[0]);
        watch.accept(command("gone"));
        runAll();
        verify(intake, times(1)).acceptUnowned(eq(BASE + "/gone/cmd/wake"), any(), any(), any());
    }

    @Test
    void aRetainedCommandIsNeverAnswered() {
        MqttMessage retained = new MqttMessage("{}".getBytes(StandardCharsets.UTF_8));
        retained.setRetained(true);
        PahoMqtt5Message message = new PahoMqtt5Message(CONTEXT, retained);
        message.setHeader("CamelMqttTopic", BASE + "/ghost/cmd/wake");
        Exchange exchange = new DefaultExchange(CONTEXT);
        exchange.setMessage(message);
        watch.accept(exchange);
        verifyNoInteractions(timer, intake);
    }

    @Test
    void aCommandWithoutATopicOrBodyDoesNotThrow() {
        watch.accept(command(null, null, null));
        verifyNoInteractions(timer);
        watch.accept(command(BASE + "/ghost/cmd/wake", null, null));
        runAll();
        verify(intake).acceptUnowned(eq(BASE + "/ghost/cmd/wake"), eq(new byte[0]), any(), any());
    }

    @Test
    void noMoreThanMaxWaitingWaitAndTheSlotsComeBackOnceAnswered() {
        for (int i = 0; i < UnknownHostWatch.MAX_WAITING + 5; i++) {
            watch.accept(command("ghost"));
        }
        assertEquals(UnknownHostWatch.MAX_WAITING, scheduled.size());
        scheduled.poll().run();
        watch.accept(command("ghost"));
        assertEquals(UnknownHostWatch.MAX_WAITING, scheduled.size());
        runAll();
        verify(intake, times(UnknownHostWatch.MAX_WAITING + 1)).acceptUnowned(any(), any(), any(), any());
    }

    @Test
    void noMoreThanMaxWaitingBytesWait() {
        byte[] mebibyte = new byte[1 << 20];
        for (int i = 0; i < 20; i++) {
            watch.accept(command(BASE + "/ghost/cmd/wake", mebibyte, null));
        }
        // 128 + topic + 1 MiB each: 7 fit in 8 MiB, the 8th does not
        assertEquals(7, scheduled.size());
    }

    @Test
    void aSlotIsGivenBackWhenTheAnswerFails() {
        doThrow(new IllegalStateException("boom")).when(intake).acceptUnowned(any(), any(), any(), any());
        for (int i = 0; i < UnknownHostWatch.MAX_WAITING; i++) {
            watch.accept(command("ghost"));
        }
        while (!scheduled.isEmpty()) {
            try {
                scheduled.poll().run();
            } catch (IllegalStateException expected) {
                // the executor would log it
            }
        }
        watch.accept(command("ghost"));
        assertEquals(1, scheduled.size());
    }

    @Test
    void aStoppingTimerGivesTheSlotBack() {
        ScheduledExecutorService stopped = mock(ScheduledExecutorService.class);
        doThrow(new RejectedExecutionException("stopping")).when(stopped).schedule(any(Runnable.class), anyLong(), any());
        UnknownHostWatch stopping = new UnknownHostWatch(BASE, inventory, registry, intake, stopped);
        for (int i = 0; i < UnknownHostWatch.MAX_WAITING + 10; i++) {
            stopping.accept(command("ghost"));
        }
        verify(stopped, times(UnknownHostWatch.MAX_WAITING + 10)).schedule(any(Runnable.class), anyLong(), any());
    }

    /**
     * Gap: the waiting bytes count the topic and payload only (UnknownHostWatch.accept, line
     * "long bytes = 128L + topic.length() + body.length"), not the MQTT 5 properties held with
     * each waiting answer (correlation data, response topic, user properties). A client sending
     * commands for unknown hosts with 1 MiB of correlation data each holds up to
     * MAX_WAITING x 1 MiB (about 10 GiB) instead of MAX_WAITING_BYTES (8 MiB).
     */
    @Test
    void theMqtt5PropertiesCountInTheWaitingBytes() {
        for (int i = 0; i < 20; i++) {
            MqttProperties heavy = new MqttProperties();
            heavy.setCorrelationData(new byte[1 << 20]);
            watch.accept(command(BASE + "/ghost/cmd/wake", "{}".getBytes(StandardCharsets.UTF_8), heavy));
        }
        assertEquals(7, scheduled.size());
    }
}
