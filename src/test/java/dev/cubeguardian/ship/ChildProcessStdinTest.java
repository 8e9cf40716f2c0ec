package dev.cubeguardian.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No process a test starts may inherit the test JVM's stdin: under Maven that is the surefire or
 * failsafe fork's command channel, and a child such as npm, which makes its stdin non-blocking,
 * kills the fork ("[SUREFIRE] std/in stream corrupted") and turns a green run into BUILD FAILURE.
 * ProcessBuilder's default (a pipe) and Redirect.from(/dev/null) are fine; inheritIO() and
 * redirectInput(INHERIT) are not.
 */
class ChildProcessStdinTest {

    private static final Pattern INHERITED_STDIN = Pattern.compile(
            "\\.inheritIO\\s*\\(|redirectInput\\s*\\(\\s*(ProcessBuilder\\.)?Redirect\\.INHERIT");

    @Test
    void noTestHandsItsStdinToAChildProcess() throws IOException {
        Path self = ShipFiles.ROOT.resolve("src/test/java/dev/cubeguardian/ship/ChildProcessStdinTest.java");
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> sources = Files.walk(ShipFiles.ROOT.resolve("src/test"))) {
            for (Path file : sources.filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".js"))
                    .filter(p -> !p.equals(self)).filter(p -> !p.toString().contains("/node_modules/")).toList()) {
                String text = Files.readString(file);
                Matcher m = INHERITED_STDIN.matcher(text);
                while (m.find()) {
                    long line = text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
                    offenders.add(ShipFiles.ROOT.relativize(file) + ":" + line + ": " + m.group());
                }
            }
        }
        assertEquals(List.of(), offenders,
                "redirect the child's stdin from /dev/null instead: .redirectInput(ProcessBuilder.Redirect.from(new File(\"/dev/null\")))");
    }

    @Test
    void theGuardSeesWhatItForbids() {
        assertEquals(true, INHERITED_STDIN.matcher("new ProcessBuilder(\"npm\").inheritIO().start()").find());
        assertEquals(true, INHERITED_STDIN.matcher("b.redirectInput(ProcessBuilder.Redirect.INHERIT)").find());
        assertEquals(false, INHERITED_STDIN.matcher("b.redirectInput(ProcessBuilder.Redirect.from(new File(\"/dev/null\")))").find());
        assertEquals(false, INHERITED_STDIN.matcher("b.redirectOutput(ProcessBuilder.Redirect.INHERIT)").find());
    }
}
