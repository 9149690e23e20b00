package org.coordinatool.coordinator.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.coordinatool.config.RandomHostMapping;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.coordinator.queue.ActionType;
import org.coordinatool.hsm.Fid;
import org.junit.jupiter.api.Test;

/** find: where each request of a file is, in every state a request can be in. */
class FindTest {

    private final Harness h = Harness.plain();

    private static Reply.FindResult find(Harness h, Fid dfid) {
        RecordingConnection admin = h.admin();
        h.send(admin, new Command.Find(dfid, null));
        return assertInstanceOf(Reply.FindResult.class, admin.last());
    }

    private static Reply.Found only(Harness h, Fid dfid) {
        Reply.FindResult r = find(h, dfid);
        assertEquals(dfid, r.fid());
        assertEquals(1, r.requests().size(), r.toString());
        return r.requests().get(0);
    }

    /** Epoch time at which the harness clock read {@code millis} after its start. */
    private static long epochAt(long millis) {
        return ManualClock.EPOCH_START + millis * 1_000_000L;
    }

    @Test
    void queuedInTheGlobalQueueWithItsPositionAndSince() {
        h.lustre(Items.archive(1), Items.archive(2));
        h.advanceMillis(1500);
        h.lustre(Items.archive(3));
        h.lustre(Items.restore(4));
        assertEquals(new Reply.Found("archive", Items.cookie(3), 1, "queued", "global", null, 0, 3, 3, epochAt(1500),
                false), only(h, Items.dfid(3)));
        assertEquals(new Reply.Found("archive", Items.cookie(1), 1, "queued", "global", null, 0, 1, 3, epochAt(0),
                false), only(h, Items.dfid(1)));
        assertEquals(new Reply.Found("restore", Items.cookie(4), 1, "queued", "global", null, 0, 1, 1, epochAt(1500),
                false), only(h, Items.dfid(4)));
    }

    @Test
    void queuedForAClientByAHostMapping() {
        Harness mapped = Harness.builder().mapping(new RandomHostMapping("tag=n1", List.of("agent_2"))).build();
        mapped.agent("agent_2");
        mapped.lustre(Items.archive(1, "tag=n1"), Items.archive(2, "tag=n1"));
        assertEquals(new Reply.Found("archive", Items.cookie(2), 1, "queued", "client", "agent_2", 0, 2, 2, epochAt(0),
                false), only(mapped, Items.dfid(2)));
    }

    @Test
    void queuedInABatchSlot() {
        Harness batching = Harness.builder().batching(10, 20, 2).build();
        batching.agent("mover_0");
        batching.lustre(Items.archive(1, "tag=a"));
        batching.lustre(Items.archive(2, "tag=b"));
        Reply.Found found = only(batching, Items.dfid(2));
        assertEquals("batch", found.queue());
        assertEquals("mover_0", found.clientId());
        assertEquals(1, found.slot());
        assertEquals(1, found.position());
    }

    @Test
    void runningOnItsAgentSinceItWasSent() {
        RecordingConnection c = h.agent("agent_1");
        h.lustre(Items.archive(1));
        h.advanceMillis(2000);
        h.recv(c);
        assertEquals(new Reply.Found("archive", Items.cookie(1), 1, "running", null, "agent_1", 0, 0, 0, epochAt(2000),
                false), only(h, Items.dfid(1)));
    }

    @Test
    void aPendingCancelIsListedAfterItsRequest() {
        RecordingConnection c = h.agent("agent_1");
        h.dispatch(c, Items.archive(1));
        h.advanceMillis(3000);
        h.lustreCancel(1, 1);
        Reply.FindResult r = find(h, Items.dfid(1));
        assertEquals(List.of(
                new Reply.Found("archive", Items.cookie(1), 1, "running", null, "agent_1", 0, 0, 0, epochAt(0), true),
                new Reply.Found("cancel", Items.cookie(1), 1, "queued", "cancels", "agent_1", 0, 1, 1, epochAt(3000),
                        false)), r.requests());
        h.recv(c);
        assertEquals(List.of(false), find(h, Items.dfid(1)).requests().stream().map(Reply.Found::cancelPending)
                .toList(), "the cancel went out");
    }

    @Test
    void unknownFileHasNoRequests() {
        RecordingConnection c = h.agent("agent_1");
        h.dispatch(c, Items.archive(3));
        h.done(c, Items.archive(3));
        h.lustre(Items.archive(1));
        assertEquals(new Reply.FindResult(Items.dfid(2), List.of()), find(h, Items.dfid(2)));
        assertEquals(List.of(), find(h, Items.dfid(3)).requests(), "a finished request is gone");
    }

    @Test
    void everyRequestOfAFileIsListedByCookie() {
        Fid dfid = Items.dfid(7);
        WireItem archive = new WireItem(ActionType.ARCHIVE.code(), dfid, dfid, 0, -1, 30, 0, 1, 0, new byte[0], 0, null);
        WireItem restore = new WireItem(ActionType.RESTORE.code(), dfid, dfid, 0, -1, 10, 0, 1, 0, new byte[0], 0, null);
        WireItem remove = new WireItem(ActionType.REMOVE.code(), dfid, dfid, 0, -1, 20, 0, 1, 0, new byte[0], 0, null);
        h.lustre(archive);
        h.lustre(restore);
        h.lustre(remove);
        h.lustre(Items.archive(8));
        RecordingConnection c = h.agent("agent_1");
        h.recv(c, 0, 1, 0, 1 << 20);
        assertEquals(List.of("10 restore running agent_1", "20 remove queued null", "30 archive queued null"),
                find(h, dfid).requests().stream()
                        .map(f -> f.cookie() + " " + f.action() + " " + f.state() + " " + f.clientId()).toList());
    }

    @Test
    void aPathIsResolvedAndLaterCommandsWaitBehindIt() {
        h.paths.files.put("/mnt/lustre/f", Items.dfid(1));
        h.lustre(Items.archive(1));
        RecordingConnection admin = h.admin();
        h.send(admin, new Command.Find(null, "/mnt/lustre/f"));
        h.send(admin, new Command.Status(4));
        h.send(admin, new Command.Find(null, "/mnt/lustre/none"));
        h.send(admin, new Command.Invalid("find", "find: missing \"fid\" or \"path\""));
        h.send(admin, new Command.Lock(1));
        assertEquals(1, admin.replies.size(), "only the ehlo is answered while the path resolves");
        h.paths.completeNext();
        assertEquals(3, admin.replies.size(), "find and status answered, the second find resolves");
        assertEquals(Items.dfid(1), ((Reply.FindResult) admin.replies.get(1)).fid());
        assertInstanceOf(Reply.StatusReport.class, admin.replies.get(2));
        h.paths.completeNext();
        assertEquals(List.of(new Reply.Simple("find", 2, "no such file: /mnt/lustre/none"),
                new Reply.Simple("find", 22, "find: missing \"fid\" or \"path\""), Reply.Simple.ok("lock")),
                admin.replies.subList(3, 6));
        assertEquals(1, h.status(4).locked());
    }

    @Test
    void aResolutionForAConnectionThatLeftIsDropped() {
        RecordingConnection admin = h.admin();
        h.send(admin, new Command.Find(null, "/mnt/lustre/f"));
        h.send(admin, new Command.Lock(1));
        h.coordinator.disconnected(admin);
        h.paths.completeNext();
        assertEquals(1, admin.replies.size());
        assertEquals(0, h.status(4).locked(), "the held lock was never applied");
    }

    @Test
    void aClientPilingUpCommandsBehindAResolutionIsDisconnected() {
        RecordingConnection admin = h.admin();
        h.send(admin, new Command.Find(null, "/mnt/lustre/f"));
        for (int i = 0; i < Coordinator.MAX_HELD_COMMANDS; i++) {
            h.send(admin, new Command.Status(4));
        }
        assertTrue(!admin.closed);
        h.send(admin, new Command.Status(4));
        assertTrue(admin.closed);
        h.paths.completeNext();
        assertEquals(1, admin.replies.size(), "nothing is answered on a closed connection");
    }
}
