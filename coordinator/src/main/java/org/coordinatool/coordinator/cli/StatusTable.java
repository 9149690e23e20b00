package org.coordinatool.coordinator.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.coordinatool.coordinator.protocol.Reply;

/** The status reply as tables for people. */
final class StatusTable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final int MAX_DATA_SHOWN = 64;

    private final ZoneId zone;

    StatusTable(ZoneId zone) {
        this.zone = zone;
    }

    String render(Reply.StatusReport r) {
        StringBuilder sb = new StringBuilder();
        Reply.Counters c = r.counters();
        sb.append(String.format("%-9s %8s %8s %8s %8s%n", "requests", "restore", "archive", "remove", "cancel"));
        sb.append(String.format("%-9s %8d %8d %8d%n", "running", c.runningRestore(), c.runningArchive(),
                c.runningRemove()));
        sb.append(String.format("%-9s %8d %8d %8d %8d%n", "pending", c.pendingRestore(), c.pendingArchive(),
                c.pendingRemove(), c.pendingCancel()));
        sb.append(String.format("%-9s %8d %8d %8d %8d%n", "done", c.doneRestore(), c.doneArchive(),
                c.doneRemove(), c.doneCancel()));
        sb.append(String.format("%nconnections: %d, dispatching: %s%n", r.clientsConnected(),
                lockName(r.locked())));
        if (!r.clients().isEmpty()) {
            sb.append('\n').append(clients(r.clients()));
        }
        for (Reply.ClientReport client : r.clients()) {
            Reply.ClientQueueDump q = client.queues();
            if (q != null) {
                dump(sb, client.clientId() + " active", q.activeRequests());
                dump(sb, client.clientId() + " waiting restore", q.waitingRestore());
                dump(sb, client.clientId() + " waiting remove", q.waitingRemove());
                dump(sb, client.clientId() + " waiting archive", q.waitingArchive());
                dump(sb, client.clientId() + " cancels", q.cancels());
            }
            for (int i = 0; i < client.batches().size(); i++) {
                List<Reply.DumpEntry> waiting = client.batches().get(i).waitingArchive();
                if (waiting != null) {
                    dump(sb, client.clientId() + " batch " + i + " waiting archive", waiting);
                }
            }
        }
        Reply.QueueDump g = r.globalQueues();
        if (g != null) {
            dump(sb, "global waiting restore", g.waitingRestore());
            dump(sb, "global waiting remove", g.waitingRemove());
            dump(sb, "global waiting archive", g.waitingArchive());
        }
        return sb.toString();
    }

    static String lockName(int locked) {
        return switch (locked) {
            case 0 -> "on";
            case 1 -> "locked";
            case 2 -> "locked, the server quits once nothing runs";
            default -> "lock mode " + locked;
        };
    }

    private String clients(List<Reply.ClientReport> clients) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"client", "status", "restore", "archive", "remove", "done r/a/m", "batches"});
        for (Reply.ClientReport c : clients) {
            String state = c.state() == null ? "?" : c.state();
            if (c.disconnectedTimestamp() != 0) {
                state += " since " + time(c.disconnectedTimestamp() / 1_000_000_000L);
            }
            rows.add(new String[] {String.valueOf(c.clientId()), state, Long.toString(c.currentRestore()),
                Long.toString(c.currentArchive()), Long.toString(c.currentRemove()),
                c.doneRestore() + "/" + c.doneArchive() + "/" + c.doneRemove(), batches(c.batches())});
        }
        // the running counts are numbers, aligned on their units
        return TextTable.render(rows, column -> column >= 2 && column <= 4);
    }

    private String batches(List<Reply.BatchReport> batches) {
        if (batches.isEmpty()) {
            return "-";
        }
        List<String> slots = new ArrayList<>();
        for (Reply.BatchReport b : batches) {
            if (b.hint() == null) {
                slots.add("free");
                continue;
            }
            StringBuilder s = new StringBuilder(b.hint()).append(" (").append(b.currentCount()).append(" running");
            if (b.expireIdleS() != 0) {
                s.append(", idle until ").append(time(b.expireIdleS()));
            }
            if (b.expireMaxS() != 0) {
                s.append(", ends ").append(time(b.expireMaxS()));
            }
            slots.add(s.append(')').toString());
        }
        return String.join("; ", slots);
    }

    private void dump(StringBuilder sb, String title, List<Reply.DumpEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        sb.append(String.format("%n%s (%d):%n", title, entries.size()));
        for (Reply.DumpEntry e : entries) {
            sb.append("  ").append(e.dfid().format()).append(" cookie 0x").append(Long.toHexString(e.cookie()))
                    .append(" data ").append(printable(e.data())).append('\n');
        }
    }

    private String time(long epochSeconds) {
        return TIME.format(Instant.ofEpochSecond(epochSeconds).atZone(zone));
    }

    /** Data as the server logs it: non-printable bytes as '_', "(empty)" when empty. */
    static String printable(byte[] data) {
        if (data.length == 0) {
            return "(empty)";
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(data.length, MAX_DATA_SHOWN); i++) {
            int b = data[i] & 0xff;
            s.append(b >= 0x20 && b < 0x7f ? (char) b : '_');
        }
        return data.length > MAX_DATA_SHOWN ? s.append("...").toString() : s.toString();
    }
}
