package dev.cubeguardian.config;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * A YAML mapping of the inventory, checked on construction: keys are plain names, appear once,
 * and belong to the allowed set. A typo therefore fails loudly instead of silently becoming a
 * default. YAML merge keys ({@code <<: *anchor}) are already resolved by the composer; merged
 * values keep the line where they are written, which is what an error should point at.
 */
final class ConfigSection {

    private final ConfigNode owner;
    private final Map<String, ConfigNode> entries;

    private ConfigSection(ConfigNode owner, Map<String, ConfigNode> entries) {
        this.owner = owner;
        this.entries = entries;
    }

    static ConfigSection of(ConfigNode owner, Collection<String> allowedKeys) {
        Map<String, ConfigNode> entries = new LinkedHashMap<>();
        // "ssh:" with nothing under it is an empty section, so its required keys are reported.
        if (owner.isNull()) {
            return new ConfigSection(owner, entries);
        }
        if (!(owner.node() instanceof MappingNode mapping)) {
            throw owner.error("expected a mapping of keys, got " + owner.describe());
        }
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            int line = keyNode.getStartMark().map(mark -> mark.getLine() + 1).orElse(owner.line());
            if (!(keyNode instanceof ScalarNode scalar)) {
                throw new InventoryException(owner.file(), line, owner.field(),
                        "keys must be plain names, got " + ConfigNode.describe(keyNode));
            }
            String key = scalar.getValue();
            String field = owner.child(key);
            if (entries.containsKey(key)) {
                throw new InventoryException(owner.file(), line, field,
                        "duplicate key (first given on line " + entries.get(key).line() + ")");
            }
            if (allowedKeys != null && !allowedKeys.contains(key)) {
                throw new InventoryException(owner.file(), line, field,
                        "unknown key (expected one of: " + String.join(", ", allowedKeys) + ")");
            }
            entries.put(key, new ConfigNode(owner.file(), field, line, tuple.getValueNode()));
        }
        return new ConfigSection(owner, entries);
    }

    /** The key's value, or empty when the key is absent or set to nothing ({@code key:} / {@code ~}). */
    Optional<ConfigNode> optional(String key) {
        ConfigNode node = entries.get(key);
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node);
    }

    ConfigNode required(String key) {
        ConfigNode node = entries.get(key);
        if (node == null) {
            throw missing(key, "is required");
        }
        if (node.isNull()) {
            throw node.error("is required but has no value");
        }
        return node;
    }

    /**
     * A nested section, present when its key is (even with nothing under it: {@code minecraft:}
     * turns the feature on with defaults).
     */
    Optional<ConfigSection> section(String key, Collection<String> allowedKeys) {
        ConfigNode node = entries.get(key);
        return node == null ? Optional.empty() : Optional.of(node.section(allowedKeys));
    }

    InventoryException missing(String key, String detail) {
        return new InventoryException(owner.file(), owner.line(), owner.child(key), detail);
    }

    Map<String, ConfigNode> entries() {
        return entries;
    }

    ConfigNode owner() {
        return owner;
    }
}
