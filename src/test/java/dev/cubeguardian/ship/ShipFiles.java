package dev.cubeguardian.ship;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Reads the shipping files (docker-compose.yml, Dockerfile, docker/**) the way Docker and Compose
 * would, without a Docker engine: the tests built on it check that they fit the jar they ship.
 */
final class ShipFiles {

    /** The health endpoint agreed for the worker (issue 6): Camel's management server on loopback. */
    static final int AGREED_MANAGEMENT_PORT = 9876;
    static final String AGREED_HEALTH_PATH = "/observe/health";

    static final Path ROOT = Path.of("").toAbsolutePath();

    private ShipFiles() {
    }

    static String read(String relative) {
        try {
            return Files.readString(ROOT.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> compose() {
        return map(new Load(LoadSettings.builder().build()).loadFromString(read("docker-compose.yml")), "docker-compose.yml");
    }

    static Map<String, Object> service(String name) {
        return map(map(compose().get("services"), "services").get(name), "services." + name);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String where) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map)) {
            throw new AssertionError(where + " is not a mapping: " + value);
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value, String where) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List)) {
            throw new AssertionError(where + " is not a list: " + value);
        }
        return (List<Object>) value;
    }

    /** {@code environment:} as a map, from either the mapping or the {@code - NAME=value} list form. */
    static Map<String, String> environment(Map<String, Object> service) {
        Object env = service.get("environment");
        Map<String, String> out = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else {
            for (Object item : list(env, "environment")) {
                String s = String.valueOf(item);
                int eq = s.indexOf('=');
                out.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
            }
        }
        return out;
    }

    /** A volume or bind mount as Compose reads it (short {@code src:dst[:mode]} or long syntax). */
    record Mount(String type, String source, String target, boolean readOnly) {
        boolean covers(String path) {
            return path.equals(target) || path.startsWith(target.endsWith("/") ? target : target + "/");
        }
    }

    static List<Mount> mounts(Map<String, Object> service) {
        List<Mount> out = new ArrayList<>();
        for (Object item : list(service.get("volumes"), "volumes")) {
            if (item instanceof String s) {
                String[] parts = s.split(":");
                if (parts.length < 2) {
                    out.add(new Mount("volume", null, parts[0], false));
                    continue;
                }
                String source = parts[0];
                boolean bind = source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
                boolean ro = parts.length > 2 && List.of(parts[2].split(",")).contains("ro");
                out.add(new Mount(bind ? "bind" : "volume", source, parts[1], ro));
            } else {
                Map<String, Object> m = map(item, "volumes item");
                out.add(new Mount(String.valueOf(m.get("type")), (String) m.get("source"), (String) m.get("target"),
                        Boolean.TRUE.equals(m.get("read_only"))));
            }
        }
        return out;
    }

    /** A service's secret: its name in the top-level {@code secrets:} and where it appears in the container. */
    record SecretRef(String name, String target) {
    }

    static List<SecretRef> secrets(Map<String, Object> service) {
        List<SecretRef> out = new ArrayList<>();
        for (Object item : list(service.get("secrets"), "secrets")) {
            if (item instanceof String s) {
                out.add(new SecretRef(s, "/run/secrets/" + s));
            } else {
                Map<String, Object> m = map(item, "secrets item");
                String name = (String) m.get("source");
                Object target = m.get("target");
                String path = target == null ? "/run/secrets/" + name
                        : String.valueOf(target).startsWith("/") ? String.valueOf(target) : "/run/secrets/" + target;
                out.add(new SecretRef(name, path));
            }
        }
        return out;
    }

    /** Every CUBEGUARDIAN_* name application.properties reads through {{env:NAME...}}. */
    static Set<String> applicationEnvNames() {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\{\\{env:([A-Za-z0-9_]+)").matcher(read("src/main/resources/application.properties"));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** application.properties as key/value pairs (plain "key = value" lines; enough for the keys we check). */
    static Map<String, String> applicationProperties() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : read("src/main/resources/application.properties").split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith("!")) {
                continue;
            }
            int sep = t.indexOf('=');
            if (sep > 0) {
                out.put(t.substring(0, sep).strip(), t.substring(sep + 1).strip());
            }
        }
        return out;
    }

    /** A property by its Camel name in either spelling (camel.management.healthPath / health-path). */
    static String camelProperty(String camelCaseKey) {
        Map<String, String> props = applicationProperties();
        String kebab = camelCaseKey.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
        String value = props.containsKey(camelCaseKey) ? props.get(camelCaseKey) : props.get(kebab);
        if (value == null) {
            return null;
        }
        // {{env:NAME:default}} -> the default
        Matcher m = Pattern.compile("\\{\\{env:[A-Za-z0-9_]+:([^}]*)}}").matcher(value);
        return m.matches() ? m.group(1) : value;
    }

    static int expectedManagementPort() {
        String port = camelProperty("camel.management.port");
        return port == null ? AGREED_MANAGEMENT_PORT : Integer.parseInt(port);
    }

    static String expectedHealthPath() {
        String path = camelProperty("camel.management.healthPath");
        return path == null ? AGREED_HEALTH_PATH : path;
    }

    static String expectedHealthUrl() {
        return "http://127.0.0.1:" + expectedManagementPort() + expectedHealthPath();
    }

    // ---------------------------------------------------------------- Dockerfile

    /** One Dockerfile instruction, continuation lines joined, comments dropped. */
    record Instruction(String keyword, String arguments) {
    }

    record Stage(String image, String name, List<Instruction> instructions) {
        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }
    }

    static List<Stage> dockerfileStages() {
        List<Stage> stages = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        List<String> logical = new ArrayList<>();
        for (String raw : read("Dockerfile").split("\n")) {
            String line = raw.stripTrailing();
            if (line.strip().startsWith("#")) {
                continue;   // comments (and the syntax directive), even between continuation lines
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            pending.append(line);
            if (!pending.toString().isBlank()) {
                logical.add(pending.toString().strip());
            }
            pending.setLength(0);
        }
        for (String line : logical) {
            String[] kw = line.split("\\s+", 2);
            Instruction instruction = new Instruction(kw[0].toUpperCase(), kw.length > 1 ? kw[1].strip() : "");
            if (instruction.keyword().equals("FROM")) {
                String[] from = instruction.arguments().split("\\s+");
                String image = from[0].startsWith("--") ? from[1] : from[0];
                String name = null;
                for (int i = 0; i + 1 < from.length; i++) {
                    if (from[i].equalsIgnoreCase("AS")) {
                        name = from[i + 1];
                    }
                }
                stages.add(new Stage(image, name, new ArrayList<>()));
            } else if (stages.isEmpty()) {
                if (!instruction.keyword().equals("ARG")) {
                    throw new AssertionError("Dockerfile: " + line + " before the first FROM");
                }
            } else {
                stages.get(stages.size() - 1).instructions().add(instruction);
            }
        }
        return stages;
    }

    /** Packages named by every apt-get install in a stage. */
    static Set<String> aptInstalls(Stage stage) {
        Set<String> out = new LinkedHashSet<>();
        for (Instruction run : stage.all("RUN")) {
            Matcher m = Pattern.compile("apt-get\\s+install\\s+([^;&|]*)").matcher(run.arguments());
            while (m.find()) {
                for (String word : m.group(1).trim().split("\\s+")) {
                    if (!word.isEmpty() && !word.startsWith("-")) {
                        out.add(word);
                    }
                }
            }
        }
        return out;
    }

    /** The exec form ["a", "b"] of ENTRYPOINT/CMD as a list; a shell-form string as one element. */
    static List<String> execForm(String arguments) {
        String t = arguments.strip();
        if (!t.startsWith("[")) {
            return List.of(t);
        }
        List<Object> parsed = list(new Load(LoadSettings.builder().build()).loadFromString(t), "exec form");
        return parsed.stream().map(String::valueOf).toList();
    }
}
