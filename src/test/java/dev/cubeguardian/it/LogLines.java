package dev.cubeguardian.it;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * The log lines this JVM writes while it is open, as the console shows them ("LEVEL Logger -
 * message"): an appender on the root logger, so the levels of log4j2.properties apply.
 */
public final class LogLines implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final AbstractAppender appender;

    public LogLines() {
        appender = new AbstractAppender("test-lines-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                String logger = event.getLoggerName().substring(event.getLoggerName().lastIndexOf('.') + 1);
                lines.add(event.getLevel() + " " + logger + " - " + event.getMessage().getFormattedMessage());
            }
        };
        appender.start();
        context().getConfiguration().getRootLogger().addAppender(appender, null, null);
        context().updateLoggers();
    }

    public List<String> all() {
        return List.copyOf(lines);
    }

    /** Waits for a line that contains the text; fails with the lines so far when none comes in time. */
    public String await(String text, java.time.Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : lines) {
                if (line.contains(text)) {
                    return line;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no log line with \"" + text + "\" within " + limit + "; lines: " + String.join("\n", lines));
    }

    public void clear() {
        lines.clear();
    }

    private static LoggerContext context() {
        return (LoggerContext) LogManager.getContext(false);
    }

    @Override
    public void close() {
        context().getConfiguration().getRootLogger().removeAppender(appender.getName());
        context().updateLoggers();
        appender.stop();
    }
}
