package dev.cubeguardian.cli;

/** Ends a CLI run with a one-line message on stderr and an exit status. */
final class CliFailure extends Exception {

    private final int exitCode;

    CliFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }

    static CliFailure usage(String message) {
        return new CliFailure(ExitCodes.USAGE, message);
    }
}
