package dev.cubeguardian.config;

import java.nio.file.Path;

/**
 * A problem with the host inventory, pointing at the exact spot so it can be fixed without
 * guessing: {@code config/hosts.yaml:12: hosts.pve.mac: 'zz' is not a MAC address (...)}.
 */
public class InventoryException extends RuntimeException {

    private final transient Path file;
    private final int line;
    private final String field;
    private final String detail;

    /**
     * @param line 1-based line, 0 when the problem has no position (file missing, empty)
     * @param field dotted path such as {@code hosts.pve.wol.interval}; empty when no field applies
     */
    public InventoryException(Path file, int line, String field, String detail) {
        this(file, line, field, detail, null);
    }

    public InventoryException(Path file, int line, String field, String detail, Throwable cause) {
        super(format(file, line, field, detail), cause);
        this.file = file;
        this.line = line;
        this.field = field == null ? "" : field;
        this.detail = detail;
    }

    private static String format(Path file, int line, String field, String detail) {
        StringBuilder text = new StringBuilder(String.valueOf(file));
        if (line > 0) {
            text.append(':').append(line);
        }
        text.append(": ");
        if (field != null && !field.isEmpty()) {
            text.append(field).append(": ");
        }
        return text.append(detail).toString();
    }

    public Path file() {
        return file;
    }

    /** 1-based; 0 when unknown. */
    public int line() {
        return line;
    }

    /** Dotted path of the offending key; empty for file-level problems such as YAML syntax. */
    public String field() {
        return field;
    }

    /** The problem alone, without file, line and field. */
    public String detail() {
        return detail;
    }
}
