package org.coordinatool.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.coordinatool.hsm.HsmAction;

/**
 * What happened to each request of a run: when it was queued, dispatched and acknowledged done,
 * and how many times it was dispatched. Three timestamps and a counter per measured request, in
 * flat arrays indexed by request number: no per-request objects, and the latency percentiles
 * are computed exactly from the same arrays. Used from one thread (the run's event loop).
 */
public final class RequestLedger {

    /** Offenders listed per kind; the totals are always given. */
    static final int LISTED = 20;

    private final SyntheticRequests requests;
    private final long[] queuedAt;
    private final long[] dispatchedAt;
    private final long[] doneAt;
    private final byte[] dispatches;
    private long completed;
    private long dispatchedMeasured;
    private final Problems problems = new Problems();

    public RequestLedger(SyntheticRequests requests) {
        if (requests.measured() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("at most " + (Integer.MAX_VALUE - 8) + " measured requests");
        }
        this.requests = requests;
        int n = (int) requests.measured();
        queuedAt = new long[n];
        dispatchedAt = new long[n];
        doneAt = new long[n];
        dispatches = new byte[n];
    }

    public SyntheticRequests requests() {
        return requests;
    }

    public void queued(long index, long now) {
        if (!requests.isPreloaded(index)) {
            queuedAt[(int) index] = now;
        }
    }

    /**
     * Records that an agent received request {@code index}.
     *
     * @return whether the agent should run it: false for a repeated dispatch or a preloaded
     *         archive, which are offenders (a repeated one is not acknowledged twice)
     */
    public boolean dispatched(long index, long now, String agent) {
        if (requests.isPreloaded(index)) {
            problems.add("preloaded archive " + describe(index) + " dispatched to " + agent
                    + " although no agent takes archives");
            return false;
        }
        int i = (int) index;
        if (dispatches[i] != Byte.MAX_VALUE) {
            dispatches[i]++;
        }
        if (dispatches[i] > 1) {
            problems.add(describe(index) + " dispatched again, to " + agent);
            return false;
        }
        dispatchedAt[i] = now;
        dispatchedMeasured++;
        return true;
    }

    /** Records the server's acknowledgement of the done for request {@code index}. */
    public void done(long index, long now) {
        int i = (int) index;
        if (doneAt[i] == 0) {
            completed++;
        }
        doneAt[i] = now;
    }

    /** An item that is not one of this run's requests. */
    public void foreign(String description, String agent) {
        problems.add("unknown item " + description + " dispatched to " + agent);
    }

    /** A protocol error: an error status, an unexpected reply, a lost connection. */
    public void failure(String description) {
        problems.add(description);
    }

    public long completed() {
        return completed;
    }

    public long dispatchedCount() {
        return dispatchedMeasured;
    }

    public boolean allCompleted() {
        return completed == requests.measured();
    }

    public boolean hasProblems() {
        return problems.total > 0;
    }

    /**
     * Every offence: problems seen during the run, then each measured request that was not
     * dispatched exactly once or not acknowledged done. At most {@link #LISTED} of each kind
     * are listed, with the count of the rest.
     */
    public List<String> offenders() {
        List<String> out = new ArrayList<>(problems.listed);
        if (problems.total > problems.listed.size()) {
            out.add("... and " + (problems.total - problems.listed.size()) + " more problems");
        }
        Problems never = new Problems();
        Problems unfinished = new Problems();
        for (int i = 0; i < dispatches.length; i++) {
            if (dispatches[i] == 0) {
                never.add(describe(i) + " never dispatched");
            } else if (doneAt[i] == 0) {
                unfinished.add(describe(i) + " dispatched but its done was not acknowledged");
            }
        }
        for (Problems p : List.of(never, unfinished)) {
            out.addAll(p.listed);
            if (p.total > p.listed.size()) {
                out.add("... and " + (p.total - p.listed.size()) + " more like this");
            }
        }
        return out;
    }

    private String describe(long index) {
        return HsmAction.nameOf(requests.actionOf(index)).toLowerCase(Locale.ROOT) + " request "
                + index + " (cookie 0x" + Long.toHexString(requests.cookie(index)) + ", dfid "
                + requests.fid(index).format() + ")";
    }

    /** Queued to dispatched, in nanoseconds, of every request dispatched once. */
    public long[] queueLatencies() {
        return differences(queuedAt, dispatchedAt);
    }

    /** Dispatched to acknowledged done, in nanoseconds, of every completed request. */
    public long[] serviceLatencies() {
        return differences(dispatchedAt, doneAt);
    }

    private long[] differences(long[] from, long[] to) {
        long[] out = new long[from.length];
        int n = 0;
        for (int i = 0; i < from.length; i++) {
            if (dispatches[i] == 1 && to[i] != 0) {
                out[n++] = to[i] - from[i];
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    private static final class Problems {
        final List<String> listed = new ArrayList<>();
        long total;

        void add(String problem) {
            if (listed.size() < LISTED) {
                listed.add(problem);
            }
            total++;
        }
    }
}
