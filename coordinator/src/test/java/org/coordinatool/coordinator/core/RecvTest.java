package org.coordinatool.coordinator.core;

import static org.coordinatool.coordinator.core.Harness.received;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.coordinatool.coordinator.protocol.Reply;
import org.junit.jupiter.api.Test;

class RecvTest {

    private static final Reply NOT_READY =
            new Reply.Simple("recv", 22, "Client must send EHLO first and not already be in RECV");

    private final Harness h = Harness.plain();

    @Test
    void recvBeforeEhloIsRefused() {
        RecordingConnection c = h.connect();
        h.recv(c);
        assertEquals(NOT_READY, c.last());
    }

    @Test
    void secondRecvWhileWaitingIsRefused() {
        RecordingConnection c = h.agent("agent_1");
        h.recv(c);
        assertTrue(c.replies.size() == 1, "first recv has no reply while there is no work");
        h.recv(c);
        assertEquals(NOT_READY, c.last());
        h.lustre(Items.archive(1));
        assertEquals(List.of(1), received(c), "the first recv still waits and gets the work");
    }

    @Test
    void bufferSmallerThanOneItemPlusMarginIsRefused() {
        RecordingConnection c = h.agent("agent_1");
        h.recv(c, -1, -1, -1, 171);
        assertEquals(new Reply.Simple("recv", 22, "Buffer too small"), c.last());
        h.recv(c, -1, -1, -1, 172);
        h.lustre(Items.archive(2, "x".repeat(28)));
        assertEquals(List.of(2), received(c), "72 + 72 + 28 bytes fit exactly");
        h.recv(c, -1, -1, -1, 172);
        h.lustre(Items.archive(1, "x".repeat(29)));
        assertTrue(c.actionLists().isEmpty(), "72 + 72 + 29 bytes charged do not fit in 172");
        RecordingConnection bigger = h.agent("agent_2");
        h.recv(bigger, -1, -1, -1, 173);
        assertEquals(List.of(1), received(bigger));
    }

    @Test
    void negativeMaxBytesMeansNoLimit() {
        RecordingConnection c = h.agent("agent_1");
        byte[] big = new byte[4 << 20];
        java.util.Arrays.fill(big, (byte) 'x');
        h.lustre(Items.item(org.coordinatool.coordinator.queue.ActionType.ARCHIVE, 1, 1, 0, big));
        h.recv(c, -1, -1, -1, -1);
        assertEquals(List.of(1), received(c));
    }

    @Test
    void limitsFromARefusedRecvStillApply() {
        RecordingConnection c = h.connect();
        h.recv(c, 1, -1, -1, 1 << 20);
        h.send(c, Harness.ehlo("agent_1"));
        h.lustre(Items.archive(1), Items.archive(2));
        h.send(c, new org.coordinatool.coordinator.protocol.Command.Recv(1, -1, -1, 1 << 20));
        assertEquals(List.of(1), received(c));
    }

    @Test
    void replyCarriesFsnameArchiveIdAndFlags() {
        RecordingConnection c = h.agent("agent_1");
        h.lustre(Items.item(org.coordinatool.coordinator.queue.ActionType.ARCHIVE, 1, 5, 4, new byte[0]));
        h.recv(c);
        Reply.ActionList list = c.actionLists().get(0);
        assertEquals(Harness.FS, list.fsname());
        assertEquals(5, list.archiveId());
        assertEquals(4, list.flags());
        assertEquals(ManualClock.EPOCH_START, list.items().get(0).timestamp());
    }
}
