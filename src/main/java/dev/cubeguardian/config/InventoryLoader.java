package dev.cubeguardian.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads the host inventory (format version 1). Works on the YAML node tree rather than on
 * maps, because the nodes keep their line numbers and their type as written: every problem,
 * including a value of the wrong type, is reported as {@code file:line: field: problem}.
 */
public final class InventoryLoader {

    public static final int FORMAT_VERSION = 1;

    static final List<String> TOP_KEYS = List.of("version", "hosts", "time-zone");

    private InventoryLoader() {
    }

    /**
     * Loads and validates the whole file; relative paths inside it resolve against its directory.
     *
     * @throws InventoryException for the first problem found
     */
    public static Inventory load(Path file) {
        Node root = compose(file, read(file));
        ConfigNode top = new ConfigNode(file, "", line(root.getStartMark()), root);
        ConfigSection section = top.section(TOP_KEYS);
        section.optional("version").ifPresent(node -> {
            // Any whole number is read first so that "version: 2" gets the clearer message below.
            int version = node.integer(0, 1_000_000);
            if (version != FORMAT_VERSION) {
                throw node.error("unsupported format version " + version + " (this CubeGuardian reads version "
                        + FORMAT_VERSION + ")");
            }
        });
        ConfigNode hostsNode = section.entries().get("hosts");
        if (hostsNode == null) {
            throw section.missing("hosts", "is required (a mapping of host id to host settings)");
        }
        ConfigSection hosts = hostsNode.section(null);
        if (hosts.entries().isEmpty()) {
            throw hostsNode.error("must list at least one host");
        }
        Path baseDir = file.toAbsolutePath().getParent();
        Map<String, HostConfig> parsed = new LinkedHashMap<>();
        hosts.entries().forEach((id, node) -> parsed.put(id, HostParser.parse(id, node, baseDir)));
        checkGatewaysApart(parsed, hosts);
        java.time.ZoneId zone = section.optional("time-zone").map(ScheduleParser::timeZone).orElse(null);
        return new Inventory(file, parsed, zone);
    }

    /** Two gateways on one port of one address could not both listen; say so before either tries. */
    private static void checkGatewaysApart(Map<String, HostConfig> parsed, ConfigSection hosts) {
        // every earlier gateway on the port, not only the first: 127.0.0.1 and 127.0.0.2 may share
        // a port, and a third host on 127.0.0.2 must still be caught
        java.util.List<Map.Entry<String, GatewaySettings>> seen = new java.util.ArrayList<>();
        for (HostConfig host : parsed.values()) {
            Optional<GatewaySettings> gateway = host.minecraft().flatMap(MinecraftSettings::gateway);
            if (gateway.isEmpty()) {
                continue;
            }
            GatewaySettings mine = gateway.get();
            for (Map.Entry<String, GatewaySettings> other : seen) {
                if (other.getValue().listenPort() == mine.listenPort()
                        && overlaps(mine.listenHost(), other.getValue().listenHost())) {
                    throw listenNode(hosts.entries().get(host.id())).error(mine.listen()
                            + " overlaps the gateway of host '" + other.getKey() + "' (" + other.getValue().listen()
                            + "): each gateway needs a port (or address) of its own");
                }
            }
            seen.add(Map.entry(host.id(), mine));
        }
    }

    /** The host's minecraft.gateway.listen, which the error is about (already parsed: it is there). */
    private static ConfigNode listenNode(ConfigNode host) {
        return host.section(null).entries().get("minecraft").section(null).entries().get("gateway").section(null)
                .entries().get("listen");
    }

    private static boolean overlaps(String a, String b) {
        String one = GatewaySectionParser.canonical(a);
        String two = GatewaySectionParser.canonical(b);
        return one.equals(two) || isWildcard(one) || isWildcard(two);
    }

    private static boolean isWildcard(String address) {
        return address.equals("0.0.0.0") || address.equals("::");
    }

    private static String read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InventoryException(file, 0, "", "inventory file not found", e);
        } catch (IOException e) {
            throw new InventoryException(file, 0, "", "cannot read the inventory file: " + e, e);
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new InventoryException(file, 0, "", "the file is not valid UTF-8", e);
        }
    }

    private static Node compose(Path file, String text) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file.toString())
                // Core schema: "~" and "null" are nothing, "true"/"false" booleans, "9" an int.
                .setSchema(new CoreSchema())
                // Only matters for construction; ConfigSection rejects duplicates itself, with lines.
                .setAllowDuplicateKeys(false)
                .setAllowRecursiveKeys(false)
                .build();
        Optional<Node> root;
        try {
            root = new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
            String problem = e.getProblem() == null ? "" : e.getProblem();
            String context = e.getContext() == null ? "" : e.getContext() + ": ";
            String column = mark.map(m -> " (column " + (m.getColumn() + 1) + ")").orElse("");
            // a cron written without quotes: YAML reads the leading * as an alias
            String hint = context.startsWith("while scanning an alias") || context.startsWith("while scanning an anchor")
                    ? "; a value that starts with * or & must be quoted, e.g. cron: \"*/15 * * * *\"" : "";
            throw new InventoryException(file, line(mark), "", "invalid YAML: " + context + problem + column + hint, e);
        } catch (YamlEngineException e) {
            throw new InventoryException(file, 0, "", "invalid YAML: " + e.getMessage(), e);
        }
        return root.orElseThrow(() -> new InventoryException(file, 0, "",
                "the file is empty; expected a 'hosts:' mapping"));
    }

    private static int line(Optional<Mark> mark) {
        return mark.map(m -> m.getLine() + 1).orElse(0);
    }
}
