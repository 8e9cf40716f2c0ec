package dev.cubeguardian.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cubeguardian.command.Action;
import dev.cubeguardian.command.CommandParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** docs/openapi.yaml says what the code does: its paths, methods, statuses, actions and name patterns. */
class HttpApiOpenApiTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> document() throws Exception {
        return (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(Path.of("docs/openapi.yaml")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node, String... keys) {
        Object current = node;
        for (String key : keys) {
            current = ((Map<String, Object>) current).get(key);
        }
        return (Map<String, Object>) current;
    }

    @Test
    void everyOperationAndStatusOfTheCodeIsDocumentedAndNothingElse() throws Exception {
        Map<String, Set<Integer>> documented = new TreeMap<>();
        map(document(), "paths").forEach((path, methods) -> ((Map<String, Object>) methods).forEach((method, operation) ->
                documented.put(method.toUpperCase() + " " + path, map(operation, "responses").keySet().stream()
                        .map(Integer::valueOf).collect(Collectors.toCollection(TreeSet::new)))));
        Map<String, Set<Integer>> code = new TreeMap<>();
        HttpApiHandlers.OPERATIONS.forEach((operation, statuses) -> code.put(operation, new TreeSet<>(statuses)));
        assertEquals(code, documented);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theActionsAreThoseTheCommandParserAccepts() throws Exception {
        Map<String, Object> post = map(document(), "paths", "/api/v1/hosts/{host}/{action}", "post");
        Map<String, Object> action = ((List<Map<String, Object>>) post.get("parameters")).stream()
                .filter(p -> "action".equals(p.get("name"))).findFirst().orElseThrow();
        List<String> documented = (List<String>) map(action, "schema").get("enum");
        assertEquals(Arrays.stream(Action.values()).map(Action::wireName).toList(), documented);
        assertEquals("^" + PathNames.ACTION.pattern() + "$", map(action, "schema").get("pattern"));
        documented.forEach(name -> assertTrue(PathNames.isAction(name), name));
    }

    @Test
    void theHostPatternIsTheContractsHostId() throws Exception {
        Map<String, Object> host = map(document(), "components", "parameters", "host", "schema");
        assertEquals("^" + CommandParser.HOST_ID.pattern() + "$", host.get("pattern"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyErrorCodeTheApiWritesIsDocumented() throws Exception {
        List<String> documented = (List<String>) map(document(), "components", "schemas", "Error", "properties", "error",
                "properties", "code").get("enum");
        for (Set<Integer> statuses : HttpApiHandlers.OPERATIONS.values()) {
            for (int status : statuses) {
                if (status != 200) {
                    assertTrue(documented.contains(ApiReplies.codeOf(status)), ApiReplies.codeOf(status));
                }
            }
        }
        for (String written : List.of("INVALID_COMMAND", "UNKNOWN_HOST", "NOT_FOUND", "METHOD_NOT_ALLOWED", "INTERNAL_ERROR")) {
            assertTrue(documented.contains(written), written);
        }
    }
}
