package dev.cubeguardian;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** "online" skips exactly the Home Assistant consumers: the names it skips are the routes of routes/homeassistant.yaml. */
class HomeAssistantRoutesTest {

    @Test
    void theRoutesOnlineDoesNotWaitForAreTheHomeAssistantFilesConsumers() throws Exception {
        String routes = Files.readString(Path.of("routes/homeassistant.yaml"));
        Matcher id = Pattern.compile("(?m)^\\s*id:\\s*(\\S+)").matcher(routes);
        Set<String> ids = id.results().map(m -> m.group(1)).collect(Collectors.toSet());
        assertEquals(ids, CubeGuardianConfiguration.HOME_ASSISTANT_ROUTES);
        // and each of them is an MQTT consumer (the only kind the check looks at)
        assertEquals(ids.size(), Pattern.compile("(?m)^\\s*uri:\\s*paho-mqtt5\\s*$").matcher(routes).results().count());
    }
}
