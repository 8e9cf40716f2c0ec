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
import java.util.Comparator;
import java.util.Map;
import java.util.PriorityQueue;
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
 * Commands for hosts nobody owns, answered once across the workers after a grace. The timer is a
 * mock whose tasks the test runs by hand in the order they fall due, moving a hand clock; the
 * intake is a mock (what it answers is the parser's business, tested with the parser): here only
 * who answers, when, and how many may wait. This worker's id is "self"; "alpha" ranks before it.
 */
class UnknownHostWatchTest {

    private static final String BASE = "cubeguardian";
    private static final DefaultCamelContext CONTEXT = new DefaultCamelContext();

    private record Task(long dueNanos, long order, Runnable task) {
    }

    private final Inventory inventory = new Inventory(null, Map.of("pve", mock(HostConfig.class)));
    private final WorkerRegistry registry = new WorkerRegistry(BASE, "self", JsonMapper.builder().build());
    private final CommandIntake intake = mock(CommandIntake.class);
    private final ScheduledExecutorService timer = mock(ScheduledExecutorService.class);
    private final PriorityQueue<Task> scheduled = new PriorityQueue<>(
            Comparator.comparingLong(Task::dueNanos).thenComparingLong(Task::order));
    private long now = 1_000_000_000L;
    private long tasks;
    private final UnknownHostWatch watch = new UnknownHostWatch(BASE, "self", inventory, registry, intake, timer, () -> now);

    {
        doAnswer(call -> {
            long delay = TimeUnit.NANOSECONDS.convert(call.getArgument(1, Long.class), call.getArgument(2, TimeUnit.class));
            scheduled.add(new Task(now + delay, tasks++, call.getArgument(0)));
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

    private static Exchange message(String topic, String payload) {
        return command(topic, payload.getBytes(StandardCharsets.UTF_8), null);
    }

    private void workerState(String worker, String state) {
        watch.accept(message(BASE + "/bridge/workers/" + worker + "/state", state));
    }

    private void announce(String worker, String... hosts) {
        registry.accept(BASE + "/bridge/workers/" + worker + "/info",
                WorkerRegistryTest.info(worker, null, null, null, hosts).getBytes(StandardCharsets.UTF_8));
    }

    private void runAll() {
        runUntil(Long.MAX_VALUE);
    }

    private void runNext() {
        Task next = scheduled.poll();
        now = Math.max(now, next.dueNanos());
        next.task().run();
    }

    /** Runs every task due up to {@code until}, in order, the clock moving to each. */
    private void runUntil(long until) {
        while (!scheduled.isEmpty() && scheduled.peek().dueNanos() <= until) {
            Task next = scheduled.poll();
            now = Math.max(now, next.dueNanos());
            next.task().run();
        }
        if (until != Long.MAX_VALUE) {
            now = Math.max(now, until);
        }
    }

    private long answeredAt = -1;

    private void recordWhenAnswered() {
        doAnswer(call -> {
            answeredAt = now;
            return null;
        }).when(intake).acceptUnowned(any(), any(), any(), any());
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
        verify(timer).schedule(any(Runnable.class), eq(UnknownHostWatch.GRACE.toNanos()), eq(TimeUnit.NANOSECONDS));
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
        runNext();
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
                runNext();
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
        UnknownHostWatch stopping = new UnknownHostWatch(BASE, "self", inventory, registry, intake, stopped, () -> now);
        for (int i = 0; i < UnknownHostWatch.MAX_WAITING + 10; i++) {
            stopping.accept(command("ghost"));
        }
        verify(stopped, times(UnknownHostWatch.MAX_WAITING + 10)).schedule(any(Runnable.class), anyLong(), any());
        assertEquals(0, stopping.heldCount());
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

    // ---- several workers: the first online worker by id answers, the next one if it dies ----

    @Test
    void aWorkerRankedBeforeThisOneAnswersAndThisOneLetsTheCommandGoOnSeeingTheAnswer() {
        workerState("alpha", "online");
        watch.accept(message(BASE + "/ghost/cmd/wake", "{\"id\":\"c1\"}"));
        runUntil(now + UnknownHostWatch.GRACE.toNanos());
        watch.accept(message(BASE + "/ghost/result/wake", "{\"id\":\"c1\",\"code\":\"UNKNOWN_HOST\"}"));
        assertEquals(0, watch.heldCount());
        runAll();
        verify(intake, never()).acceptUnowned(any(), any(), any(), any());
    }

    @Test
    void aWorkerRankedAfterThisOneDoesNotDelayItsAnswer() {
        recordWhenAnswered();
        workerState("zulu", "online");
        long sent = now;
        watch.accept(command("ghost"));
        runAll();
        verify(intake, times(1)).acceptUnowned(any(), any(), any(), any());
        assertEquals(sent + UnknownHostWatch.GRACE.toNanos(), answeredAt);
    }

    @Test
    void theFirstWorkerKilledBeforeItsAnswerIsReplacedByTheNextOneASettleAfterItsWill() {
        recordWhenAnswered();
        workerState("alpha", "online");
        watch.accept(message(BASE + "/ghost/cmd/wake", "{\"id\":\"c1\"}"));
        runUntil(now + UnknownHostWatch.GRACE.toNanos() + 200_000_000L);
        verify(intake, never()).acceptUnowned(any(), any(), any(), any());
        long will = now;
        workerState("alpha", "offline");   // its Last Will: nothing of it came before
        runAll();
        verify(intake, times(1)).acceptUnowned(eq(BASE + "/ghost/cmd/wake"), any(), any(), any());
        assertEquals(will + UnknownHostWatch.SETTLE.toNanos(), answeredAt);
    }

    @Test
    void theFirstWorkerKilledRightAfterItsAnswerIsNotAnsweredForAgain() {
        workerState("alpha", "online");
        watch.accept(message(BASE + "/ghost/cmd/wake", "{\"id\":\"c1\"}"));
        runUntil(now + UnknownHostWatch.GRACE.toNanos() + 100_000_000L);
        watch.accept(message(BASE + "/ghost/result/wake", "{\"id\":\"c1\",\"code\":\"UNKNOWN_HOST\"}"));
        workerState("alpha", "offline");
        runAll();
        verify(intake, never()).acceptUnowned(any(), any(), any(), any());
    }

    @Test
    void theFirstWorkerKilledDuringTheGraceLeavesTheAnswerToTheNextAtTheGracesEnd() {
        recordWhenAnswered();
        workerState("alpha", "online");
        long sent = now;
        watch.accept(command("ghost"));
        runUntil(now + 300_000_000L);
        workerState("alpha", "offline");
        runAll();
        verify(intake, times(1)).acceptUnowned(any(), any(), any(), any());
        assertEquals(sent + UnknownHostWatch.GRACE.toNanos(), answeredAt);
    }

    @Test
    void aWorkerWhoseRetainedOnlineOutlivedItIsPassedOverAfterThePatience() {
        recordWhenAnswered();
        workerState("alpha", "online");   // stale: it never answers, and no Will comes
        long sent = now;
        watch.accept(command("ghost"));
        runAll();
        verify(intake, times(1)).acceptUnowned(any(), any(), any(), any());
        assertEquals(sent + UnknownHostWatch.GRACE.toNanos() + UnknownHostWatch.PATIENCE.toNanos(), answeredAt);
    }

    @Test
    void anAnswerWithAnotherIdDoesNotReleaseAHeldCommand() {
        workerState("alpha", "online");
        watch.accept(message(BASE + "/ghost/cmd/wake", "{\"id\":\"c1\"}"));
        watch.accept(message(BASE + "/ghost/result/wake", "{\"id\":\"c2\"}"));
        watch.accept(message(BASE + "/ghost/result/check", "{\"id\":\"c1\"}"));
        assertEquals(1, watch.heldCount());
        workerState("alpha", "offline");
        runAll();
        verify(intake, times(1)).acceptUnowned(any(), any(), any(), any());
    }

    @Test
    void aCommandWithoutAnIdIsReleasedByTheAnswerOnItsTopicThatTheFirstWorkerMadeAnIdFor() {
        workerState("alpha", "online");
        watch.accept(command("ghost"));
        watch.accept(message(BASE + "/ghost/result/wake", "{\"id\":\"alpha-8f1c\",\"code\":\"UNKNOWN_HOST\"}"));
        assertEquals(0, watch.heldCount());
        workerState("alpha", "offline");
        runAll();
        verify(intake, never()).acceptUnowned(any(), any(), any(), any());
    }

    @Test
    void aTopicWithoutAHostIdIsAnsweredOnBridgeErrorByTheFirstWorkerOnly() {
        workerState("alpha", "online");
        watch.accept(command("Not_A_Host"));
        runAll();
        verify(intake, never()).acceptUnowned(any(), any(), any(), any());
        assertEquals(0, watch.heldCount());
        workerState("alpha", "offline");
        watch.accept(command("Not_A_Host"));
        runAll();
        verify(intake, times(1)).acceptUnowned(eq(BASE + "/Not_A_Host/cmd/wake"), any(), any(), any());
    }

    @Test
    void aCommandNoWorkerAnswersIsGivenUpAfterTheHold() {
        long ranksBeyondTheHold = UnknownHostWatch.HOLD.toNanos() / UnknownHostWatch.PATIENCE.toNanos() + 1;
        for (int i = 0; i < ranksBeyondTheHold; i++) {
            workerState(String.format("a%02d", i), "online");
        }
        watch.accept(command("ghost"));
        runAll();
        verify(intake, never()).acceptUnowned(any(), any(), any(), any());
        assertEquals(0, watch.heldCount());
    }

    @Test
    void thisWorkersOwnStateAndForgedWorkerTopicsDoNotChangeTheOrder() {
        recordWhenAnswered();
        workerState("self", "offline");        // its own Will, read back after a reconnect
        workerState("Alpha/x", "online");     // not a worker id
        long sent = now;
        watch.accept(command("ghost"));
        runAll();
        assertEquals(sent + UnknownHostWatch.GRACE.toNanos(), answeredAt);
    }

    @Test
    void aResultThatIsNotJsonOrHasNoIdReleasesOnlyACommandWithoutAnId() {
        workerState("alpha", "online");
        watch.accept(message(BASE + "/ghost/cmd/wake", "{\"id\":\"c1\"}"));
        watch.accept(message(BASE + "/ghost/result/wake", "not json"));
        watch.accept(message(BASE + "/ghost/result/wake", "{\"id\":\"" + "x".repeat(65) + "\"}"));
        assertEquals(1, watch.heldCount());
    }
}
