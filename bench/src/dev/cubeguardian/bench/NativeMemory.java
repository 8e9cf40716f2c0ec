package dev.cubeguardian.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a worker started with {@code -XX:NativeMemoryTracking=summary} has committed, by NMT
 * category (Java Heap, Class, Thread, Code, GC, Symbol, ...), read with the JDK's own jcmd.
 * Issue 16 asks where the resident memory goes before anything is cut.
 */
final class NativeMemory {

    /** The JVM flag that makes a worker answer {@link #committedMb}. */
    static final String FLAG = "-XX:NativeMemoryTracking=summary";

    private static final Pattern CATEGORY = Pattern.compile("-\\s+([A-Za-z][A-Za-z ]*?) \\(reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern THREADS = Pattern.compile("\\(thread #(\\d+)\\)");
    private static final Pattern TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");

    private NativeMemory() {
    }

    /** Category to committed MiB (and "threads" to their count), in NMT's order, with "Total" first; empty when NMT is off. */
    static Map<String, Double> committedMb(long pid) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process p = new ProcessBuilder(jcmd, String.valueOf(pid), "VM.native_memory", "summary").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Map<String, Double> mb = new LinkedHashMap<>();
        Matcher total = TOTAL.matcher(text);
        if (total.find()) {
            mb.put("Total", Long.parseLong(total.group(2)) / 1024.0);
        }
        Matcher threads = THREADS.matcher(text);
        if (threads.find()) {
            mb.put("threads", Double.parseDouble(threads.group(1)));
        }
        Matcher m = CATEGORY.matcher(text);
        while (m.find()) {
            mb.put(m.group(1).trim(), Long.parseLong(m.group(3)) / 1024.0);
        }
        return mb;
    }

    /** The categories of at least 0.5 MiB, largest first, as one Markdown line. */
    static String describe(Map<String, Double> mb) {
        StringBuilder b = new StringBuilder();
        mb.entrySet().stream().filter(e -> !e.getKey().equals("Total") && !e.getKey().equals("threads") && e.getValue() >= 0.5)
                .sorted((x, y) -> Double.compare(y.getValue(), x.getValue()))
                .forEach(e -> b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue())));
        return String.format(Locale.ROOT, "NMT committed %.1f MiB (%.0f threads): %s", mb.getOrDefault("Total", Double.NaN),
                mb.getOrDefault("threads", Double.NaN), b);
    }
}
