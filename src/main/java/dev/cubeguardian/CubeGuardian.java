package dev.cubeguardian;

import dev.cubeguardian.config.InvalidSettingException;
import dev.cubeguardian.config.InventoryException;
import dev.cubeguardian.cli.Cli;
import dev.cubeguardian.discord.DiscordFrontEnd;
import java.util.Arrays;
import org.apache.camel.main.Main;

/** Starts the worker: Camel Main with {@link CubeGuardianConfiguration} and the routes under routes/. */
public final class CubeGuardian {

    /** Exit status for a configuration the worker refuses to start with. */
    static final int BAD_CONFIGURATION = 2;

    private CubeGuardian() {
    }

    /**
     * {@code java -jar cubeguardian.jar} runs the worker; {@code ... discord} the Discord
     * front-end; {@code ... wake|shutdown|cancel|status ...} the command-line client.
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("discord")) {
            System.exit(DiscordFrontEnd.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && Cli.COMMANDS.contains(args[0])) {
            System.exit(Cli.run(args, System.out, System.err));
        }
        runWorker(args);
    }

    private static void runWorker(String[] args) throws Exception {
        try {
            newMain().run(args);
        } catch (Exception startFailed) {
            // a wrong setting is the user's to fix: one line naming it, not a stack trace
            String problem = configurationProblem(startFailed);
            if (problem == null) {
                throw startFailed;
            }
            System.err.println("cubeguardian: cannot start: " + problem);
            System.exit(BAD_CONFIGURATION);
        }
    }

    /**
     * Camel Main with the worker's configuration named, not found: {@code new Main(CubeGuardian.class)}
     * scans the whole package for configuration classes at every start, about 0.8 s of the cold
     * start on a small board's CPU (benchmark 5), to find this one class.
     */
    public static Main newMain() {
        Main main = new Main();
        main.configure().addConfiguration(CubeGuardianConfiguration.class);
        return main;
    }

    static String configurationProblem(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InventoryException || t instanceof InvalidSettingException) {
                return t.getMessage();
            }
        }
        return null;
    }
}
