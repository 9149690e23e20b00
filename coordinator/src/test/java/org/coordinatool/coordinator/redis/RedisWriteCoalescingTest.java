package org.coordinatool.coordinator.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coordinatool.coordinator.protocol.WireItem;
import org.junit.jupiter.api.Test;

/** The writes made between two flushes reach Redis as each field's final state, in few commands. */
class RedisWriteCoalescingTest extends RedisTestSupport {

    @Test
    void aFlushSendsOneHsetAndOneHdelPerHash() throws Exception {
        connect(settings());
        RedisRecovery.run(store);
        List<WireItem> items = new ArrayList<>();
        Map<String, String> assigned = new LinkedHashMap<>();
        onLoop(() -> {
            for (int i = 0; i < 500; i++) {
                state.add(item(i));
                items.add(item(i));
            }
            state.flush();
        });
        assertEquals(1, store.stats().writes());
        awaitHashes(stored(items), Map.of());

        long before = store.stats().writes();
        onLoop(() -> {
            for (int i = 0; i < 100; i++) {
                state.assign(item(i), "agent-" + i % 4);
                assigned.put(RequestKeys.format(item(i)), "agent-" + i % 4);
            }
            for (int i = 100; i < 200; i++) {
                state.forget(item(i));
            }
            state.flush();
        });
        items.subList(100, 200).clear();
        // HSET of the assignments, HDEL of the forgotten requests and of their assignments.
        assertEquals(3, store.stats().writes() - before);
        awaitHashes(stored(items), assigned);
        assertEquals(0, store.stats().failedWrites());
    }

    @Test
    void theLastChangeOfAFieldInAFlushWins() throws Exception {
        connect(settings());
        RedisRecovery.run(store);
        onLoop(() -> {
            for (int i = 0; i < 4; i++) {
                state.add(item(i));
            }
            state.assign(item(0), "agent-a");
            state.assign(item(2), "agent-a");
            state.flush();
        });
        awaitHashes(stored(List.of(item(0), item(1), item(2), item(3))),
                Map.of(key(0), "agent-a", key(2), "agent-a"));

        onLoop(() -> {
            // Held in Redis, dropped in the window: ends deleted.
            state.unassign(item(0));
            state.assign(item(0), "agent-b");
            state.unassign(item(0));
            // Absent from Redis, assigned in the window: ends set to the last client.
            state.assign(item(1), "agent-b");
            state.unassign(item(1));
            state.assign(item(1), "agent-c");
            // Reassigned: the last client wins.
            state.unassign(item(2));
            state.assign(item(2), "agent-d");
            // Forgotten, then a new request under the same identity: stored and assigned.
            state.forget(item(3));
            state.add(item(3));
            state.assign(item(3), "agent-e");
            // Stored and forgotten within the window: nothing remains.
            state.add(item(4));
            state.assign(item(4), "agent-f");
            state.forget(item(4));
            state.flush();
        });
        awaitHashes(stored(List.of(item(0), item(1), item(2), item(3))),
                Map.of(key(1), "agent-c", key(2), "agent-d", key(3), "agent-e"));
        assertHashesEqualState();
        assertEquals(0, store.stats().failedWrites());
    }

    @Test
    void changesDuringAResynchronisationAreReplayedAsTheirFinalState() throws Exception {
        connect(settings().withResyncBatch(50));
        RedisRecovery.run(store);
        onLoop(() -> {
            for (int i = 0; i < 300; i++) {
                state.add(item(i));
            }
            state.flush();
        });
        await("initial state written", () -> redis.hgetall(REQUESTS).size() == 300);
        redis.kill();
        await("the store notices the loss", () -> !store.isConnected());
        redis.restart();
        await("reconnected", store::isConnected);
        // Made while the copy may still run: recorded as changes and replayed, or written after.
        onLoop(() -> {
            state.assign(item(1), "agent-a");
            state.unassign(item(1));
            state.assign(item(2), "agent-a");
            state.assign(item(2), "agent-b");
            state.forget(item(3));
            state.add(item(300));
            state.assign(item(300), "agent-c");
            state.flush();
        });
        await("re-synchronised", () -> store.stats().resyncs() == 1);
        awaitEqualState();
    }

    private static String key(int n) {
        return RequestKeys.format(item(n));
    }

    private void awaitEqualState() {
        try {
            await("Redis matches memory", () -> {
                try {
                    assertHashesEqualState();
                    return true;
                } catch (AssertionError e) {
                    return false;
                }
            });
        } catch (AssertionError e) {
            assertHashesEqualState();
            throw e;
        }
    }
}
