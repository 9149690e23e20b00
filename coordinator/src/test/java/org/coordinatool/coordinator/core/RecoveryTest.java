package org.coordinatool.coordinator.core;

import static org.coordinatool.coordinator.core.EhloTest.client;
import static org.coordinatool.coordinator.core.Harness.received;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.coordinatool.config.ConsistentHashMapping;
import org.coordinatool.coordinator.core.CoordinatorEvents.Assignment;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.coordinator.queue.ActionType;
import org.junit.jupiter.api.Test;

class RecoveryTest {

    private final Harness h = Harness.builder().grace(5000).build();

    private static Assignment on(int n, String id) {
        return new Assignment(Items.cookie(n), Items.dfid(n), id);
    }

    @Test
    void requestsAreRequeuedAndAssignmentsGoToPlaceholders() {
        WireItem stamped = Items.archive(1).withTimestamp(77);
        h.coordinator.recovered(List.of(stamped, Items.archive(2), Items.restore(3), Items.archive(4)),
                List.of(on(1, "agent_1"), on(4, "agent_1"), on(9, "agent_2")));
        Reply.StatusReport s = h.status(4);
        assertEquals(2, s.counters().runningArchive());
        assertEquals(1, s.counters().pendingArchive());
        assertEquals(1, s.counters().pendingRestore());
        Reply.ClientReport placeholder = client(s, "agent_1");
        assertEquals("disconnected", placeholder.state());
        assertEquals(2, placeholder.currentArchive());
        assertTrue(h.store.calls.contains("unassigned " + Items.dfid(9).format()), "unknown assignment dropped");
        assertEquals(77, h.store.requests.get(RecordingStore.Key.of(stamped)).timestamp(),
                "stored timestamps are kept");
        assertEquals(0, h.store.requests.get(RecordingStore.Key.of(Items.archive(2))).timestamp(),
                "a missing timestamp stays 0");
    }

    @Test
    void invalidStoredItemsAreSkippedAndKept() {
        WireItem noArchive = Items.item(ActionType.ARCHIVE, 1, 0, "");
        h.coordinator.recovered(List.of(noArchive, Items.archive(2)), List.of());
        assertEquals(1, h.status(4).counters().pendingArchive());
        assertTrue(h.store.calls.stream().noneMatch(c -> c.startsWith("forgotten")));
    }

    @Test
    void agentReconnectingWithinGraceGetsItsRunningWorkBack() {
        h.coordinator.recovered(List.of(Items.archive(1), Items.archive(2), Items.archive(3)),
                List.of(on(1, "agent_1"), on(2, "agent_1")));
        RecordingConnection other = h.agent("agent_2");
        h.recv(other);
        assertEquals(List.of(3), received(other), "assigned requests are held for their agent");
        RecordingConnection back = h.agentRunning("agent_1", Items.archive(1));
        h.recv(other);
        assertEquals(List.of(2), received(other), "the unclaimed one is released");
        assertEquals(1, client(h.status(4), "agent_1").currentArchive());
        h.done(back, Items.archive(1));
        assertEquals(Reply.Simple.ok("done"), back.last());
    }

    @Test
    void placeholderGraceExpiryReleasesItsWork() {
        h.coordinator.recovered(List.of(Items.archive(1)), List.of(on(1, "agent_1")));
        RecordingConnection other = h.agent("agent_2");
        h.recv(other);
        h.advanceMillis(5000);
        assertEquals(List.of(1), received(other));
    }

    @Test
    void duplicateEntriesAreHarmless() {
        h.coordinator.recovered(List.of(Items.archive(1), Items.archive(1)),
                List.of(on(1, "agent_1"), on(1, "agent_1")));
        Reply.StatusReport s = h.status(4);
        assertEquals(1, s.counters().runningArchive());
        assertEquals(0, s.counters().pendingArchive());
        assertEquals(1, client(s, "agent_1").currentArchive());
    }

    @Test
    void lateRecoveryLeavesKnownWorkAloneAndHoldsOnlyForAbsentAgents() {
        RecordingConnection busy = h.agent("agent_1");
        RecordingConnection gone = h.agent("agent_2");
        h.lustre(Items.archive(1));
        h.recv(busy, 1, 1, 1, 1 << 20);
        assertEquals(List.of(1), received(busy));
        h.lustre(Items.archive(2), Items.archive(3));
        h.coordinator.disconnected(gone);

        h.coordinator.recoveredLate(
                List.of(Items.archive(1, "old"), Items.archive(2), Items.archive(3), Items.archive(4),
                        Items.archive(5), Items.archive(6), Items.archive(7)),
                List.of(on(1, "agent_9"), on(2, "agent_1"), on(3, "agent_8"), on(4, "agent_1"),
                        on(5, "agent_2"), on(6, "agent_7")));

        Map<Integer, String> owners = new HashMap<>();
        Map<Integer, String> data = new HashMap<>();
        h.coordinator.forEachRequest((item, owner) -> {
            owners.put(item.dfid().oid(), owner);
            data.put(item.dfid().oid(), new String(item.data(), StandardCharsets.UTF_8));
        });
        Map<Integer, String> expected = new HashMap<>();
        expected.put(1, "agent_1");
        expected.put(2, null);
        expected.put(3, "agent_8");
        expected.put(4, null);
        expected.put(5, "agent_2");
        expected.put(6, "agent_7");
        expected.put(7, null);
        assertEquals(expected, owners);
        assertEquals("", data.get(1), "the known request keeps its form");
        Reply.StatusReport s = h.status(4);
        assertEquals(1, client(s, "agent_1").currentArchive());
        assertEquals("disconnected", client(s, "agent_8").state());
        assertEquals(1, client(s, "agent_2").currentArchive());
        assertTrue(h.store.calls.stream().noneMatch(c -> c.startsWith("assigned") && c.contains("agent_9")));

        h.done(busy, Items.archive(1));
        assertEquals(Reply.Simple.ok("done"), busy.last());
        assertEquals(List.of(2, 4, 7), h.drain(busy).stream().sorted().toList());
        RecordingConnection back = h.agentRunning("agent_2", Items.archive(5));
        h.done(back, Items.archive(5));
        assertEquals(Reply.Simple.ok("done"), back.last());
    }

    @Test
    void lateRecoveryAfterShutdownChangesNothing() {
        h.coordinator.shutdown();
        h.coordinator.recoveredLate(List.of(Items.archive(1)), List.of(on(1, "agent_1")));
        int[] count = {0};
        h.coordinator.forEachRequest((item, owner) -> count[0]++);
        assertEquals(0, count[0]);
        assertTrue(h.store.calls.isEmpty(), h.store.calls.toString());
    }

    @Test
    void forEachRequestVisitsEveryRequestAsStoredWithItsClient() {
        Harness mapped = Harness.builder()
                .mapping(new ConsistentHashMapping("g=", 10, List.of("agent_0", "agent_1", "agent_2"))).build();
        RecordingConnection a = mapped.agent("agent_9");
        mapped.lustre(Items.restore(1));
        mapped.lustre(Items.archive(2, "g=test0"));
        mapped.recv(a);
        assertEquals(List.of(1), received(a));
        Map<Integer, String> owners = new HashMap<>();
        Map<Integer, String> data = new HashMap<>();
        mapped.coordinator.forEachRequest((item, owner) -> {
            owners.put(item.dfid().oid(), owner);
            data.put(item.dfid().oid(), new String(item.data(), StandardCharsets.UTF_8));
        });
        assertEquals("agent_9", owners.get(1));
        assertNull(owners.get(2));
        assertTrue(owners.containsKey(2));
        assertEquals("g=test0", data.get(2), "the persisted form, before rewriting");
    }
}
