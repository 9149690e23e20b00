package org.coordinatool.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When each copytool ran each request, read from the copytools' own logs (lsim-copytool writes a
 * wall-clock timestamp on every line: one when it picks an item up, one when it ends it), so that
 * a request run by two copytools at once shows as two overlapping intervals of one cookie.
 *
 * <p>A copytool killed while it holds an item never logs the end; that run ended when the
 * process died, which the fault injector records with {@link #killed} once the process is gone.
 */
public final class CopytoolTrace {

    /**
     * An item picked up or ended. Searched in the whole text, not line by line: threads of a
     * copytool log concurrently and the library writes prefix, message and newline separately, so
     * one line can hold several messages, and a pick-up's cookie can run straight into the next
     * message's timestamp (ten digits, a point, six digits), where it ends.
     */
    private static final Pattern EVENT = Pattern.compile(
            "(?<t>\\d{10}\\.\\d{6}) lsim-copytool\\[\\d+\\]: (?:\\[[^\\]]+\\] action (?<action>\\w+) reclen \\d+,"
                    + " cookie=(?<begin>0x[0-9a-f]+?)(?=\\d{10}\\.\\d{6} |[^0-9a-f]|$)"
                    + "|Action completed, notifying coordinator cookie=(?<end>0x[0-9a-f]+),)");

    /** Times (epoch seconds) at which some process of a mover's log was killed, per log file. */
    private final Map<Path, NavigableSet<Double>> kills = new HashMap<>();

    /** Records that a process writing into {@code log} has just been seen dead after a kill. */
    public synchronized void killed(Path log) {
        kills.computeIfAbsent(log, k -> new TreeSet<>()).add(System.currentTimeMillis() / 1000.0);
    }

    /** One copytool run of one request: from pick-up to end (or death). */
    public record Run(Path log, String cookie, String action, double start, double end) {
        boolean overlaps(Run o) {
            return start < o.end && o.start < end;
        }
    }

    /** Every run recorded in {@code logs}; a run neither ended nor killed lasts forever. */
    public synchronized List<Run> runs(List<Path> logs) {
        List<Run> out = new ArrayList<>();
        for (Path log : logs) {
            Map<String, double[]> open = new HashMap<>();
            Map<String, String> actions = new HashMap<>();
            NavigableSet<Double> killedAt = kills.getOrDefault(log, new TreeSet<>());
            Matcher m = EVENT.matcher(text(log));
            while (m.find()) {
                double t = Double.parseDouble(m.group("t"));
                String begin = m.group("begin");
                if (begin != null) {
                    double[] previous = open.put(begin, new double[] {t});
                    if (previous != null) {
                        out.add(new Run(log, begin, actions.get(begin), previous[0],
                                endOfUnfinished(killedAt, previous[0])));
                    }
                    actions.put(begin, m.group("action"));
                    continue;
                }
                String end = m.group("end");
                double[] started = open.remove(end);
                if (started != null) {
                    out.add(new Run(log, end, actions.get(end), started[0], t));
                }
            }
            open.forEach((cookie, start) -> out.add(new Run(log, cookie, actions.get(cookie), start[0],
                    endOfUnfinished(killedAt, start[0]))));
        }
        return out;
    }

    private static double endOfUnfinished(NavigableSet<Double> killedAt, double start) {
        Double kill = killedAt.ceiling(start);
        return kill == null ? Double.POSITIVE_INFINITY : kill;
    }

    /** Pairs of runs of one request that overlap in time, in different copytool logs or the same. */
    public List<String> concurrentRuns(List<Path> logs) {
        Map<String, List<Run>> byCookie = new HashMap<>();
        for (Run r : runs(logs)) {
            byCookie.computeIfAbsent(r.cookie(), k -> new ArrayList<>()).add(r);
        }
        List<String> out = new ArrayList<>();
        for (List<Run> runs : byCookie.values()) {
            for (int i = 0; i < runs.size(); i++) {
                for (int j = i + 1; j < runs.size(); j++) {
                    if (runs.get(i).overlaps(runs.get(j))) {
                        out.add(runs.get(i) + " overlaps " + runs.get(j));
                    }
                }
            }
        }
        return out;
    }

    private static String text(Path log) {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
