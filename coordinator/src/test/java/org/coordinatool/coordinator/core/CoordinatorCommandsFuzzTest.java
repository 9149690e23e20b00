package org.coordinatool.coordinator.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.coordinatool.config.ConsistentHashMapping;
import org.coordinatool.config.RandomHostMapping;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.InvalidContentException;
import org.coordinatool.coordinator.protocol.ItemJson;
import org.coordinatool.coordinator.protocol.JsonCodec;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.coordinator.queue.ActionType;
import org.coordinatool.hsm.HsmActionList;
import org.junit.jupiter.api.BeforeAll;

/**
 * Drives a coordinator with a script of protocol messages from up to four connections, action
 * lists from Lustre, disconnections and the passing of time, and checks after every event that
 * no exception escaped, that every command got its one answer, and that the counters, the
 * clients' counts and the persisted requests and assignments agree with the requests held.
 *
 * <p>The script, one event per line (lines that fit no form are ignored):
 * <pre>
 * grace MS | batching IDLE_S MAX_S SLOTS | hosts TAG HOST... | hosts_ch TAG N HOST...
 *                     settings, before the first event
 * C JSON              connection C (0-3) sends the message, connecting first if needed
 * C close             connection C goes away
 * lustre JSON         Lustre sends the item (JSON as in the protocol) in an action list of its own
 * wait MS             time passes
 * </pre>
 */
class CoordinatorCommandsFuzzTest {

    private static final int CONNECTIONS = 4;
    private static final long MAX_WAIT_MS = 1L << 32;

    @BeforeAll
    static void quiet() {
        // Most inputs are refused with a log line; printing them would slow fuzzing down to a crawl.
        ((Logger) org.slf4j.LoggerFactory.getLogger("org.coordinatool")).setLevel(Level.OFF);
    }

    @FuzzTest
    void run(byte[] script) {
        String[] lines = new String(script, StandardCharsets.UTF_8).split("\n");
        Harness.Builder settings = Harness.builder();
        int first = 0;
        while (first < lines.length && setting(settings, lines[first].split(" "))) {
            first++;
        }
        new Run(settings.build()).play(lines, first);
    }

    /** Applies a settings line; false when the line is not one. */
    private static boolean setting(Harness.Builder b, String[] w) {
        try {
            switch (w[0]) {
                case "grace" -> b.grace(Math.floorMod(Long.parseLong(w[1]), 1L << 40));
                case "batching" -> b.batching(Math.floorMod(Long.parseLong(w[1]), 1L << 20),
                        Math.floorMod(Long.parseLong(w[2]), 1L << 20), Math.floorMod(Integer.parseInt(w[3]), 8));
                case "hosts" -> b.mapping(new RandomHostMapping(w[1], List.of(w).subList(2, w.length)));
                case "hosts_ch" -> b.mapping(new ConsistentHashMapping(w[1], Math.floorMod(Integer.parseInt(w[2]), 64),
                        List.of(w).subList(3, w.length)));
                default -> {
                    return false;
                }
            }
            return true;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            // Not a number, a word missing, a mapping without hosts: refused like the configuration refuses them.
            return false;
        }
    }

    private static final class Run {
        private final Harness h;
        private final RecordingConnection[] connections = new RecordingConnection[CONNECTIONS];
        /** Commands each connection sent. */
        private final int[] sent = new int[CONNECTIONS];

        Run(Harness h) {
            this.h = h;
        }

        void play(String[] lines, int first) {
            for (int i = first; i < lines.length; i++) {
                String line = lines[i];
                int space = line.indexOf(' ');
                if (space < 0) {
                    continue;
                }
                String head = line.substring(0, space);
                String rest = line.substring(space + 1);
                if (head.equals("lustre")) {
                    lustre(rest);
                } else if (head.equals("wait")) {
                    try {
                        h.advanceMillis(Math.floorMod(Long.parseLong(rest), MAX_WAIT_MS));
                    } catch (NumberFormatException e) {
                        continue;
                    }
                } else if (head.length() == 1 && head.charAt(0) >= '0' && head.charAt(0) < '0' + CONNECTIONS) {
                    int c = head.charAt(0) - '0';
                    if (rest.equals("close")) {
                        close(c);
                    } else {
                        send(c, rest.getBytes(StandardCharsets.UTF_8));
                    }
                } else {
                    continue;
                }
                dropClosedConnections();
                checkInvariants();
            }
        }

        private void lustre(String json) {
            WireItem item;
            try {
                item = ItemJson.parse(json);
            } catch (InvalidContentException e) {
                return;
            }
            h.coordinator.fromLustre(new HsmActionList(item.flags(), item.archiveId(), Harness.FS,
                    List.of(Items.hai(item))));
        }

        private void send(int c, byte[] message) {
            if (connections[c] == null) {
                connections[c] = h.connect();
                sent[c] = 0;
            }
            RecordingConnection connection = connections[c];
            Command command = JsonCodec.decodeCommand(message);
            long answersBefore = answers(connection);
            h.send(connection, command);
            sent[c]++;
            List<Reply> answers = connection.replies.stream().filter(r -> !(r instanceof Reply.ActionList))
                    .skip(answersBefore).toList();
            if (command instanceof Command.Recv) {
                assertTrue(answers.size() <= 1, () -> "recv answered " + answers);
            } else {
                assertEquals(1, answers.size(), () -> command + " answered " + answers);
            }
            for (Reply answer : answers) {
                assertEquals(command.name(), answer.command());
            }
        }

        private static long answers(RecordingConnection connection) {
            return connection.replies.stream().filter(r -> !(r instanceof Reply.ActionList)).count();
        }

        private void close(int c) {
            if (connections[c] != null) {
                h.coordinator.disconnected(connections[c]);
                connections[c] = null;
            }
        }

        /** What the network layer does when the coordinator closes a connection. */
        private void dropClosedConnections() {
            for (int c = 0; c < CONNECTIONS; c++) {
                if (connections[c] != null && connections[c].closed) {
                    close(c);
                }
            }
        }

        private void checkInvariants() {
            for (int c = 0; c < CONNECTIONS; c++) {
                if (connections[c] != null) {
                    assertTrue(connections[c].replies.size() <= sent[c],
                            "connection " + c + ": more replies than commands");
                }
            }
            Reply.StatusReport status = h.status(0);
            Reply.Counters n = status.counters();
            long[] counters = {n.runningRestore(), n.runningArchive(), n.runningRemove(), n.pendingRestore(),
                n.pendingArchive(), n.pendingRemove(), n.pendingCancel(), n.doneRestore(), n.doneArchive(),
                n.doneRemove(), n.doneCancel()};
            for (long counter : counters) {
                assertTrue(counter >= 0, () -> "negative counter in " + n);
            }
            long[] current = new long[ActionType.COUNTED];
            for (Reply.ClientReport client : status.clients()) {
                current[ActionType.RESTORE.ordinal()] += client.currentRestore();
                current[ActionType.ARCHIVE.ordinal()] += client.currentArchive();
                current[ActionType.REMOVE.ordinal()] += client.currentRemove();
            }
            assertEquals(n.runningRestore(), current[ActionType.RESTORE.ordinal()], "running restores");
            assertEquals(n.runningArchive(), current[ActionType.ARCHIVE.ordinal()], "running archives");
            assertEquals(n.runningRemove(), current[ActionType.REMOVE.ordinal()], "running removes");

            Map<RecordingStore.Key, String> owners = new HashMap<>();
            h.coordinator.forEachRequest((item, owner) -> {
                RecordingStore.Key key = RecordingStore.Key.of(item);
                assertTrue(h.store.requests.containsKey(key), () -> item + " held but not persisted");
                if (owner != null) {
                    owners.put(key, owner);
                }
            });
            assertEquals(h.store.requests.size(), countRequests(), "persisted requests no longer held");
            assertEquals(owners, h.store.assigned, "persisted assignments");
        }

        private long countRequests() {
            long[] count = {0};
            h.coordinator.forEachRequest((item, owner) -> count[0]++);
            return count[0];
        }
    }
}
