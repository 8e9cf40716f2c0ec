package dev.cubeguardian.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's demo command (./cubeguardian) starts the JVM with the image's flags, so a
 * newcomer's first run is the lean one the benchmarks measure (issue 16): the launcher's
 * default flags and the image's ENTRYPOINT flags must not drift apart.
 */
class LeanFlagsTest {

    @Test
    void theLauncherStartsTheJvmWithTheImagesFlags() {
        List<String> entrypoint = ShipFiles.execForm(ShipFiles.dockerfileStages().get(ShipFiles.dockerfileStages().size() - 1)
                .all("ENTRYPOINT").get(0).arguments());
        List<String> imageFlags = entrypoint.subList(1, entrypoint.indexOf("-jar"));
        Matcher launcher = Pattern.compile("\\$\\{CUBEGUARDIAN_JAVA_OPTS:-([^}]*)\\}").matcher(ShipFiles.read("cubeguardian"));
        assertTrue(launcher.find(), "the launcher's default flags");
        assertEquals(imageFlags, Arrays.asList(launcher.group(1).trim().split("\\s+")));
        assertTrue(imageFlags.contains("-XX:+UseSerialGC"), imageFlags.toString());
    }

    @Test
    void theReadmesDemoCommandGoesThroughTheLauncher() {
        String readme = ShipFiles.read("README.md");
        String firstBlock = readme.substring(readme.indexOf("```sh"), readme.indexOf("```", readme.indexOf("```sh") + 5));
        assertTrue(firstBlock.contains("mvn -B -q -DskipTests package && ./cubeguardian\n"), firstBlock);
    }
}
