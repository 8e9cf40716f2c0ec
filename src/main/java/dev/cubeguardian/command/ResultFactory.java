package dev.cubeguardian.command;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

/** Addresses and localizes an {@link Outcome}: the one place where results are made. */
public final class ResultFactory {

    /** Always milliseconds and an offset, as the contract shows: 2026-11-25T16:07:00.123Z. */
    public static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

    private final Messages messages;
    private final Clock clock;

    public ResultFactory(Messages messages, Clock clock) {
        this.messages = messages;
        this.clock = clock;
    }

    public CommandResult create(ReplyAddress reply, Outcome outcome) {
        String message = messages.format(outcome.messageKey(), outcome.messageArgs());
        boolean success = outcome.code().success();
        long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - reply.receivedNanos());
        return new CommandResult(
                CommandResult.API_VERSION,
                reply.id(),
                reply.host(),
                reply.action(),
                success,
                outcome.code().name(),
                message,
                TIMESTAMP.format(clock.instant()),
                durationMs,
                outcome.details(),
                success ? null : new CommandResult.ErrorInfo(outcome.code().name(), message),
                null);
    }
}
