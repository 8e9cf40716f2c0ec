package dev.cubeguardian.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is checked against the code: every environment variable the worker
 * reads (application.properties) is documented with its default, and the page names no
 * CUBEGUARDIAN_* variable the worker does not read.
 */
class ConfigurationReferenceTest {

    private static final Pattern ENV = Pattern.compile("\\{\\{env:(CUBEGUARDIAN_[A-Z0-9_]+):([^}]*)}}");
    private static final Pattern MENTIONED = Pattern.compile("CUBEGUARDIAN_[A-Z0-9_]+");

    @Test
    void everySettingIsDocumentedWithItsDefaultAndNothingElseIs() throws IOException {
        String properties = Files.readString(Path.of("src/main/resources/application.properties"));
        String docs = Files.readString(Path.of("docs/configuration.md"));
        Map<String, String> defaults = new LinkedHashMap<>();
        Matcher env = ENV.matcher(properties);
        while (env.find()) {
            defaults.put(env.group(1), env.group(2));
        }

        List<String> problems = new ArrayList<>();
        defaults.forEach((name, value) -> {
            int at = docs.indexOf("`" + name + "`");
            if (at < 0) {
                problems.add(name + " is not documented");
            } else if (!value.isEmpty() && !docs.substring(at, Math.min(docs.length(), at + 600)).contains(value)) {
                problems.add(name + ": default " + value + " is not given next to it");
            }
        });
        Matcher mentioned = MENTIONED.matcher(docs);
        while (mentioned.find()) {
            String name = mentioned.group();
            if (!defaults.containsKey(name) && !name.equals("CUBEGUARDIAN_") && !problems.contains(name + " is not read by the worker")) {
                problems.add(name + " is not read by the worker");
            }
        }
        assertEquals(List.of(), problems);
    }
}
