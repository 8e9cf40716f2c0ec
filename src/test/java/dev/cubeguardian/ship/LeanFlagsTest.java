package dev.cubeguardian.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        // the image's flags, less its AppCDS archive (which the launcher adds where that archive is: the test below)
        List<String> imageFlags = entrypoint.subList(1, entrypoint.indexOf("-jar")).stream()
                .filter(f -> !f.startsWith("-XX:SharedArchiveFile=")).toList();
        Matcher launcher = Pattern.compile("\\$\\{CUBEGUARDIAN_JAVA_OPTS:-([^}]*)\\}").matcher(ShipFiles.read("cubeguardian"));
        assertTrue(launcher.find(), "the launcher's default flags");
        assertEquals(imageFlags, Arrays.asList(launcher.group(1).trim().split("\\s+")));
        assertTrue(imageFlags.contains("-XX:+UseSerialGC"), imageFlags.toString());
    }

    @Test
    void theLauncherMapsTheArchiveBesideItsJarAndOnlyWithItsOwnFlags(@TempDir Path dir) throws Exception {
        // the launcher as it sits in /app and in a checkout: a jar in target/, a java that prints what it is given
        Files.copy(ShipFiles.ROOT.resolve("cubeguardian"), dir.resolve("cubeguardian"));
        Files.createDirectories(dir.resolve("target"));
        Files.writeString(dir.resolve("target/cubeguardian.jar"), "");
        Path java = dir.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$@\"\n");
        java.toFile().setExecutable(true);
        String archive = dir.resolve("target/cubeguardian.jsa").toString();

        assertFalse(launch(dir, java, null).contains("SharedArchiveFile"), "a checkout without an archive maps none");
        Files.writeString(dir.resolve("target/cubeguardian.jsa"), "");
        String withArchive = launch(dir, java, null);
        assertTrue(withArchive.contains("-XX:MaxMetaspaceSize=128m -XX:SharedArchiveFile=" + archive + " -jar "), withArchive);
        String ownFlags = launch(dir, java, "-Xmx64m");
        assertEquals("-Xmx64m -jar " + dir.resolve("target/cubeguardian.jar") + " status", ownFlags.strip(),
                "CUBEGUARDIAN_JAVA_OPTS replaces every flag, the archive too (it may not fit the user's flags)");
    }

    private static String launch(Path dir, Path java, String javaOpts) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", dir.resolve("cubeguardian").toString(), "status")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectErrorStream(true);
        pb.environment().put("JAVA", java.toString());
        pb.environment().remove("CUBEGUARDIAN_JAVA_OPTS");
        if (javaOpts != null) {
            pb.environment().put("CUBEGUARDIAN_JAVA_OPTS", javaOpts);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the launcher ends");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void theReadmesDemoCommandGoesThroughTheLauncher() {
        String readme = ShipFiles.read("README.md");
        String firstBlock = readme.substring(readme.indexOf("```sh"), readme.indexOf("```", readme.indexOf("```sh") + 5));
        assertTrue(firstBlock.contains("mvn -B -q -DskipTests package && ./cubeguardian\n"), firstBlock);
    }
}
