package org.coordinatool.coordinator.core;

import static org.coordinatool.coordinator.core.EhloTest.client;
import static org.coordinatool.coordinator.core.Harness.received;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.coordinatool.coordinator.protocol.Reply;
import org.junit.jupiter.api.Test;

class GraceTest {

    private final Harness h = Harness.builder().grace(5000).build();

    @Test
    void namedAgentsWorkIsHeldDuringGraceThenRoutedAgain() {
        RecordingConnection one = h.agent("agent_1");
        h.dispatch(one, Items.archive(1), Items.archive(2));
        RecordingConnection two = h.agent("agent_2");
        h.recv(two);
        h.advanceMillis(100);
        h.coordinator.disconnected(one);

        Reply.ClientReport gone = client(h.status(4), "agent_1");
        assertEquals("disconnected", gone.state());
        assertEquals(ManualClock.EPOCH_START + 100_000_000L, gone.disconnectedTimestamp());
        assertEquals(2, gone.currentArchive());

        h.advanceMillis(4999);
        assertTrue(two.actionLists().isEmpty(), "nothing moves before the grace period ends");
        assertEquals("agent_1", h.store.assignee(Items.archive(1)));
        h.advanceMillis(1);
        assertEquals(List.of(1, 2), received(two));
        assertEquals("agent_2", h.store.assignee(Items.archive(1)));
        assertTrue(h.store.calls.contains("unassigned " + Items.dfid(1).format()));
        assertTrue(h.status(4).clients().stream().noneMatch(r -> r.clientId().equals("agent_1")));
    }

    @Test
    void anonymousClientIsForgottenAtOnceAndItsWorkReleased() {
        RecordingConnection drain = h.admin();
        h.dispatch(drain, Items.archive(1));
        RecordingConnection agent = h.agent("agent_1");
        h.recv(agent);
        h.coordinator.disconnected(drain);
        assertEquals(List.of(1), received(agent));
        assertNull(h.status(4).clients().stream().filter(r -> r.clientId().equals(drain.peerName()))
                .findFirst().orElse(null));
    }

    @Test
    void connectionThatNeverCompletedEhloIsForgotten() {
        RecordingConnection c = h.connect();
        h.coordinator.disconnected(c);
        assertTrue(h.status(4).clients().stream().noneMatch(r -> r.clientId().equals(c.peerName())));
        assertEquals(-1, h.timers.nextDue(), "no deadline for a forgotten connection");
    }

    @Test
    void workRoutedToAClientDuringItsGraceWaitsForIt() {
        Harness mapped = Harness.builder().grace(5000)
                .mapping(new org.coordinatool.config.RandomHostMapping("tag=a", List.of("agent_1"))).build();
        RecordingConnection one = mapped.agent("agent_1");
        mapped.coordinator.disconnected(one);
        mapped.lustre(Items.archive(1, "tag=a"));
        RecordingConnection back = mapped.agent("agent_1");
        mapped.recv(back);
        assertEquals(List.of(1), received(back));
    }

    @Test
    void eventsFromUnknownConnectionsAreIgnored() {
        RecordingConnection stranger = new RecordingConnection("10.0.0.1:1");
        h.coordinator.received(stranger, Harness.ehlo("agent_1"));
        h.coordinator.disconnected(stranger);
        assertTrue(stranger.replies.isEmpty());
    }
}
