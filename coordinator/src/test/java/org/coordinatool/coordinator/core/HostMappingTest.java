package org.coordinatool.coordinator.core;

import static org.coordinatool.coordinator.core.EhloTest.client;
import static org.coordinatool.coordinator.core.Harness.received;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.coordinatool.config.ConsistentHashMapping;
import org.coordinatool.config.RandomHostMapping;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import org.junit.jupiter.api.Test;

class HostMappingTest {

    private static final List<String> AGENTS = List.of("agent_0", "agent_1", "agent_2");

    private static List<String> data(RecordingConnection c) {
        List<String> out = new ArrayList<>();
        for (Reply.ActionList l : c.takeActionLists()) {
            for (WireItem item : l.items()) {
                out.add(new String(item.data(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Test
    void randomMappingPrefersConnectedHostsAndHoldsForThem() {
        Harness h = Harness.builder().mapping(new RandomHostMapping("tag=n1", List.of("agent_1", "agent_2"))).build();
        RecordingConnection stranger = h.agent("agent_9");
        RecordingConnection two = h.agent("agent_2");
        h.recv(stranger);
        for (int i = 1; i <= 10; i++) {
            h.lustre(Items.archive(i, "ignored,tag=n1"));
        }
        assertTrue(stranger.actionLists().isEmpty(), "mapped archives are never given to another agent");
        h.lustre(Items.archive(11, "other"));
        assertEquals(List.of(11), received(stranger));
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), h.drain(two));
    }

    @Test
    void randomMappingFallsBackToADisconnectedHostThenToOnePlaceholder() {
        Harness h = Harness.builder().mapping(new RandomHostMapping("tag=n1", List.of("agent_1", "agent_2")))
                .grace(60_000).build();
        h.coordinator.disconnected(h.agent("agent_2"));
        h.lustre(Items.archive(1, "tag=n1"));
        assertEquals(1, client(h.status(6), "agent_2").queues().waitingArchive().size());

        Harness fresh = Harness.builder().mapping(new RandomHostMapping("tag=n1", List.of("agent_1", "agent_2")))
                .seed(3).build();
        for (int i = 1; i <= 20; i++) {
            fresh.lustre(Items.archive(i, "tag=n1"));
        }
        List<Reply.ClientReport> placeholders = fresh.status(6).clients().stream()
                .filter(r -> r.state().equals("disconnected")).toList();
        assertEquals(1, placeholders.size(), "the first placeholder holds everything");
        assertEquals(20, placeholders.get(0).queues().waitingArchive().size());
        assertTrue(List.of("agent_1", "agent_2").contains(placeholders.get(0).clientId()));
    }

    @Test
    void mappingsAreTriedLastConfiguredFirstOnTheDataAsACString() {
        Harness h = Harness.builder()
                .mapping(new RandomHostMapping("tag=n", List.of("agent_a")))
                .mapping(new RandomHostMapping("tag=n1", List.of("agent_b"))).build();
        RecordingConnection a = h.agent("agent_a");
        RecordingConnection b = h.agent("agent_b");
        RecordingConnection other = h.agent("agent_c");
        h.lustre(Items.archive(1, "xtag=n12"));
        h.lustre(Items.archive(2, "tag=n2"));
        h.lustre(Items.item(org.coordinatool.coordinator.queue.ActionType.ARCHIVE, 3, 1, 0,
                "ab\0tag=n1".getBytes(StandardCharsets.ISO_8859_1)));
        h.lustre(Items.restore(4));
        h.recv(other);
        h.recv(a);
        h.recv(b);
        assertEquals(List.of(4, 3), received(other), "tags after a NUL and non-archives are not mapped");
        assertEquals(List.of(2), received(a));
        assertEquals(List.of(1), received(b));
    }

    /** The test-13 expectation: N = 0 keeps the data, grouping=test0/1/2 go to agents 0/1/2. */
    @Test
    void consistentHashingWithoutRewrite() {
        Harness h = Harness.builder().mapping(new ConsistentHashMapping("grouping=", 0, AGENTS)).build();
        List<RecordingConnection> agents = new ArrayList<>();
        for (String id : AGENTS) {
            agents.add(h.agent(id));
        }
        for (int g = 0; g < 3; g++) {
            for (int k = 0; k < 4; k++) {
                h.lustre(Items.archive(g * 10 + k, "grouping=test" + g));
            }
        }
        for (int g = 0; g < 3; g++) {
            assertEquals(List.of(g * 10, g * 10 + 1, g * 10 + 2, g * 10 + 3), h.drain(agents.get(g)));
        }
    }

    /** The test-15 expectation: N = 10 rewrites test0/1/2 to 7/8/9, sent to agents 1/2/0. */
    @Test
    void consistentHashingRewritesTheValue() {
        Harness h = Harness.builder().mapping(new ConsistentHashMapping("grouping=", 10, AGENTS)).build();
        List<RecordingConnection> agents = new ArrayList<>();
        for (String id : AGENTS) {
            agents.add(h.agent(id));
        }
        for (int g = 0; g < 3; g++) {
            h.lustre(Items.archive(g, "x,grouping=test" + g + ",y"));
        }
        for (RecordingConnection c : agents) {
            h.recv(c);
        }
        assertEquals(List.of("x,grouping=9,y"), data(agents.get(0)));
        assertEquals(List.of("x,grouping=7,y"), data(agents.get(1)));
        assertEquals(List.of("x,grouping=8,y"), data(agents.get(2)));
        assertArrayEquals("x,grouping=test0,y".getBytes(StandardCharsets.UTF_8),
                h.store.requests.get(RecordingStore.Key.of(Items.archive(0))).data(),
                "the store keeps the data as received");
    }

    @Test
    void reroutingARewrittenRequestGivesTheSameDataAndHost() {
        Harness h = Harness.builder().mapping(new ConsistentHashMapping("grouping=", 10, AGENTS)).grace(1000).build();
        h.lustre(Items.archive(1, "grouping=test0"));
        for (int round = 0; round < 3; round++) {
            h.advanceMillis(1000);
            List<Reply.ClientReport> holders = h.status(6).clients().stream()
                    .filter(r -> r.state().equals("disconnected")).toList();
            assertEquals(1, holders.size());
            assertEquals("agent_1", holders.get(0).clientId(), "round " + round);
            assertArrayEquals("grouping=7".getBytes(StandardCharsets.UTF_8),
                    holders.get(0).queues().waitingArchive().get(0).data());
        }
        RecordingConnection one = h.agent("agent_1");
        h.recv(one);
        Reply.ActionList list = one.takeActionLists().get(0);
        assertArrayEquals("grouping=7".getBytes(StandardCharsets.UTF_8), list.items().get(0).data());
        assertEquals(72 + "grouping=7".length(), list.items().get(0).haiLen());
    }

    @Test
    void hashedTagOutsideAHintPositionFallsThroughToTheGlobalQueue() {
        Harness h = Harness.builder().mapping(new ConsistentHashMapping("grouping=", 0, AGENTS)).build();
        RecordingConnection stranger = h.agent("agent_9");
        h.dispatch(stranger, Items.archive(1, "xgrouping=test0"));
    }

    @Test
    void consistentHashingHashesNulPaddingToo() {
        Harness h = Harness.builder().mapping(new ConsistentHashMapping("grouping=", 0, AGENTS)).build();
        List<RecordingConnection> agents = new ArrayList<>();
        for (String id : AGENTS) {
            agents.add(h.agent(id));
        }
        byte[] padded = "grouping=test0\0\0".getBytes(StandardCharsets.ISO_8859_1);
        long expected = org.coordinatool.coordinator.schedule.Djb2.mod(org.coordinatool.coordinator.schedule.Djb2.hash(
                "test0\0\0".getBytes(StandardCharsets.ISO_8859_1)), 3);
        h.lustre(Items.item(org.coordinatool.coordinator.queue.ActionType.ARCHIVE, 1, 1, 0, padded));
        for (RecordingConnection c : agents) {
            h.recv(c);
        }
        assertEquals(List.of(1), received(agents.get((int) expected)));
    }
}
