package org.coordinatool.bench.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-request timestamps of a stack run, matched by dfid: when {@code lsim inject} submitted
 * each request ({@code DFID SUBMITTED_NS}) and when a no-op copytool received and ended it
 * ({@code DFID ACTION RECEIVED_NS ENDED_NS}), all CLOCK_MONOTONIC, so comparable across
 * processes. Matching them also checks that each submitted request was run exactly once.
 */
final class Timings {

    static final int LISTED = 20;

    private final Map<String, long[]> byFid = new HashMap<>();
    private final List<String> problems = new ArrayList<>();
    private long problemCount;
    long firstSubmitted = Long.MAX_VALUE;
    long lastSubmitted = Long.MIN_VALUE;
    long lastEnded = Long.MIN_VALUE;

    void readSubmitted(Path file) throws IOException {
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split(" ");
            long t = Long.parseLong(f[1]);
            if (byFid.put(f[0], new long[] {t, 0, 0, 0}) != null) {
                problem("request for " + f[0] + " submitted twice");
            }
            firstSubmitted = Math.min(firstSubmitted, t);
            lastSubmitted = Math.max(lastSubmitted, t);
        }
    }

    void readCompleted(Path file, String mover) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split(" ");
            long[] t = byFid.get(f[0]);
            if (t == null) {
                problem(mover + " ran " + f[1] + " " + f[0] + ", which was not submitted");
                continue;
            }
            if (++t[3] > 1) {
                problem(mover + " ran " + f[1] + " " + f[0] + " again");
                continue;
            }
            t[1] = Long.parseLong(f[2]);
            t[2] = Long.parseLong(f[3]);
            lastEnded = Math.max(lastEnded, t[2]);
        }
    }

    private void problem(String p) {
        if (problems.size() < LISTED) {
            problems.add(p);
        }
        problemCount++;
    }

    /** Repeated, unknown and never-run requests. */
    List<String> offenders() {
        List<String> out = new ArrayList<>(problems);
        long never = 0;
        for (Map.Entry<String, long[]> e : byFid.entrySet()) {
            if (e.getValue()[3] == 0 && never++ < LISTED) {
                out.add("request for " + e.getKey() + " never reached a copytool");
            }
        }
        if (problemCount > problems.size()) {
            out.add("... and " + (problemCount - problems.size()) + " more problems");
        }
        if (never > LISTED) {
            out.add("... and " + (never - LISTED) + " more requests that never reached a copytool");
        }
        return out;
    }

    long submitted() {
        return byFid.size();
    }

    long completed() {
        return byFid.values().stream().filter(t -> t[3] == 1).count();
    }

    /** Submitted to received, in ns, of every request run once. */
    long[] queueLatencies() {
        return byFid.values().stream().filter(t -> t[3] == 1).mapToLong(t -> t[1] - t[0]).toArray();
    }

    /** Received to ended, in ns, of every request run once. */
    long[] serviceLatencies() {
        return byFid.values().stream().filter(t -> t[3] == 1).mapToLong(t -> t[2] - t[1]).toArray();
    }
}
