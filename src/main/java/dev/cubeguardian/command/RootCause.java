package dev.cubeguardian.command;

/** The innermost cause's text: what actually went wrong, for a result's {@code reason}. */
public final class RootCause {

    private RootCause() {
    }

    public static String message(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
