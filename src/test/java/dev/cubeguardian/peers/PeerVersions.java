package dev.cubeguardian.peers;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Minecraft versions the installed minecraft-protocol knows, as src/test/node/versions.js
 * reports them: the tests follow the pinned package rather than a list of their own.
 */
record PeerVersions(String packageVersion, List<String> supported, String newest, JsonNode protocols) {

    private static PeerVersions known;

    static synchronized PeerVersions get() throws Exception {
        if (known == null) {
            try (NodePeer script = NodePeer.start("versions.js")) {
                JsonNode line = script.awaitEvent("versions", Duration.ofSeconds(30));
                List<String> supported = new ArrayList<>();
                line.get("minecraft_protocol").forEach(version -> supported.add(version.asText()));
                known = new PeerVersions(line.at("/packages/minecraft-protocol").asText(), List.copyOf(supported),
                        line.get("newest").asText(), line.get("protocols"));
            }
        }
        return known;
    }

    /** The protocol number of a version minecraft-protocol knows, e.g. 765 for 1.20.4. */
    int protocol(String version) {
        JsonNode number = protocols.get(version);
        if (number == null || !number.isInt()) {
            throw new AssertionError("minecraft-protocol " + packageVersion + " does not know Minecraft " + version);
        }
        return number.intValue();
    }

    /** Orders version names by their numbers: 1.8.8 < 1.21 < 1.21.11 < 26.1 (the 2026 scheme). */
    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int left = i < x.length ? Integer.parseInt(x[i]) : 0;
            int right = i < y.length ? Integer.parseInt(y[i]) : 0;
            if (left != right) {
                return Integer.compare(left, right);
            }
        }
        return 0;
    }
}
