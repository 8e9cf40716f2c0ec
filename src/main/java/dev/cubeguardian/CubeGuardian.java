package dev.cubeguardian;

import dev.cubeguardian.config.InvalidSettingException;
import dev.cubeguardian.config.InventoryException;
import org.apache.camel.main.Main;

/** Starts the worker: Camel Main finds {@link CubeGuardianConfiguration} and the routes under routes/. */
public final class CubeGuardian {

    /** Exit status for a configuration the worker refuses to start with. */
    static final int BAD_CONFIGURATION = 2;

    private CubeGuardian() {
    }

    public static void main(String[] args) throws Exception {
        try {
            new Main(CubeGuardian.class).run(args);
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

    static String configurationProblem(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InventoryException || t instanceof InvalidSettingException) {
                return t.getMessage();
            }
        }
        return null;
    }
}
