package dev.cubeguardian.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeType;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * One value of the inventory together with where it came from, so every conversion can fail
 * with the file, line and dotted field name. Errors point at the line of the key, because that
 * is where people look and it is the same line whether the value is a scalar or a block.
 */
final class ConfigNode {

    // The YAML core schema also reads 0x1F and 0o17 as integers; nobody means those in a port.
    private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]+");

    private final Path file;
    private final String field;
    private final int line;
    private final Node node;

    ConfigNode(Path file, String field, int line, Node node) {
        this.file = file;
        this.field = field;
        this.line = line;
        this.node = node;
    }

    String field() {
        return field;
    }

    int line() {
        return line;
    }

    Path file() {
        return file;
    }

    Node node() {
        return node;
    }

    String child(String key) {
        return field.isEmpty() ? key : field + "." + key;
    }

    InventoryException error(String detail) {
        return new InventoryException(file, line, field, detail);
    }

    boolean isNull() {
        return node.getTag().equals(Tag.NULL);
    }

    /** The scalar as written; a number or boolean is taken as its text (names, commands). */
    String text() {
        if (!(node instanceof ScalarNode scalar)) {
            throw error("expected text, got " + describe());
        }
        return scalar.getValue();
    }

    int integer(int min, int max) {
        if (!(node instanceof ScalarNode scalar) || !node.getTag().equals(Tag.INT)
                || !DECIMAL.matcher(scalar.getValue()).matches()) {
            throw error("expected a whole number from " + min + " to " + max + ", got " + describe());
        }
        long value;
        try {
            value = Long.parseLong(scalar.getValue());
        } catch (NumberFormatException tooLong) {
            value = Long.MAX_VALUE;
        }
        if (value < min || value > max) {
            throw error(scalar.getValue() + " is out of range (" + min + ".." + max + ")");
        }
        return (int) value;
    }

    boolean bool() {
        if (!node.getTag().equals(Tag.BOOL)) {
            throw error("expected true or false, got " + describe());
        }
        return Boolean.parseBoolean(((ScalarNode) node).getValue().toLowerCase(java.util.Locale.ROOT));
    }

    /** A duration from 0 up to {@code max}. */
    Duration duration(Duration max) {
        return checkMax(parseDuration(), max);
    }

    /** A duration above 0 up to {@code max}: for timeouts, where 0 would mean "fail at once". */
    Duration positiveDuration(Duration max) {
        Duration value = parseDuration();
        if (value.isZero()) {
            throw error("must be more than 0");
        }
        return checkMax(value, max);
    }

    private Duration parseDuration() {
        // Plain 30 arrives tagged int and "30s" as str; a boolean or a list is never a duration.
        Tag tag = node.getTag();
        if (!(node instanceof ScalarNode scalar)
                || !(tag.equals(Tag.INT) || tag.equals(Tag.STR) || tag.equals(Tag.FLOAT))) {
            throw error("expected a duration such as 500ms, 30s or 10m, got " + describe());
        }
        try {
            return Durations.parse(scalar.getValue());
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    private Duration checkMax(Duration value, Duration max) {
        if (value.compareTo(max) > 0) {
            throw error(Durations.format(value) + " is too long (at most " + Durations.format(max) + ")");
        }
        return value;
    }

    /** The entries of a YAML list ({@code [a, b]} or one {@code - a} per line); each keeps its own line. */
    java.util.List<ConfigNode> items() {
        if (!(node instanceof org.snakeyaml.engine.v2.nodes.SequenceNode sequence)) {
            throw error("expected a list, got " + describe());
        }
        java.util.List<ConfigNode> items = new java.util.ArrayList<>();
        for (Node item : sequence.getValue()) {
            int itemLine = item.getStartMark().map(mark -> mark.getLine() + 1).orElse(line);
            items.add(new ConfigNode(file, field + "[" + items.size() + "]", itemLine, item));
        }
        return items;
    }

    /** This value as a mapping that may only hold {@code allowedKeys} (null: any key). */
    ConfigSection section(Collection<String> allowedKeys) {
        return ConfigSection.of(this, allowedKeys);
    }

    String describe() {
        return describe(node);
    }

    static String describe(Node node) {
        if (node.getNodeType() == NodeType.SEQUENCE) {
            return "a list";
        }
        if (node.getNodeType() == NodeType.MAPPING) {
            return "a mapping";
        }
        String value = ((ScalarNode) node).getValue();
        Tag tag = node.getTag();
        if (tag.equals(Tag.NULL)) {
            return "nothing";
        }
        if (tag.equals(Tag.BOOL)) {
            return "the boolean " + value;
        }
        if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
            return "the number " + value;
        }
        return "the text '" + value + "'";
    }
}
