package org.coordinatool.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time and peak memory of a process and its descendants, from Linux's /proc: user plus
 * system time from {@code /proc/PID/stat}, and the peak resident set {@code VmHWM} from
 * {@code /proc/PID/status}. Descendants are included so that a launcher script's pid stands for
 * the JVM it started; their peaks are added up, which can only overstate the peak.
 *
 * @param cpuSeconds user + system CPU seconds consumed so far
 * @param peakRssBytes sum of the processes' VmHWM
 */
public record ProcessUsage(long pid, double cpuSeconds, long peakRssBytes) {

    /** Linux's USER_HZ, the unit of the times in /proc/PID/stat, on every architecture it runs on. */
    static final int CLOCK_TICKS = 100;

    /**
     * @throws IOException when the process does not exist or /proc cannot be read
     */
    public static ProcessUsage of(long pid) throws IOException {
        long ticks = 0;
        long rss = 0;
        for (long p : family(pid)) {
            try {
                ticks += cpuTicks(Files.readString(Path.of("/proc", Long.toString(p), "stat")));
                rss += peakRss(Files.readString(Path.of("/proc", Long.toString(p), "status")));
            } catch (NoSuchFileException gone) {
                if (p == pid) {
                    throw new IOException("no process " + pid);
                }
                // a descendant that just ended
            }
        }
        return new ProcessUsage(pid, ticks / (double) CLOCK_TICKS, rss);
    }

    /** The CPU used between {@code earlier} and this sample; the peak is this sample's. */
    public ProcessUsage since(ProcessUsage earlier) {
        return new ProcessUsage(pid, cpuSeconds - earlier.cpuSeconds, peakRssBytes);
    }

    /** utime + stime: fields 14 and 15, counted after the parenthesised command name. */
    static long cpuTicks(String stat) throws IOException {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IOException("unexpected /proc/PID/stat content: " + stat);
        }
        String[] fields = stat.substring(close + 2).trim().split(" +");
        // fields[0] is field 3 (state)
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** VmHWM in bytes; 0 for a process without memory (a zombie). */
    static long peakRss(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmHWM:")) {
                String kb = line.substring(6).trim();
                return Long.parseLong(kb.substring(0, kb.indexOf(' '))) * 1024;
            }
        }
        return 0;
    }

    private static List<Long> family(long pid) throws IOException {
        List<Long> out = new ArrayList<>();
        out.add(pid);
        for (int i = 0; i < out.size(); i++) {
            long p = out.get(i);
            Path tasks = Path.of("/proc", Long.toString(p), "task");
            if (!Files.isDirectory(tasks)) {
                if (p == pid) {
                    throw new IOException("no process " + pid);
                }
                continue;
            }
            try (var threads = Files.list(tasks)) {
                for (Path t : (Iterable<Path>) threads::iterator) {
                    try {
                        for (String child : Files.readString(t.resolve("children")).trim().split(" +")) {
                            if (!child.isEmpty()) {
                                out.add(Long.parseLong(child));
                            }
                        }
                    } catch (NoSuchFileException ended) {
                        // a thread that just ended
                    }
                }
            } catch (NoSuchFileException ended) {
                // a descendant that just ended
            }
        }
        return out;
    }
}
