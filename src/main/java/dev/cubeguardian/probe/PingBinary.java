package dev.cubeguardian.probe;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/** Finds the system {@code ping} executable on PATH. */
public final class PingBinary {

    private PingBinary() {
    }

    /** The ping on this process's PATH, looked up once: PATH does not change under a running JVM. */
    public static Optional<Path> onPath() {
        return Holder.ON_PATH;
    }

    /** @param pathVariable a PATH-style list of directories, may be null */
    static Optional<Path> find(String pathVariable) {
        if (pathVariable == null || pathVariable.isEmpty()) {
            return Optional.empty();
        }
        for (String dir : pathVariable.split(Pattern.quote(File.pathSeparator))) {
            if (dir.isEmpty()) {
                continue;   // an empty PATH entry means "current directory": never trust that
            }
            Path candidate = Path.of(dir, "ping");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    private static final class Holder {
        static final Optional<Path> ON_PATH = find(System.getenv("PATH"));
    }

}
