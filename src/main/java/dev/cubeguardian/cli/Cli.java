package dev.cubeguardian.cli;

import java.io.PrintStream;
import java.util.Set;

/** The command-line client: `cubeguardian wake|shutdown|cancel|status ...`. (Placeholder until the CLI lands.) */
public final class Cli {

    public static final Set<String> COMMANDS = Set.of("wake", "shutdown", "cancel", "status");

    private Cli() {
    }

    /** @return the process exit status */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        err.println("cubeguardian: the command-line client is not available in this build yet");
        return 2;
    }
}
