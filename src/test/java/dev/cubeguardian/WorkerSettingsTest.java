package dev.cubeguardian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.cluster.WorkerIdentity;
import dev.cubeguardian.config.InvalidSettingException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Where the command memory goes (CUBEGUARDIAN_DATA_DIR), read as the worker reads it. */
class WorkerSettingsTest {

    private static final Pattern ENV = Pattern.compile("\\{\\{env:[A-Z0-9_]+:(.*)}}");

    /** application.properties with every {{env:NAME:default}} at its default, then the overrides. */
    private static WorkerSettings settings(Map<String, String> overrides) throws IOException {
        Properties file = new Properties();
        try (InputStream in = WorkerSettings.class.getResourceAsStream("/application.properties")) {
            file.load(in);
        }
        Map<String, String> values = new HashMap<>();
        for (String key : file.stringPropertyNames()) {
            Matcher m = ENV.matcher(file.getProperty(key).trim());
            values.put(key, m.matches() ? m.group(1) : file.getProperty(key).trim());
        }
        values.putAll(overrides);
        return WorkerSettings.from(values::get);
    }

    @Test
    void byDefaultTheMemoryIsKeptInDataBesideTheHostsFile() throws IOException {
        WorkerSettings s = settings(Map.of("cubeguardian.hosts-file", "/etc/cubeguardian/hosts.yaml"));
        assertEquals(Path.of("/etc/cubeguardian/data"), s.dataDir());
    }

    @Test
    void aDirectoryThatIsSetIsUsed() throws IOException {
        WorkerSettings s = settings(Map.of("cubeguardian.hosts-file", "/etc/cubeguardian/hosts.yaml",
                "cubeguardian.data-dir", "/var/lib/cubeguardian"));
        assertEquals(Path.of("/var/lib/cubeguardian"), s.dataDir());
    }

    @Test
    void noneKeepsTheMemoryInMemoryOnlyEvenWithAHostsFile() throws IOException {
        assertNull(settings(Map.of("cubeguardian.hosts-file", "/etc/cubeguardian/hosts.yaml",
                "cubeguardian.data-dir", "none")).dataDir());
        assertNull(settings(Map.of("cubeguardian.hosts-file", "/etc/cubeguardian/hosts.yaml",
                "cubeguardian.data-dir", " NONE ")).dataDir());
    }

    @Test
    void aDirectoryNamedNoneIsWrittenWithItsPath() throws IOException {
        WorkerSettings s = settings(Map.of("cubeguardian.hosts-file", "/etc/cubeguardian/hosts.yaml",
                "cubeguardian.data-dir", "./none"));
        assertEquals(Path.of("./none"), s.dataDir());
    }

    @Test
    void theDemoKeepsNothingUnlessTold() throws IOException {
        // no hosts file set, and (in the build directory) no config/hosts.yaml: the demo
        WorkerSettings demo = settings(Map.of());
        if (demo.demo()) {
            assertNull(demo.dataDir());
            assertEquals(Path.of("/tmp/cg-data"), settings(Map.of("cubeguardian.data-dir", "/tmp/cg-data")).dataDir());
        }
    }

    // --- CUBEGUARDIAN_WORKER_ID / CUBEGUARDIAN_SHARE_GROUP (several workers under one base topic) ---

    private static void refused(Map<String, String> overrides) {
        assertThrows(InvalidSettingException.class, () -> settings(overrides), overrides.toString());
    }

    @Test
    void withoutAWorkerIdTheWorkerIsTheSingleOneOfV1() throws IOException {
        assertEquals(WorkerIdentity.SINGLE, settings(Map.of()).identity());
        assertEquals(WorkerIdentity.SINGLE, settings(Map.of("cubeguardian.worker-id", "  ")).identity());
    }

    @Test
    void aWorkerIdAndAShareGroupAreRead() throws IOException {
        assertEquals(new WorkerIdentity("w1", null), settings(Map.of("cubeguardian.worker-id", "w1")).identity());
        assertEquals(new WorkerIdentity("w1", "Lab_1-a"), settings(Map.of("cubeguardian.worker-id", " w1 ",
                "cubeguardian.share-group", "Lab_1-a")).identity());
    }

    @Test
    void aShareGroupWithoutAWorkerIdIsRefused() {
        refused(Map.of("cubeguardian.share-group", "lab"));
    }

    @Test
    void workerIdsWithCharactersOutsideTheHostIdRuleAreRefused() {
        for (String bad : new String[] {"W1", "Worker", "w.1", "w 1", "w/1", "w+", "w#", "-w1", "_w1", "w\u00e9", "$w"}) {
            refused(Map.of("cubeguardian.worker-id", bad));
        }
    }

    @Test
    void aWorkerIdOf64CharactersIsRefusedAnd63Accepted() throws IOException {
        refused(Map.of("cubeguardian.worker-id", "a".repeat(64)));
        assertEquals("a".repeat(63), settings(Map.of("cubeguardian.worker-id", "a".repeat(63))).identity().workerId());
    }

    @Test
    void shareGroupsWithASlashOrAWildcardAreRefused() {
        for (String bad : new String[] {"lab/a", "+", "#", "lab+", "la#b", "g.1", "g 1", "x".repeat(65)}) {
            refused(Map.of("cubeguardian.worker-id", "w1", "cubeguardian.share-group", bad));
        }
    }

    @Test
    void aBaseTopicWithACommaIsRefusedOnlyWithAWorkerId() throws IOException {
        assertTrue(settings(Map.of("cubeguardian.base-topic", "home,lab")).identity().single());
        refused(Map.of("cubeguardian.base-topic", "home,lab", "cubeguardian.worker-id", "w1"));
        refused(Map.of("cubeguardian.base-topic", "home,lab", "cubeguardian.worker-id", "w1", "cubeguardian.share-group", "g"));
    }
}
