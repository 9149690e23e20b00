package org.coordinatool.coordinator.report;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.coordinatool.coordinator.schedule.Hints;
import org.coordinatool.hsm.Fid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-tag progress reports: requests whose data carries {@code <key>=<name>} get their life
 * events appended to the file {@code name} of the reporting directory, waiting restores get
 * progress lines at every tick, and a file is deleted two ticks after its last request finished.
 *
 * <p>All decisions are taken here, on the state loop; file operations go to a {@link ReportWriter}.
 * Report state lives in memory only: after a restart, recovered requests write {@code new} lines
 * again and rebuild the counts.
 */
public final class Reporter {

    private static final Logger LOG = LoggerFactory.getLogger(Reporter.class);

    /** Longest line, newline included, that a report file accepts. */
    public static final int MAX_LINE_BYTES = 127;

    private static final long IDLE = Long.MAX_VALUE;
    private static final int CLEANUP_TICKS = 2;

    private final ReportWriter writer;
    private final byte[] needle;
    private final long intervalNanos;
    private final LongSupplier now;
    private final LongConsumer armTimer;
    private final Map<String, ReportEntry> entries = new HashMap<>();
    private final LinkedHashSet<ReportEntry> cleanup = new LinkedHashSet<>();
    private long nextTick = IDLE;

    /**
     * @param hintKey       the configured key; {@code =} is appended to form the searched needle
     * @param intervalNanos tick interval; 0 disables ticks (no progress lines, no deletion)
     * @param now           monotonic time
     * @param armTimer      told the monotonic time of each newly armed tick
     */
    public Reporter(ReportWriter writer, String hintKey, long intervalNanos, LongSupplier now, LongConsumer armTimer) {
        this.writer = writer;
        this.needle = (hintKey + "=").getBytes(StandardCharsets.UTF_8);
        this.intervalNanos = intervalNanos;
        this.now = now;
        this.armTimer = armTimer;
    }

    /** A reporter that reports nothing. */
    public static Reporter disabled() {
        return new Reporter(null, "", 0, () -> 0, t -> { });
    }

    /**
     * A request was registered: if its data names a valid report, takes a reference on it and
     * writes the {@code new} line.
     *
     * @return the entry to pass to the other events, null when the request is not reported
     */
    public ReportEntry register(byte[] data, Fid dfid) {
        if (writer == null) {
            return null;
        }
        Hints.Match match = Hints.parse(data, needle);
        if (match == null) {
            return null;
        }
        byte[] value = match.value(data);
        String name = ReportNames.validate(value);
        if (name == null) {
            LOG.info("Not reporting {}: report name {} is not 1-{} letters, digits, '-' or '_'",
                    dfid.format(), printable(value), ReportNames.MAX_LENGTH);
            return null;
        }
        ReportEntry entry = entries.computeIfAbsent(name, ReportEntry::new);
        if (entry.awaitingCleanup) {
            cleanup.remove(entry);
            entry.awaitingCleanup = false;
        }
        entry.references++;
        write(entry, "new " + dfid.format());
        ensureTick();
        return entry;
    }

    public void assigned(ReportEntry entry, Fid dfid, String clientId) {
        if (entry != null) {
            write(entry, "assign " + dfid.format() + " " + clientId);
        }
    }

    public void sent(ReportEntry entry, Fid dfid, String clientId) {
        if (entry != null) {
            write(entry, "sent " + dfid.format() + " " + clientId);
        }
    }

    public void done(ReportEntry entry, Fid dfid, int status) {
        if (entry != null) {
            write(entry, "done " + dfid.format() + " " + status);
        }
    }

    public void cancelled(ReportEntry entry, Fid dfid) {
        if (entry != null) {
            write(entry, "cancel " + dfid.format());
        }
    }

    /** A progress line for a waiting restore; {@code queueOwner} is a client id or global_queue. */
    public void progress(ReportEntry entry, Fid dfid, String queueOwner, int position, int total) {
        write(entry, "progress " + dfid.format() + " " + queueOwner + " " + position + "/" + total);
    }

    /** A request using this entry is gone. */
    public void release(ReportEntry entry) {
        if (entry == null || --entry.references > 0) {
            return;
        }
        if (intervalNanos == 0) {
            entries.remove(entry.name());
            return;
        }
        entry.awaitingCleanup = true;
        entry.countdown = CLEANUP_TICKS;
        cleanup.add(entry);
        ensureTick();
    }

    /** Something may need a tick: arms one unless one is already armed. */
    public void ensureTick() {
        if (writer == null || intervalNanos == 0 || nextTick != IDLE) {
            return;
        }
        nextTick = now.getAsLong() + intervalNanos;
        armTimer.accept(nextTick);
    }

    /** Monotonic time of the next tick, {@link Long#MAX_VALUE} when idle. */
    public long nextTick() {
        return nextTick;
    }

    public boolean tickDue(long monotonicNow) {
        return nextTick != IDLE && nextTick <= monotonicNow;
    }

    /**
     * Ends a tick whose progress lines the caller has just written: counts down unreferenced
     * reports, deleting those whose time is up, and arms the next tick while there is something to
     * report or to delete.
     */
    public void finishTick(long monotonicNow, boolean progressWritten) {
        nextTick = IDLE;
        List<ReportEntry> expired = new ArrayList<>();
        for (ReportEntry entry : cleanup) {
            if (--entry.countdown <= 0) {
                expired.add(entry);
            }
        }
        for (ReportEntry entry : expired) {
            cleanup.remove(entry);
            entry.awaitingCleanup = false;
            entries.remove(entry.name());
            writer.delete(entry.name());
        }
        if (progressWritten || !cleanup.isEmpty()) {
            nextTick = monotonicNow + intervalNanos;
            armTimer.accept(nextTick);
        }
    }

    private void write(ReportEntry entry, String text) {
        byte[] line = (text + "\n").getBytes(StandardCharsets.UTF_8);
        if (line.length > MAX_LINE_BYTES) {
            LOG.warn("Report line for {} longer than {} bytes dropped: {}", entry.name(), MAX_LINE_BYTES, text);
            return;
        }
        writer.append(entry.name(), line);
    }

    private static String printable(byte[] value) {
        StringBuilder sb = new StringBuilder(value.length + 2).append('"');
        for (byte b : value) {
            if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b & 0xff));
            }
        }
        return sb.append('"').toString();
    }
}
