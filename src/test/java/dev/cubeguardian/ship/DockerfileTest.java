package dev.cubeguardian.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.ship.ShipFiles.Instruction;
import dev.cubeguardian.ship.ShipFiles.Stage;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Dockerfile, read as Docker would, against the jar's packaging and the health endpoint. */
class DockerfileTest {

    private static final List<Stage> STAGES = ShipFiles.dockerfileStages();

    private static Stage build() {
        return STAGES.get(0);
    }

    private static Stage runtime() {
        return STAGES.get(STAGES.size() - 1);
    }

    @Test
    void multiStageBuildWithMaven() {
        assertEquals(2, STAGES.size(), "a build stage and a runtime stage");
        assertEquals("maven:3.9-eclipse-temurin-17", build().image());
        assertNotNull(build().name());
        assertTrue(build().all("RUN").stream().anyMatch(r -> r.arguments().contains("mvn -B -q -DskipTests package")));
        // the build context holds what the pom builds from: src/main and routes/ (a resource directory)
        String copies = String.join("\n", build().all("COPY").stream().map(Instruction::arguments).toList());
        assertTrue(copies.contains("pom.xml") && copies.contains("src/main") && copies.contains("routes"), copies);
        assertTrue(ShipFiles.read("pom.xml").contains("<directory>routes</directory>"));
    }

    @Test
    void runtimeStageIsAJreWithoutBuildTools() {
        String image = runtime().image().toLowerCase(Locale.ROOT);
        assertTrue(image.equals("eclipse-temurin:17-jre") || image.startsWith("eclipse-temurin:17-jre-")
                || image.startsWith("debian:"), "a JRE (or plain Debian) base: " + image);
        assertFalse(image.contains("jdk") || image.contains("maven"), image);
        Set<String> packages = ShipFiles.aptInstalls(runtime());
        assertTrue(packages.contains("iputils-ping"), "ICMP probes need ping: " + packages);
        for (String p : packages) {
            assertTrue(Set.of("iputils-ping", "curl", "openjdk-17-jre-headless").contains(p), "unexpected package " + p);
        }
        String runtimeText = String.join("\n", runtime().instructions().stream().map(i -> i.keyword() + " " + i.arguments()).toList())
                .toLowerCase(Locale.ROOT);
        for (String forbidden : List.of("maven", "mvn ", "-jdk", "openjdk-17-jdk", "gcc", "build-essential", "pwsh", "powershell")) {
            assertFalse(runtimeText.contains(forbidden), "runtime stage mentions " + forbidden);
        }
        assertTrue(runtimeText.contains("rm -rf /var/lib/apt/lists/*"), "apt lists cleaned in the same layer");
    }

    @Test
    void runsAsTheNonRootUser10001() {
        List<Instruction> users = runtime().all("USER");
        assertEquals(1, users.size());
        String user = users.get(0).arguments().split(":")[0];
        assertEquals("10001", user);
        assertTrue(runtime().all("RUN").stream().anyMatch(r -> r.arguments().contains("useradd")
                && r.arguments().contains("--uid 10001")), "a passwd entry for uid 10001");
        int userIndex = runtime().instructions().indexOf(users.get(0));
        for (int i = userIndex + 1; i < runtime().instructions().size(); i++) {
            assertFalse(runtime().instructions().get(i).keyword().equals("RUN"), "no RUN after USER");
        }
    }

    /** Issue 13: the command memory lives in a volume the worker's user may write, where the worker looks for it. */
    @Test
    void theCommandMemoryIsAVolumeAtDataWritableByTheWorkersUser() {
        assertEquals(List.of("[\"/data\"]"), runtime().all("VOLUME").stream().map(Instruction::arguments).toList());
        assertTrue(runtime().all("ENV").stream().anyMatch(e -> e.arguments().contains("CUBEGUARDIAN_DATA_DIR=/data")),
                "the worker's data directory is the volume");
        assertTrue(runtime().all("RUN").stream().anyMatch(r -> r.arguments().contains("install -d -o 10001 -g 10001 -m 0750 /data")),
                "/data made before the VOLUME, owned by the worker's user (a new named volume takes the directory's owner)");
    }

    @Test
    void copiesTheJarAndItsLibBesideIt() {
        List<String> copies = runtime().all("COPY").stream().map(Instruction::arguments).toList();
        String from = "--from=" + build().name() + " ";
        assertTrue(copies.contains(from + "/src/target/cubeguardian.jar /app/cubeguardian.jar"), copies.toString());
        assertTrue(copies.contains(from + "/src/target/lib/ /app/lib/"), copies.toString());
        // the manifest's Class-Path names lib/<jar>: lib/ must sit next to the jar
        String pom = ShipFiles.read("pom.xml");
        assertTrue(pom.contains("<classpathPrefix>lib/</classpathPrefix>"));
        assertTrue(pom.contains("<outputDirectory>${project.build.directory}/lib</outputDirectory>"));
        assertTrue(pom.contains("<finalName>cubeguardian</finalName>"));
        assertEquals(List.of("/app"), runtime().all("WORKDIR").stream().map(Instruction::arguments).toList());
    }

    @Test
    void entryPointRunsTheJar() {
        List<Instruction> entry = runtime().all("ENTRYPOINT");
        assertEquals(1, entry.size());
        assertEquals(List.of("java", "-XX:+UseSerialGC", "-Xss512k", "-XX:MaxRAM=256m", "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=32m", "-XX:MaxMetaspaceSize=128m",
                "-XX:SharedArchiveFile=/app/cubeguardian.jsa", "-jar", "/app/cubeguardian.jar"),
                ShipFiles.execForm(entry.get(0).arguments()),
                "exec form: the compose command (e.g. [\"discord\"]) becomes the jar's arguments");
        List<Instruction> cmd = runtime().all("CMD");
        assertTrue(cmd.isEmpty() || ShipFiles.execForm(cmd.get(0).arguments()).isEmpty(), "no default arguments: the worker");
    }

    @Test
    void theAppCdsArchiveIsTrainedWithTheEntryPointsOwnCommand() {
        // an archive made with other flags or another jar would be ignored by the JVM: the training start runs exactly
        // the ENTRYPOINT's command, less the archive it is making
        List<String> entry = ShipFiles.execForm(runtime().all("ENTRYPOINT").get(0).arguments());
        String archiveFlag = entry.stream().filter(f -> f.startsWith("-XX:SharedArchiveFile=")).findFirst().orElseThrow();
        String archive = archiveFlag.substring("-XX:SharedArchiveFile=".length());
        List<String> command = new java.util.ArrayList<>(entry);
        command.remove(archiveFlag);
        List<Instruction> runs = runtime().all("RUN").stream().filter(r -> r.arguments().startsWith("train-cds ")).toList();
        assertEquals(1, runs.size(), "one training start in the runtime stage");
        assertEquals("train-cds " + archive + " " + String.join(" ", command), runs.get(0).arguments());
        assertTrue(runtime().all("COPY").stream().anyMatch(c -> c.arguments().equals("docker/train-cds /usr/local/bin/")));
        // before USER: the archive is written as root into /app, and read by the worker's user
        List<Instruction> all = runtime().instructions();
        assertTrue(all.indexOf(runs.get(0)) < all.indexOf(runtime().all("USER").get(0)), "trained before USER");
        String script = ShipFiles.read("docker/train-cds");
        assertTrue(script.contains("export CUBEGUARDIAN_DATA_DIR=none"), "the training leaves no command memory in the image");
        assertTrue(script.contains("chmod 0644 \"$archive\""), "readable by uid 10001");
    }

    @Test
    void healthCheckProbesTheWorkersHealthEndpointOnTheConfiguredPort() {
        List<Instruction> checks = runtime().all("HEALTHCHECK");
        assertEquals(1, checks.size());
        String check = checks.get(0).arguments();
        assertTrue(check.endsWith("CMD [\"/app/healthcheck\"]"), check);
        assertTrue(runtime().all("COPY").stream().anyMatch(c -> c.arguments().matches("(\\S+ )*docker/healthcheck( \\S+)* /app/")),
                "docker/healthcheck is copied to /app/healthcheck");
        assertTrue(ShipFiles.read(".dockerignore").contains("!docker/healthcheck"), "and is in the build context");

        String script = ShipFiles.read("docker/healthcheck");
        // the port the worker listens on: CUBEGUARDIAN_MANAGEMENT_PORT, with the worker's own default
        assertTrue(script.contains("port=\"${CUBEGUARDIAN_MANAGEMENT_PORT:-" + ShipFiles.expectedManagementPort() + "}\""), script);
        assertTrue(script.contains("host=\"${CUBEGUARDIAN_MANAGEMENT_HOST:-127.0.0.1}\""), "the management server is bound to loopback");
        assertTrue(script.contains("\"http://$host:$port" + ShipFiles.expectedHealthPath() + "\""), "camel.management.health-path");
        assertTrue(script.contains("curl -fsS"), "-f: an HTTP error (503 when DOWN) fails the check");
        assertTrue(script.contains("CUBEGUARDIAN_MANAGEMENT_ENABLED"), "management off: no endpoint to ask");
        assertTrue(ShipFiles.applicationEnvNames().containsAll(
                Set.of("CUBEGUARDIAN_MANAGEMENT_PORT", "CUBEGUARDIAN_MANAGEMENT_HOST", "CUBEGUARDIAN_MANAGEMENT_ENABLED")));
        assertTrue(ShipFiles.aptInstalls(runtime()).contains("curl"), "the check's curl is installed explicitly");
        for (String doc : List.of("docs/install.md", "docs/security.md")) {
            assertTrue(ShipFiles.read(doc).contains(ShipFiles.expectedHealthUrl()), doc + " names " + ShipFiles.expectedHealthUrl());
        }
    }

    @Test
    void buildsOfflineWithTheClassicBuilderToo() {
        // "# syntax=" makes BuildKit pull its frontend from Docker Hub on every build; RUN --mount
        // is refused by the classic builder (Docker 20.10's default, and docker-compose v1's)
        String dockerfile = ShipFiles.read("Dockerfile");
        assertFalse(Pattern.compile("(?im)^#\\s*syntax\\s*=").matcher(dockerfile).find(), "a # syntax= directive");
        for (Stage stage : STAGES) {
            for (Instruction run : stage.all("RUN")) {
                assertFalse(run.arguments().startsWith("--"), "RUN with BuildKit-only flags: " + run.arguments());
            }
        }
    }

    @Test
    void runtimeIsAJlinkedJavaFromTheBuildStage() {
        // the build stage runs docker/make-java-runtime, which holds the jlink command
        assertTrue(build().all("COPY").stream().anyMatch(c -> c.arguments().equals("docker/make-java-runtime /usr/local/bin/")),
                "docker/make-java-runtime is in the build stage");
        assertTrue(build().all("RUN").stream().anyMatch(r -> r.arguments().equals("make-java-runtime /opt/java")),
                "the build stage makes /opt/java with it");
        String jlink = ShipFiles.read("docker/make-java-runtime").lines().dropWhile(l -> !l.startsWith("jlink "))
                .takeWhile(l -> !l.isBlank()).reduce("", (a, b) -> a + " " + b.replace("\\", ""));
        assertFalse(jlink.isBlank(), "no jlink in docker/make-java-runtime");
        Matcher modules = Pattern.compile("--add-modules\\s+(\\S+)").matcher(jlink);
        assertTrue(modules.find(), jlink);
        Set<String> added = Set.of(modules.group(1).split(","));
        // loaded by name, so jdeps cannot see them: SSH and TLS keys, the French texts' locale data
        for (String needed : List.of("java.base", "jdk.crypto.ec", "jdk.localedata", "java.management", "jdk.unsupported",
                "java.naming", "java.sql", "java.xml", "java.net.http")) {
            assertTrue(added.contains(needed), "jlink leaves out " + needed + ": " + added);
        }
        assertTrue(jlink.contains("--include-locales=en,fr"), "the worker's two languages");
        assertTrue(jlink.contains("--output \"$out\""), jlink);
        // without the JDK's archive a jlinked runtime shares no classes, and the image's AppCDS archive needs it as its base
        assertTrue(jlink.contains("--generate-cds-archive"), jlink);
        assertTrue(runtime().all("COPY").stream().anyMatch(c -> c.arguments().equals("--from=" + build().name() + " /opt/java /opt/java")));
        String path = runtime().all("ENV").stream().map(Instruction::arguments).filter(e -> e.contains("PATH="))
                .findFirst().orElse("");
        assertTrue(path.contains("PATH=/opt/java/bin:"), "java of the ENTRYPOINT is the jlinked one: " + path);
        assertTrue(path.contains("JAVA_HOME=/opt/java"), path);
    }

    @Test
    void shipsTheLauncherForTheClientInsideTheContainer() {
        // docs/cli.md: docker exec <container> /app/cubeguardian status
        assertTrue(runtime().all("COPY").stream().anyMatch(c -> c.arguments().matches("cubeguardian( \\S+)* /app/")),
                "the launcher is copied to /app/cubeguardian");
        assertTrue(ShipFiles.read(".dockerignore").contains("!cubeguardian\n"), "and is in the build context");
        assertTrue(ShipFiles.read("cubeguardian").contains("/app/cubeguardian.jar"), "the launcher finds the image's jar");
        assertTrue(ShipFiles.read("docs/cli.md").contains("/app/cubeguardian status"));
    }

    @Test
    void managementServerIfConfiguredStaysOnLoopback() {
        // with network_mode: host, 0.0.0.0 (Camel's default) would open it to the LAN
        String host = ShipFiles.camelProperty("camel.management.host");
        if (ShipFiles.camelProperty("camel.management.enabled") != null) {
            assertNotNull(host, "camel.management.host must be set (Camel's default is 0.0.0.0)");
        }
        if (host != null) {
            assertTrue(Set.of("127.0.0.1", "localhost").contains(host), "camel.management.host=" + host);
        }
    }

    @Test
    void buildContextLeavesSecretsAndConfigOut() {
        List<String> lines = ShipFiles.read(".dockerignore").lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertEquals("*", lines.get(0), "allow-list: everything is excluded first");
        assertEquals(Set.of("!pom.xml", "!src/main/", "!routes/", "!cubeguardian", "!docker/healthcheck", "!docker/make-java-runtime",
                        "!docker/train-cds"),
                Set.copyOf(lines.subList(1, lines.size())));
    }
}
