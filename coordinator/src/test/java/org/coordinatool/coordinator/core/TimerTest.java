package org.coordinatool.coordinator.core;

import static org.coordinatool.coordinator.core.Harness.received;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.coordinatool.config.ConsistentHashMapping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimerTest {

    @TempDir
    Path dir;

    @Test
    void graceDeadlineNeverFiresEarly() {
        Harness h = Harness.builder().grace(5000).build();
        RecordingConnection one = h.agent("agent_1");
        h.dispatch(one, Items.archive(1));
        RecordingConnection two = h.agent("agent_2");
        h.recv(two);
        h.coordinator.disconnected(one);
        assertEquals(ManualClock.MONOTONIC_START + 5_000_000_000L, h.timers.nextDue());
        h.timers.advance(4_999_999_999L, java.util.concurrent.TimeUnit.NANOSECONDS);
        assertTrue(two.actionLists().isEmpty());
        h.timers.advance(1, java.util.concurrent.TimeUnit.NANOSECONDS);
        assertEquals(List.of(1), received(two));
    }

    @Test
    void aNewEarlierDeadlineReArmsTheTimer() {
        Harness h = Harness.builder().grace(5000).reporting(dir, "cr", 60_000).build();
        h.lustre(Items.archive(9, "cr=slow"));
        assertEquals(ManualClock.MONOTONIC_START + 60_000_000_000L, h.timers.nextDue());
        RecordingConnection one = h.agent("agent_1");
        h.lustre(Items.archive(1));
        h.recv(one);
        assertEquals(List.of(9, 1), received(one));
        RecordingConnection two = h.agent("agent_2");
        h.recv(two);
        h.coordinator.disconnected(one);
        h.advanceMillis(5000);
        assertEquals(List.of(9, 1), received(two), "freed at its grace deadline, not at the reporting tick");
    }

    @Test
    void disconnectedClientsExpireOldestFirstEachAtItsOwnTime() {
        Harness h = Harness.builder().grace(5000).build();
        RecordingConnection a = h.agent("agent_a");
        RecordingConnection b = h.agent("agent_b");
        h.dispatch(a, Items.archive(1));
        h.dispatch(b, Items.archive(2));
        RecordingConnection c = h.agent("agent_c");
        h.recv(c);
        h.coordinator.disconnected(a);
        h.advanceMillis(2000);
        h.coordinator.disconnected(b);
        h.advanceMillis(3000);
        assertEquals(List.of(1), received(c));
        h.recv(c);
        h.advanceMillis(1999);
        assertTrue(c.actionLists().isEmpty());
        h.advanceMillis(1);
        assertEquals(List.of(2), received(c));
    }

    /** With no grace, work held for an absent host bounces between placeholders at most once a second. */
    @Test
    void recurringDeadlinesAreRateLimited() {
        Harness h = Harness.builder().grace(0)
                .mapping(new ConsistentHashMapping("g=", 0, List.of("absent"))).build();
        h.lustre(Items.archive(1, "g=x"));
        int before = h.timers.runs;
        h.advanceMillis(10_000);
        int runs = h.timers.runs - before;
        assertTrue(runs >= 9 && runs <= 11, "timer ran " + runs + " times in 10 s");
        assertEquals(1, h.status(4).counters().pendingArchive());
    }
}
