package dev.cubeguardian.ssh;

import dev.cubeguardian.command.CommandRefusedException;
import dev.cubeguardian.command.Outcome;
import dev.cubeguardian.command.RootCause;
import dev.cubeguardian.command.ResultCode;
import dev.cubeguardian.config.Durations;
import dev.cubeguardian.observe.WorkerMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.ssh.SshConstants;
import org.apache.camel.support.DefaultExchange;

/**
 * Runs one remote command through camel-ssh within the host's time limit and turns every way
 * it can fail into its own result code. camel-ssh waits for the remote command without limit,
 * so the call runs on Camel's async executor and is cut off here when the limit passes.
 */
public final class SshRunner {

    static final int EXCERPT_CHARS = 512;

    private final SshTargets targets;
    private final ProducerTemplate template;
    private final WorkerMetrics metrics;

    public SshRunner(SshTargets targets, ProducerTemplate template, WorkerMetrics metrics) {
        this.targets = targets;
        this.template = template;
        this.metrics = metrics;
    }

    /** Route step: the body is the remote command; it becomes the {@link SshOutput}. */
    public void run(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        String host = dev.cubeguardian.command.CommandExchange.command(exchange).host();
        exchange.getMessage().setBody(run(host, exchange.getMessage().getMandatoryBody(String.class)));
    }

    public SshOutput run(String hostId, String remoteCommand) {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            SshOutput output = call(hostId, remoteCommand);
            outcome = output.exitStatus() == null ? "no_exit_status" : output.exitStatus() == 0 ? "ok" : "exit_non_zero";
            return output;
        } catch (CommandRefusedException refused) {
            outcome = refused.outcome().code().name().toLowerCase(java.util.Locale.ROOT);
            throw refused;
        } finally {
            metrics.sshCall(hostId, outcome, java.time.Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private SshOutput call(String hostId, String remoteCommand) {
        SshTarget target = targets.target(hostId)
                .orElseThrow(() -> new IllegalStateException("host " + hostId + " has no SSH settings"));
        long limitMs = target.settings().timeout().toMillis();
        target.watch().beginCall();

        Exchange request = new DefaultExchange(target.endpoint().getCamelContext());
        request.getIn().setBody(remoteCommand);
        Future<Exchange> call = template.asyncSend(target.endpoint(), request);
        Exchange done;
        try {
            done = call.get(limitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException late) {
            target.watch().closeAll();
            throw refused(ResultCode.SSH_TIMEOUT, target, Durations.format(target.settings().timeout()));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            target.watch().closeAll();
            throw refused(ResultCode.SSH_TIMEOUT, target, Durations.format(target.settings().timeout()));
        } catch (ExecutionException e) {
            throw classify(target, e.getCause());
        }
        if (done.getException() != null) {
            throw classify(target, done.getException());
        }
        Integer exit = done.getMessage().getHeader(SshConstants.EXIT_VALUE, Integer.class);
        String stdout = excerpt(done.getMessage().getBody(InputStream.class));
        String stderr = excerpt(done.getMessage().getHeader(SshConstants.STDERR, InputStream.class));
        return new SshOutput(exit, stdout, stderr);
    }

    private CommandRefusedException classify(SshTarget target, Throwable failure) {
        if (target.watch().hostKeyRejected()) {
            return refused(ResultCode.SSH_HOST_KEY_REJECTED, target, target.settings().knownHostsFile().toString());
        }
        String reason = RootCause.message(failure);
        if (reason.startsWith("Failed to connect")) {
            return new CommandRefusedException(Outcome.of(ResultCode.SSH_UNREACHABLE,
                    Outcome.details("target", target.displayAddress(), "reason", reason), target.displayAddress()));
        }
        if (reason.startsWith("Failed to authenticate")) {
            // no key exchange within the time limit: something listens, but it does not speak SSH in time
            return target.watch().keyExchangeDone()
                    ? refused(ResultCode.SSH_AUTH_FAILED, target, target.settings().user())
                    : refused(ResultCode.SSH_TIMEOUT, target, Durations.format(target.settings().timeout()));
        }
        return new CommandRefusedException(Outcome.variant(ResultCode.SSH_COMMAND_FAILED, "error",
                Outcome.details("target", target.displayAddress(), "reason", reason), target.displayAddress(), reason));
    }

    private static CommandRefusedException refused(ResultCode code, SshTarget target, Object secondArg) {
        return new CommandRefusedException(Outcome.of(code,
                Outcome.details("target", target.displayAddress()), target.displayAddress(), secondArg));
    }


    private static String excerpt(InputStream stream) {
        if (stream == null) {
            return "";
        }
        try (stream) {
            byte[] head = stream.readNBytes(EXCERPT_CHARS * 4);
            String text = new String(head, StandardCharsets.UTF_8).strip();
            return text.length() <= EXCERPT_CHARS ? text : text.substring(0, EXCERPT_CHARS) + "…";
        } catch (IOException e) {
            return "";
        }
    }
}
