package org.coordinatool.coordinator.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.coordinatool.coordinator.protocol.Reply;

/** A find reply as one line per request. */
final class FindView {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final ZoneId zone;

    FindView(ZoneId zone) {
        this.zone = zone;
    }

    String render(Reply.FindResult r) {
        if (r.requests().isEmpty()) {
            return r.fid().format() + ": no request known\n";
        }
        StringBuilder sb = new StringBuilder();
        for (Reply.Found f : r.requests()) {
            sb.append(r.fid().format()).append(' ').append(f.action()).append(" cookie 0x")
                    .append(Long.toHexString(f.cookie()));
            if (f.archiveId() != 0) {
                sb.append(" archive ").append(Integer.toUnsignedString(f.archiveId()));
            }
            sb.append(": ").append(where(f)).append(", since ").append(time(f.sinceEpochNanos()));
            if (f.cancelPending()) {
                sb.append(", cancel pending");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String where(Reply.Found f) {
        if (f.state().equals("running")) {
            return "running on " + f.clientId();
        }
        String position = ", position " + f.position() + " of " + f.queueLength();
        if (f.queue() == null) {
            return f.state();
        }
        return switch (f.queue()) {
            case "global" -> "queued in the global " + f.action() + " queue" + position;
            case "client" -> "queued for " + f.clientId() + position;
            case "batch" -> "queued in batch slot " + f.slot() + " of " + f.clientId() + position;
            case "cancels" -> "cancel pending, to be sent to " + f.clientId() + position;
            default -> f.state() + " in " + f.queue() + (f.clientId() == null ? "" : " of " + f.clientId()) + position;
        };
    }

    private String time(long epochNanos) {
        return TIME.format(Instant.ofEpochSecond(0, epochNanos).atZone(zone));
    }
}
