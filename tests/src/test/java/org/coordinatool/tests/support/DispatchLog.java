package org.coordinatool.tests.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The work a coordinator handed out, read back from its debug log ({@code -vv} logs every
 * message it receives and every reply it writes, with the time): each {@code recv} reply with
 * the agent it went to, and each {@code done} it received. This is the wire itself, so it shows
 * exactly the items (and data) the agents got, and when.
 *
 * <p>A reply's log line is written when an I/O thread encodes it, which under load can be well
 * after the coordinator chose its items; slot deadlines count from that choice. The coordinator
 * logs the time of each choice too (its monotonic clock) just before handing the reply over, so
 * each reply carries both times: {@code timeMs} orders it against other log lines, {@code chosenNanos}
 * is what scheduling rules are checked against.
 */
public final class DispatchLog {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final Pattern LINE = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) (.*)$");
    private static final Pattern CONNECTED = Pattern.compile("Client (\\S+) (?:re)?connected from (\\S+)$");
    private static final Pattern CHOSEN = Pattern.compile("Coordinator: (\\S+): \\d+ items chosen at monotonic (\\d+) ns$");
    private static final Pattern TAKEN =
            Pattern.compile("Batching: (\\S+): slot (\\d+) takes a tag at monotonic (\\d+) ns: (.*)$");
    private static final Pattern SENT = Pattern.compile("ReplyEncoder: (\\S+): sent (\\{.*\"command\": \"recv\"\\})$");
    private static final Pattern RECEIVED_DONE =
            Pattern.compile("CommandDecoder: (\\S+): received (\\{\"command\": \"done\".*\\})$");

    /**
     * One recv reply: its line in the log (lines follow cause and effect: a done is logged when
     * received, before the reply it lets out), when it was written (ms of the log clock), when the
     * coordinator chose its items (ns of its monotonic clock), to which agent, with which items.
     */
    public record Dispatch(int line, long timeMs, long chosenNanos, String clientId, List<ReceivedItem> items) {
    }

    /** One done received: its line, when, from which agent, for which item, with which status. */
    public record Done(int line, long timeMs, String clientId, ReceivedItem.RequestId id, int status) {
    }

    /** A batch slot taken for a tag: the agent, the slot index, when (ns of the coordinator's monotonic clock). */
    public record SlotTaken(int line, String clientId, int slot, long atNanos, String tag) {
    }

    private final List<Dispatch> dispatches;
    private final List<SlotTaken> slotsTaken;
    private final List<Done> dones;
    private final List<String> lines;

    private DispatchLog(List<Dispatch> dispatches, List<SlotTaken> slotsTaken, List<Done> dones, List<String> lines) {
        this.dispatches = dispatches;
        this.slotsTaken = slotsTaken;
        this.dones = dones;
        this.lines = lines;
    }

    public static DispatchLog of(CoordinatorProcess coordinator) {
        return parse(coordinator.log());
    }

    /** Reads a coordinator log; peers are named by the ids they gave in ehlo. */
    public static DispatchLog parse(String log) {
        Map<String, String> idOfPeer = new HashMap<>();
        Map<String, Deque<Long>> chosenFor = new HashMap<>();
        List<Dispatch> dispatches = new ArrayList<>();
        List<Done> dones = new ArrayList<>();
        List<SlotTaken> slotsTaken = new ArrayList<>();
        List<String> lines = log.lines().toList();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            Matcher l = LINE.matcher(line);
            if (!l.matches()) {
                continue;
            }
            long t = time(l.group(1));
            String text = l.group(2);
            Matcher m = CONNECTED.matcher(text);
            if (m.find()) {
                idOfPeer.put(m.group(2), m.group(1));
                continue;
            }
            m = CHOSEN.matcher(text);
            if (m.find()) {
                chosenFor.computeIfAbsent(m.group(1), peer -> new ArrayDeque<>()).add(Long.parseLong(m.group(2)));
                continue;
            }
            m = TAKEN.matcher(text);
            if (m.find()) {
                slotsTaken.add(new SlotTaken(n, m.group(1), Integer.parseInt(m.group(2)), Long.parseLong(m.group(3)),
                        m.group(4)));
                continue;
            }
            m = SENT.matcher(text);
            if (m.find()) {
                Deque<Long> chosen = chosenFor.get(m.group(1));
                if (chosen == null || chosen.isEmpty()) {
                    throw new AssertionError("reply written without the coordinator having chosen it: " + line);
                }
                JsonNode reply = ProtocolAgent.parse(m.group(2));
                List<ReceivedItem> items = new ArrayList<>();
                reply.path("hsm_action_list").path("list").forEach(i -> items.add(ReceivedItem.of(i)));
                dispatches.add(new Dispatch(n, t, chosen.poll(), client(idOfPeer, m.group(1), line),
                        List.copyOf(items)));
                continue;
            }
            m = RECEIVED_DONE.matcher(text);
            if (m.find()) {
                JsonNode done = ProtocolAgent.parse(m.group(2));
                ReceivedItem.RequestId id = new ReceivedItem.RequestId(done.path("hai_cookie").asLong(),
                        ReceivedItem.fid(done.path("hai_dfid")));
                dones.add(new Done(n, t, client(idOfPeer, m.group(1), line), id, done.path("status").asInt()));
            }
        }
        return new DispatchLog(List.copyOf(dispatches), List.copyOf(slotsTaken), List.copyOf(dones), lines);
    }

    /** The time (ms of the log clock) of the first line containing {@code fragment}. */
    public long timeOf(String fragment) {
        for (String line : lines) {
            Matcher l = LINE.matcher(line);
            if (l.matches() && l.group(2).contains(fragment)) {
                return time(l.group(1));
            }
        }
        throw new AssertionError("no coordinator log line contains '" + fragment + "'");
    }

    private static long time(String text) {
        return LocalDateTime.parse(text, TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    private static String client(Map<String, String> idOfPeer, String peer, String line) {
        String id = idOfPeer.get(peer);
        if (id == null) {
            throw new AssertionError("work exchanged with " + peer + ", which never named itself: " + line);
        }
        return id;
    }

    /** Every recv reply, in the order written. */
    public List<Dispatch> dispatches() {
        return dispatches;
    }

    /** Every batch slot taken for a tag, in the order taken. */
    public List<SlotTaken> slotsTaken() {
        return slotsTaken;
    }

    public List<Done> dones() {
        return dones;
    }

    /** Every item sent, with the reply it went in, in the order sent. */
    public List<Sent> sent() {
        List<Sent> out = new ArrayList<>();
        for (Dispatch d : dispatches) {
            for (ReceivedItem item : d.items()) {
                out.add(new Sent(d.line(), d.timeMs(), d.chosenNanos(), d.clientId(), item));
            }
        }
        return out;
    }

    /** One item as it went out: the line and times of its reply, the agent, the item. */
    public record Sent(int line, long timeMs, long chosenNanos, String clientId, ReceivedItem item) {
    }
}
