package org.coordinatool.coordinator.core;

import static org.coordinatool.coordinator.core.EhloTest.client;
import static org.coordinatool.coordinator.core.Harness.received;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.queue.ActionType;
import org.junit.jupiter.api.Test;

class StatusTest {

    private final Harness h = Harness.builder().grace(5000).build();

    @Test
    void countersFollowTheRequests() {
        RecordingConnection c = h.agent("agent_1");
        h.lustre(Items.archive(1), Items.archive(2), Items.restore(3), Items.remove(4));
        h.recv(c, 1, 0, 0, 1 << 20);
        assertEquals(List.of(1), received(c));
        h.done(c, Items.archive(1));
        h.recv(c, 1, 0, 0, 1 << 20);
        assertEquals(List.of(2), received(c));
        Reply.StatusReport s = h.status(4);
        assertEquals(new Reply.Counters(0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0), s.counters());
        assertEquals(1, s.clientsConnected());
        assertEquals(0, s.locked());
        assertNull(s.globalQueues());
        Reply.ClientReport r = client(s, "agent_1");
        assertEquals(1, r.currentArchive());
        assertEquals(1, r.doneArchive());
        assertEquals("ready", r.state());
        assertEquals(List.of(), r.batches());
        assertEquals(0, r.disconnectedTimestamp());
        assertNull(r.queues());
    }

    @Test
    void clientsAreListedConnectedNewestFirstThenDisconnected() {
        RecordingConnection a = h.agent("agent_a");
        h.agent("agent_b");
        RecordingConnection c = h.agent("agent_c");
        h.recv(c);
        h.coordinator.disconnected(a);
        Reply.StatusReport s = h.status(4);
        List<String> ids = s.clients().stream().map(Reply.ClientReport::clientId).toList();
        assertEquals(List.of("agent_c", "agent_b", "agent_a"), ids.subList(1, 4), "after the status connection");
        assertEquals("init", s.clients().get(0).state());
        assertEquals("waiting", s.clients().get(1).state());
        assertEquals("disconnected", s.clients().get(3).state());
        assertEquals(2, s.clientsConnected());
    }

    @Test
    void verboseStatusDumpsQueues() {
        RecordingConnection c = h.agent("agent_1");
        h.lustre(Items.item(ActionType.ARCHIVE, 1, 1, 0, "ab\0cd".getBytes(StandardCharsets.ISO_8859_1)));
        h.lustre(Items.restore(2), Items.restore(3));
        h.recv(c, 0, 1, 0, 1 << 20);
        assertEquals(List.of(2), received(c));
        Reply.StatusReport s = h.status(6);
        assertNotNull(s.globalQueues());
        assertEquals(1, s.globalQueues().waitingArchive().size());
        Reply.DumpEntry entry = s.globalQueues().waitingArchive().get(0);
        assertEquals(Items.dfid(1), entry.dfid());
        assertEquals(Items.cookie(1), entry.cookie());
        assertArrayEquals("ab".getBytes(StandardCharsets.US_ASCII), entry.data());
        assertEquals(1, s.globalQueues().waitingRestore().size());
        Reply.ClientQueueDump queues = client(s, "agent_1").queues();
        assertEquals(1, queues.activeRequests().size());
        assertEquals(Items.dfid(2), queues.activeRequests().get(0).dfid());
        assertEquals(List.of(), queues.cancels());
    }

    @Test
    void batchesAreReported() {
        Harness b = Harness.builder().batching(10, 20, 2).build();
        RecordingConnection c = b.agent("agent_1");
        b.lustre(Items.archive(1, "tag1"));
        b.recv(c, 4, -1, -1, 1 << 20);
        assertEquals(List.of(1), received(c));
        Reply.ClientReport r = client(b.status(6), "agent_1");
        assertEquals(2, r.batches().size());
        Reply.BatchReport first = r.batches().get(0);
        assertEquals("tag1", first.hint());
        assertEquals(1, first.currentCount());
        long start = ManualClock.EPOCH_START / 1_000_000_000L;
        assertEquals(start + 10, first.expireIdleS());
        assertEquals(start + 20, first.expireMaxS());
        assertEquals(List.of(), first.waitingArchive());
        assertNull(r.batches().get(1).hint());
        assertEquals(0, r.batches().get(1).expireIdleS());
    }
}
