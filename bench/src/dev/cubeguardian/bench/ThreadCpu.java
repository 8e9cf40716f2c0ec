package dev.cubeguardian.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where a worker's CPU goes, thread by thread: user and system time from /proc/<pid>/task/<tid>/stat
 * between two snapshots, grouped by the JVM's thread names (jcmd Thread.print; /proc's comm is cut at
 * 15 characters, which leaves every Camel thread "Camel (camel-1)"). JFR's execution samples see only
 * threads running Java code, so they miss what a thread spends in the kernel and in native code.
 */
final class ThreadCpu {

    private static final Pattern THREAD = Pattern.compile("^\"(.*?)\".*?nid=(0x[0-9a-f]+|\\d+)", Pattern.MULTILINE);

    private ThreadCpu() {
    }

    /** User and system time in clock ticks (10 ms) per thread id. */
    static Map<Long, long[]> snapshot(long pid) {
        Map<Long, long[]> ticks = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.put(Long.parseLong(task.getFileName().toString()), new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])});
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        return ticks;
    }

    /**
     * Lines of a Markdown table: CPU per thread group between the snapshots, as % of one core over
     * the seconds, largest first; thread names with their numbers replaced by N.
     */
    static List<String> table(long pid, Map<Long, long[]> before, Map<Long, long[]> after, double seconds) throws Exception {
        Map<Long, String> names = new HashMap<>();
        Matcher m = THREAD.matcher(GatewayBench.jcmd(pid, "Thread.print"));
        while (m.find()) {
            String nid = m.group(2);
            names.put(nid.startsWith("0x") ? Long.parseLong(nid.substring(2), 16) : Long.parseLong(nid), m.group(1));
        }
        Map<String, double[]> groups = new TreeMap<>();
        for (Map.Entry<Long, long[]> e : after.entrySet()) {
            long[] was = before.getOrDefault(e.getKey(), new long[2]);
            String name = names.getOrDefault(e.getKey(), "(not a Java thread, or ended)").replaceAll("\\d+", "N");
            double[] g = groups.computeIfAbsent(name, k -> new double[3]);
            g[0] += e.getValue()[0] - was[0];
            g[1] += e.getValue()[1] - was[1];
            g[2]++;
        }
        List<String> lines = new java.util.ArrayList<>();
        lines.add("| threads | n | user % of a core | system % of a core |");
        lines.add("|---|---:|---:|---:|");
        groups.entrySet().stream()
                .filter(e -> e.getValue()[0] + e.getValue()[1] > 0)
                .sorted((a, b) -> Double.compare(b.getValue()[0] + b.getValue()[1], a.getValue()[0] + a.getValue()[1]))
                .forEach(e -> lines.add(String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.2f |", e.getKey(), e.getValue()[2],
                        e.getValue()[0] * 10 / (seconds * 10), e.getValue()[1] * 10 / (seconds * 10))));
        return lines;
    }
}
