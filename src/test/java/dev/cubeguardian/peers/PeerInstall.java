package dev.cubeguardian.peers;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Where the Node.js peers live (src/test/node) and the {@code node} that runs them. Like
 * NodeRedIT, a missing install is installed once with src/test/node/install.sh, so that
 * {@code mvn verify} alone works on a machine with Node.js; when that fails too, the test fails
 * saying what to run. It is never skipped: a peer test that did not run would look like a pass.
 */
final class PeerInstall {

    static final String INSTALL_SCRIPT = "src/test/node/install.sh";
    // the packages the scripts require (install.sh checks their versions; here, being there is enough)
    private static final String[] PACKAGES = {"minecraft-protocol", "mineflayer", "minecraft-server-util"};

    private static Path node;
    // one failed install is enough: every later test fails with its message instead of trying again
    private static AssertionError failure;

    private PeerInstall() {
    }

    static Path scriptsDir() {
        return Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("src/test/node");
    }

    /** The node executable, with the peers installed beside the scripts; fails the test otherwise. */
    static synchronized Path node() {
        if (failure != null) {
            throw failure;
        }
        if (node == null) {
            try {
                Path found = findOnPath("node");
                if (!installed()) {
                    install();
                }
                node = found;
            } catch (AssertionError e) {
                failure = e;
                throw e;
            }
        }
        return node;
    }

    private static boolean installed() {
        for (String name : PACKAGES) {
            if (!Files.isRegularFile(scriptsDir().resolve("node_modules").resolve(name).resolve("package.json"))) {
                return false;
            }
        }
        return true;
    }

    private static void install() {
        Path script = scriptsDir().resolve("install.sh");
        try {
            // stdin from /dev/null: npm makes an inherited stdin non-blocking, which breaks the
            // surefire/failsafe fork's command channel (see ChildProcessStdinTest)
            Process install = new ProcessBuilder("bash", script.toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            if (!install.waitFor(5, TimeUnit.MINUTES)) {
                install.destroyForcibly();
                throw new AssertionError(notInstalled("install.sh did not finish within 5 minutes"));
            }
            if (install.exitValue() != 0 || !installed()) {
                throw new AssertionError(notInstalled("install.sh exited with " + install.exitValue()));
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(notInstalled("install.sh could not be started: " + e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(notInstalled("interrupted"), e);
        }
    }

    private static String notInstalled(String why) {
        return "The Minecraft test peers are not installed (" + scriptsDir().resolve("node_modules")
                + " lacks minecraft-protocol, mineflayer or minecraft-server-util) and installing them failed: " + why
                + ". Run " + INSTALL_SCRIPT + " (it needs Node.js 18 or later, npm and the npm registry), then run the test again.";
    }

    private static Path findOnPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir).resolve(command);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("Node.js (" + command + ") is not on the PATH: install Node.js 18 or later "
                + "(Debian: apt-get install nodejs npm), then run " + INSTALL_SCRIPT);
    }
}
