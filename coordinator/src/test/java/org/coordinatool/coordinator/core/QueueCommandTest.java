package org.coordinatool.coordinator.core;

import static org.coordinatool.coordinator.core.Harness.received;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.coordinator.queue.ActionType;
import org.junit.jupiter.api.Test;

class QueueCommandTest {

    private final Harness h = Harness.plain();

    @Test
    void missingItemsIsAnError() {
        RecordingConnection c = h.admin();
        h.send(c, new Command.Queue(false, List.of(), List.of(), null));
        assertEquals(new Reply.QueueResult(0, 0, 22, "No hsm_action_items set"), c.last());
    }

    @Test
    void wrongFsnameRefusesEverything() {
        RecordingConnection c = h.admin();
        h.send(c, new Command.Queue(true, List.of(Items.archive(1)), List.of(), "otherfs"));
        assertEquals(new Reply.QueueResult(0, 0, 22, "Bad fsname"), c.last());
        assertEquals(0, h.status(4).counters().pendingArchive());
        h.send(c, new Command.Queue(true, List.of(Items.archive(1)), List.of(), Harness.FS));
        assertEquals(new Reply.QueueResult(1, 0, 0, null), c.last());
    }

    @Test
    void duplicatesAreSkippedAndInvalidItemsReported() {
        RecordingConnection c = h.admin();
        assertEquals(new Reply.QueueResult(1, 0, 0, null), h.queue(c, Items.archive(1)));
        WireItem noArchiveId = Items.item(ActionType.ARCHIVE, 2, 0, "");
        WireItem cancel = new WireItem(23, Items.dfid(3), Items.dfid(3), 0, -1, 3, 0, 1, 0, new byte[0], 0, null);
        h.send(c, new Command.Queue(true, List.of(Items.archive(1), noArchiveId, cancel, Items.restore(4)),
                List.of("item 5: hai_fid is not an object"), null));
        assertEquals(new Reply.QueueResult(1, 1, 22, "Error while parsing hsm action items"), c.last());
        Reply.StatusReport s = h.status(4);
        assertEquals(1, s.counters().pendingArchive());
        assertEquals(1, s.counters().pendingRestore());
    }

    @Test
    void itemsWithoutTimestampGetTheBatchTimestamp() {
        RecordingConnection c = h.admin();
        h.advanceMillis(1500);
        WireItem stamped = Items.archive(2).withTimestamp(1234);
        h.queue(c, Items.archive(1), stamped);
        assertEquals(ManualClock.EPOCH_START + 1_500_000_000L,
                h.store.requests.get(RecordingStore.Key.of(Items.archive(1))).timestamp());
        assertEquals(1234, h.store.requests.get(RecordingStore.Key.of(stamped)).timestamp());
    }

    @Test
    void queuedWorkGoesToWaitingAgentsAtOnce() {
        RecordingConnection agent = h.agent("agent_1");
        h.recv(agent);
        RecordingConnection admin = h.admin();
        h.queue(admin, Items.archive(1));
        assertEquals(List.of(1), received(agent));
    }

    @Test
    void invalidCommandGetsAnErrorReply() {
        RecordingConnection c = h.admin();
        h.send(c, new Command.Invalid("frobnicate", "unknown command frobnicate"));
        assertEquals(new Reply.Simple("frobnicate", 22, "unknown command frobnicate"), c.last());
        h.send(c, new Command.Invalid(null, "missing command"));
        assertEquals(new Reply.Simple("error", 22, "missing command"), c.last());
    }
}
