package dev.cubeguardian.cli;

/** The command-line client's exit statuses (documented in docs/cli.md). */
public final class ExitCodes {

    /** The command succeeded (and, with --wait, completed successfully). */
    public static final int OK = 0;
    /** The worker answered with a failure, the operation completed unsuccessfully, or the host is unknown. */
    public static final int FAILED = 1;
    /** The command line (or a CUBEGUARDIAN_* variable) is wrong. */
    public static final int USAGE = 2;
    /** No answer in time, or the broker could not be reached / refused us. */
    public static final int TIMEOUT = 3;

    private ExitCodes() {
    }
}
