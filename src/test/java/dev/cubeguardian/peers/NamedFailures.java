package dev.cubeguardian.peers;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Maven's report names a parameterized run by its index ("(String)[5]"), not by its arguments:
 * this puts the run's display name ("Minecraft 1.20.4") in front of every failure message, so a
 * red build says which version broke.
 */
final class NamedFailures implements TestExecutionExceptionHandler {

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (failure instanceof TestAbortedException) {
            throw failure; // an assumption that did not hold is a skip, not a failure
        }
        AssertionError named = new AssertionError(context.getDisplayName() + ": " + failure.getMessage(), failure);
        named.setStackTrace(failure.getStackTrace());
        throw named;
    }
}
