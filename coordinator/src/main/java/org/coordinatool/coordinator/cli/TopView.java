package org.coordinatool.coordinator.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.coordinatool.coordinator.protocol.Reply;

/**
 * One frame of {@code --top}: queue depths, running and done counts and throughput per action,
 * then each client's running requests against its limits. Throughput is the growth of the done
 * counters since the previous frame divided by the time between the two status replies.
 */
final class TopView {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** A status reply and when it arrived (monotonic nanoseconds). */
    record Snapshot(Reply.StatusReport status, long atNanos) {
    }

    private final ZoneId zone;

    TopView(ZoneId zone) {
        this.zone = zone;
    }

    /**
     * @param previous the frame before, null for the first one
     * @param epochMillis wall-clock time of this frame, for its header
     */
    String render(Snapshot previous, Snapshot current, long epochMillis) {
        Reply.StatusReport s = current.status();
        Reply.Counters c = s.counters();
        Reply.Counters p = previous == null ? null : previous.status().counters();
        double seconds = previous == null ? 0 : (current.atNanos() - previous.atNanos()) / 1e9;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("coordinatool  %s  dispatching: %s  agents: %d%n%n",
                TIME.format(Instant.ofEpochMilli(epochMillis).atZone(zone)), StatusTable.lockName(s.locked()),
                s.clientsConnected()));
        sb.append(String.format("%-8s %9s %9s %9s %9s%n", "action", "queued", "running", "done", "done/s"));
        row(sb, "restore", c.pendingRestore(), Long.toString(c.runningRestore()), c.doneRestore(),
                rate(p == null ? 0 : p.doneRestore(), c.doneRestore(), seconds));
        row(sb, "archive", c.pendingArchive(), Long.toString(c.runningArchive()), c.doneArchive(),
                rate(p == null ? 0 : p.doneArchive(), c.doneArchive(), seconds));
        row(sb, "remove", c.pendingRemove(), Long.toString(c.runningRemove()), c.doneRemove(),
                rate(p == null ? 0 : p.doneRemove(), c.doneRemove(), seconds));
        row(sb, "cancel", c.pendingCancel(), "-", c.doneCancel(),
                rate(p == null ? 0 : p.doneCancel(), c.doneCancel(), seconds));
        if (!s.clients().isEmpty()) {
            sb.append('\n').append(clients(s.clients()));
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String action, long queued, String running, long done, String rate) {
        sb.append(String.format("%-8s %9d %9s %9d %9s%n", action, queued, running, done, rate));
    }

    /** "-" on the first frame, when no time passed, or when the counters went back (a restarted server). */
    private static String rate(long before, long now, double seconds) {
        if (seconds <= 0 || now < before) {
            return "-";
        }
        return String.format("%.1f", (now - before) / seconds);
    }

    private static String clients(List<Reply.ClientReport> clients) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"client", "status", "restore", "archive", "remove", "done r/a/m"});
        for (Reply.ClientReport c : clients) {
            Reply.Limits l = c.limits();
            rows.add(new String[] {String.valueOf(c.clientId()), c.state() == null ? "?" : c.state(),
                running(c.currentRestore(), l == null ? null : l.maxRestore()),
                running(c.currentArchive(), l == null ? null : l.maxArchive()),
                running(c.currentRemove(), l == null ? null : l.maxRemove()),
                c.doneRestore() + "/" + c.doneArchive() + "/" + c.doneRemove()});
        }
        return TextTable.render(rows, column -> false);
    }

    /** Running against the limit: "3/4", "3/-" without a limit, "3/?" when the server does not say. */
    private static String running(long current, Long max) {
        return current + "/" + (max == null ? "?" : max < 0 ? "-" : Long.toString(max));
    }
}
