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
        assertEquals(List.of("java", "-XX:+UseSerialGC", "-Xss512k", "-XX:MaxRAM=256m", "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=32m", "-XX:MaxMetaspaceSize=128m", "-jar", "/app/cubeguardian.jar"),
                ShipFiles.execForm(entry.get(0).arguments()),
                "exec form: the compose command (e.g. [\"discord\"]) becomes the jar's arguments");
        List<Instruction> cmd = runtime().all("CMD");
        assertTrue(cmd.isEmpty() || ShipFiles.execForm(cmd.get(0).arguments()).isEmpty(), "no default arguments: the worker");
    }

    @Test
    void healthCheckProbesTheWorkersHealthEndpoint() {
        List<Instruction> checks = runtime().all("HEALTHCHECK");
        assertEquals(1, checks.size());
        String check = checks.get(0).arguments();
        Matcher url = Pattern.compile("http://[^\\s\"']+").matcher(check);
        assertTrue(url.find(), check);
        URI uri = URI.create(url.group());
        assertEquals("127.0.0.1", uri.getHost(), "the management server is bound to loopback");
        assertEquals(ShipFiles.expectedManagementPort(), uri.getPort(), "camel.management.port");
        assertEquals(ShipFiles.expectedHealthPath(), uri.getPath(), "camel.management.health-path");
        assertTrue(check.contains("curl -f"), "-f: an HTTP error (503 when DOWN) fails the check");
        assertTrue(ShipFiles.aptInstalls(runtime()).contains("curl"), "the check's curl is installed explicitly");
        for (String doc : List.of("docs/install.md", "docs/security.md")) {
            assertTrue(ShipFiles.read(doc).contains(ShipFiles.expectedHealthUrl()), doc + " names " + ShipFiles.expectedHealthUrl());
        }
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
        assertEquals(Set.of("!pom.xml", "!src/main/", "!routes/"), Set.copyOf(lines.subList(1, lines.size())));
    }
}
