package org.coordinatool.coordinator.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.coordinatool.coordinator.protocol.ItemJson;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.Fid;
import org.junit.jupiter.api.Test;

class RedisStoreTest extends RedisTestSupport {

    /** Spec §8.2 example identity, with NULs in the data and a member the protocol lacks. */
    private static final WireItem A = new WireItem(20, new Fid(0x200005223L, 0x1cce, 0),
            new Fid(0x200005223L, 0x1cce, 0), 0, -1, 0x617d23efL, 0, 1, 0,
            "tag=a\0b".getBytes(StandardCharsets.UTF_8), 1_718_000_000_123_456_789L,
            "\"custom\":{\"a\":[1,2]}");
    private static final String A_KEY = "00000000617d23ef000000020000522300001cce00000000";
    private static final String A_JSON = "{\"hai_action\":20,"
            + "\"hai_fid\":{\"f_seq\":8589955619,\"f_oid\":7374,\"f_ver\":0},"
            + "\"hai_dfid\":{\"f_seq\":8589955619,\"f_oid\":7374,\"f_ver\":0},"
            + "\"hai_extent_offset\":0,\"hai_extent_length\":-1,\"hai_cookie\":1635591151,"
            + "\"hai_gid\":0,\"hal_archive_id\":1,\"hal_flags\":0,\"hai_data\":\"tag=a\\u0000b\","
            + "\"timestamp\":1718000000123456789,\"custom\":{\"a\":[1,2]}}";

    /** u64 and u32 values above the signed range, no timestamp, empty data. */
    private static final WireItem B = new WireItem(21, new Fid(0x200000007L, 5, 0),
            new Fid(0x20000aaaaL, 0x80000001, 2), 4096, 8192, 0xfedcba9876543210L, 7, 3,
            0x8000000000000000L, new byte[0], 0, null);
    private static final String B_KEY = "fedcba9876543210000000020000aaaa8000000100000002";
    private static final String B_JSON = "{\"hai_action\":21,"
            + "\"hai_fid\":{\"f_seq\":8589934599,\"f_oid\":5,\"f_ver\":0},"
            + "\"hai_dfid\":{\"f_seq\":8589978282,\"f_oid\":-2147483647,\"f_ver\":2},"
            + "\"hai_extent_offset\":4096,\"hai_extent_length\":8192,"
            + "\"hai_cookie\":-81985529216486896,\"hai_gid\":7,\"hal_archive_id\":3,"
            + "\"hal_flags\":-9223372036854775808,\"hai_data\":\"\"}";

    @Test
    void eachWriteLeavesExactlyTheSpecifiedHashes() throws Exception {
        connect(settings());
        RedisRecovery.run(store);

        onLoop(() -> {
            state.add(A);
            state.add(B);
            state.flush();
        });
        awaitHashes(Map.of(A_KEY, A_JSON, B_KEY, B_JSON), Map.of());

        onLoop(() -> {
            state.assign(A, "agent-1");
            state.assign(B, "host-2:1234");
            state.flush();
        });
        awaitHashes(Map.of(A_KEY, A_JSON, B_KEY, B_JSON),
                Map.of(A_KEY, "agent-1", B_KEY, "host-2:1234"));

        onLoop(() -> {
            state.unassign(A);
            state.flush();
        });
        awaitHashes(Map.of(A_KEY, A_JSON, B_KEY, B_JSON), Map.of(B_KEY, "host-2:1234"));

        onLoop(() -> {
            state.forget(B);
            state.flush();
        });
        awaitHashes(Map.of(A_KEY, A_JSON), Map.of());

        onLoop(() -> {
            state.assign(A, "agent-3");
            state.forget(A);
            state.flush();
        });
        awaitHashes(Map.of(), Map.of());
        try (RedisServerProcess.Client c = redis.client()) {
            assertEquals(0L, c.call("EXISTS", REQUESTS, ASSIGNED));
        }
        assertEquals(0, store.stats().failedWrites());
    }

    @Test
    void writesAreSentOnlyByFlush() {
        connect(settings());
        onLoop(() -> state.add(A));
        // Nothing reaches Redis without a flush, so any reply proves the write is still queued.
        assertEquals(Map.of(), redis.hgetall(REQUESTS));
        onLoop(() -> state.add(B));
        assertEquals(Map.of(), redis.hgetall(REQUESTS));
        onLoop(state::flush);
        awaitHashes(Map.of(A_KEY, A_JSON, B_KEY, B_JSON), Map.of());
    }

    @Test
    void anErrorReplyIsCountedAndTheConnectionKept() {
        connect(settings());
        try (RedisServerProcess.Client c = redis.client()) {
            c.call("SET", REQUESTS, "not a hash");
        }
        onLoop(() -> {
            state.add(A);
            state.flush();
        });
        await("the refused write is counted", () -> store.stats().failedWrites() == 1);
        onLoop(() -> {
            state.assign(A, "agent-1");
            state.flush();
        });
        await("the next write lands", () -> redis.hgetall(ASSIGNED).equals(Map.of(A_KEY, "agent-1")));
        assertTrue(store.isConnected());
        assertEquals(1, store.stats().connections());
        assertEquals(1, store.stats().failedWrites());
    }

    @Test
    void closeSendsWhatIsStillQueued() {
        connect(settings());
        onLoop(() -> {
            state.add(A);
            state.assign(A, "agent-1");
        });
        store.close();
        assertEquals(Map.of(A_KEY, A_JSON), redis.hgetall(REQUESTS));
        assertEquals(Map.of(A_KEY, "agent-1"), redis.hgetall(ASSIGNED));
    }

    @Test
    void redisKilledWithPendingWritesIsResynchronisedFromMemory() throws Exception {
        connect(settings().withResyncBatch(100));
        RedisRecovery.run(store);
        onLoop(() -> {
            for (int i = 0; i < 1000; i++) {
                state.add(item(i));
                if (i % 3 == 0) {
                    state.assign(item(i), "agent-" + i % 5);
                }
            }
            state.flush();
        });
        await("initial state written", () -> redis.hgetall(REQUESTS).size() == 1000
                && redis.hgetall(ASSIGNED).size() == 334);

        // Queued when Redis dies, and then written while it is down.
        onLoop(() -> {
            state.forget(item(0));
            state.add(item(1000));
        });
        redis.kill();
        onLoop(state::flush);
        await("the store notices the loss", () -> !store.isConnected());
        onLoop(() -> {
            state.unassign(item(3));
            state.add(item(1001));
            state.assign(item(1001), "agent-9");
            state.forget(item(6));
            state.flush();
        });
        assertEquals(4, store.stats().skippedWhileDisconnected());

        // Hold the copy in flight (writes paused) to make changes while it runs.
        CountDownLatch release = blockLoop();
        redis.restart();
        try (RedisServerProcess.Client c = redis.client()) {
            c.call("CLIENT", "PAUSE", "60000", "WRITE");
            release.countDown();
            await("reconnected", store::isConnected);
            onLoop(() -> {
                state.forget(item(9));
                state.add(item(1002));
                state.assign(item(12), "agent-x");
                state.unassign(item(15));
                state.assign(item(1002), "agent-y");
                state.flush();
            });
            assertEquals(0, store.stats().resyncs());
            c.call("CLIENT", "UNPAUSE");
        }
        await("re-synchronised", () -> store.stats().resyncs() == 1);
        assertHashesEqualState();
        try (RedisServerProcess.Client c = redis.client()) {
            assertEquals(0L, c.call("EXISTS", "coordinatool_requests:resync",
                    "coordinatool_assigned:resync"));
        }
        assertEquals(2, store.stats().connections());
    }

    @Test
    void closeCompletesAResynchronisationInProgress() throws Exception {
        connect(settings().withResyncBatch(100));
        RedisRecovery.run(store);
        onLoop(() -> {
            for (int i = 0; i < 1000; i++) {
                state.add(item(i));
            }
            state.flush();
        });
        await("initial state written", () -> redis.hgetall(REQUESTS).size() == 1000);

        onLoop(() -> state.add(item(1000)));
        redis.kill();
        onLoop(state::flush);
        await("the store notices the loss", () -> !store.isConnected());
        // Acknowledged while Redis is down: only the copy after the reconnection writes them.
        onLoop(() -> {
            state.add(item(1001));
            state.assign(item(1001), "agent-9");
            state.forget(item(0));
            state.flush();
        });

        CountDownLatch release = blockLoop();
        redis.restart();
        try (RedisServerProcess.Client c = redis.client()) {
            // The copy starts with the connection but cannot finish while writes are paused.
            c.call("CLIENT", "PAUSE", "60000", "WRITE");
            release.countDown();
            await("reconnected", store::isConnected);
            CompletableFuture<Void> closing = CompletableFuture.runAsync(store::close);
            await("closing", () -> !store.isConnected());
            assertEquals(0, store.stats().resyncs());
            c.call("CLIENT", "UNPAUSE");
            closing.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        }
        assertHashesEqualState();
    }

    @Test
    void resyncOfAnEmptyStateRemovesStaleHashes() throws Exception {
        connect(settings());
        RedisRecovery.run(store);
        restartRedisHolding(Map.of(A_KEY, A_JSON), Map.of(A_KEY, "agent-1"));
        await("re-synchronised", () -> store.stats().resyncs() == 1);
        try (RedisServerProcess.Client c = redis.client()) {
            assertEquals(0L, c.call("EXISTS", REQUESTS, ASSIGNED));
        }
    }

    @Test
    void startsDegradedAndMergesThePersistedQueueBeforeResynchronising() throws Exception {
        redis.kill();
        connect(settings());
        assertFalse(store.isConnected());
        RedisRecovery.Result result = RedisRecovery.run(store);
        assertTrue(result.degraded());

        onLoop(() -> {
            for (int i = 0; i < 10; i++) {
                state.add(item(i));
            }
            state.assign(item(4), "agent-4");
            // Known to both runs: memory's version wins.
            state.add(item(100));
            state.assign(item(100), "agent-new");
            // Finished while Redis was away: its persisted copy must not come back.
            state.add(item(101));
            state.forget(item(101));
            state.flush();
        });
        assertEquals(15, store.stats().skippedWhileDisconnected());

        // What a previous run left in Redis, there before the store's first connection is used.
        Map<String, String> previous = new LinkedHashMap<>(Map.of(A_KEY, A_JSON, B_KEY, B_JSON));
        previous.putAll(stored(List.of(item(100), item(101))));
        restartRedisHolding(previous,
                Map.of(A_KEY, "agent-1", RequestKeys.format(item(100)), "agent-old"));
        await("re-synchronised", () -> store.stats().resyncs() == 1);

        assertEquals(1, onLoop(() -> state.lateCalls));
        assertEquals(0, onLoop(() -> state.recoveredCalls));
        assertEquals(Set.of(A_KEY, B_KEY, RequestKeys.format(item(100))),
                keys(onLoop(() -> new ArrayList<>(state.lateItems))), "the finished one is left out");
        List<WireItem> kept = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            kept.add(item(i));
        }
        kept.add(item(100));
        Map<String, String> expectedRequests = stored(kept);
        expectedRequests.put(A_KEY, A_JSON);
        expectedRequests.put(B_KEY, B_JSON);
        assertEquals(expectedRequests, onLoop(state::expectedRequests));
        assertEquals(Map.of(RequestKeys.format(item(4)), "agent-4",
                        RequestKeys.format(item(100)), "agent-new", A_KEY, "agent-1"),
                onLoop(state::expectedAssigned));
        assertHashesEqualState();
    }

    @Test
    void aFailedReadOfThePersistedQueueIsRetriedAndWritesWaitForIt() throws Exception {
        redis.kill();
        connect(settings());
        RedisRecovery.run(store);
        onLoop(() -> {
            state.add(item(1));
            state.flush();
        });

        CountDownLatch release = blockLoop();
        redis.restart();
        try (RedisServerProcess.Client c = redis.client()) {
            c.call("HSET", REQUESTS, A_KEY, A_JSON, RequestKeys.format(item(2)),
                    ItemJson.toCompactJson(item(2)));
            // Not a hash: the read fails with an error reply until this is repaired.
            c.call("SET", ASSIGNED, "not a hash");
        }
        release.countDown();
        await("reconnected", store::isConnected);

        // Connected, but the persisted queue is not merged yet: writes are held back and the
        // persisted hashes stay as they are.
        long skippedBefore = store.stats().skippedWhileDisconnected();
        onLoop(() -> {
            state.add(item(2));
            state.forget(item(2));
            state.add(item(3));
            state.flush();
        });
        assertEquals(skippedBefore + 3, store.stats().skippedWhileDisconnected());
        assertEquals(0, onLoop(() -> state.lateCalls));
        assertEquals(Map.of(A_KEY, A_JSON, RequestKeys.format(item(2)),
                ItemJson.toCompactJson(item(2))), redis.hgetall(REQUESTS));

        try (RedisServerProcess.Client c = redis.client()) {
            // Repaired in one step (RENAME is atomic): a retry between a DEL and an HSET would
            // read an empty hash.
            c.call("HSET", ASSIGNED + ".repair", A_KEY, "agent-1");
            c.call("RENAME", ASSIGNED + ".repair", ASSIGNED);
        }
        await("re-synchronised", () -> store.stats().resyncs() == 1);
        assertEquals(1, onLoop(() -> state.lateCalls));
        assertEquals(Set.of(RequestKeys.format(item(1)), RequestKeys.format(item(3)), A_KEY),
                onLoop(state::expectedRequests).keySet());
        assertEquals(Map.of(A_KEY, "agent-1"), onLoop(state::expectedAssigned));
        assertHashesEqualState();
    }

    @Test
    void aFailedHandOverOfThePersistedQueueIsRetried() throws Exception {
        redis.kill();
        connect(settings());
        RedisRecovery.run(store);
        onLoop(() -> {
            state.lateFailures = 1;
            state.add(item(1));
            state.flush();
        });
        restartRedisHolding(Map.of(A_KEY, A_JSON), Map.of(A_KEY, "agent-1"));
        await("re-synchronised", () -> store.stats().resyncs() == 1);
        assertEquals(2, onLoop(() -> state.lateCalls));
        assertEquals(Set.of(RequestKeys.format(item(1)), A_KEY),
                onLoop(state::expectedRequests).keySet());
        assertHashesEqualState();
    }

    @Test
    void aLateReadWithoutReplyIsRepeatedOnANewConnection() throws Exception {
        redis.kill();
        connect(settings().withCommandTimeout(Duration.ofMillis(300)));
        RedisRecovery.run(store);
        onLoop(() -> {
            state.add(item(1));
            state.flush();
        });
        CountDownLatch release = blockLoop();
        redis.restart();
        hset(REQUESTS, Map.of(A_KEY, A_JSON));
        // The store's new connection is established and waits for the held loop to use it.
        await("the connection is handed to the loop", () -> loop.pendingTasks() > 0);
        try (RedisServerProcess.Client c = redis.client()) {
            // Longer than the command timeout: the first read gets no reply.
            c.call("CLIENT", "PAUSE", "1500", "ALL");
        }
        release.countDown();
        await("re-synchronised", () -> store.stats().resyncs() == 1);
        assertTrue(store.stats().connections() >= 2, "reconnected after the silent read");
        assertEquals(1, onLoop(() -> state.lateCalls));
        assertEquals(Set.of(RequestKeys.format(item(1)), A_KEY),
                onLoop(state::expectedRequests).keySet());
        assertHashesEqualState();
    }

    @Test
    void aMissingReplyClosesTheConnectionAndResynchronises() throws Exception {
        connect(settings().withCommandTimeout(Duration.ofMillis(300)));
        RedisRecovery.run(store);
        try (RedisServerProcess.Client c = redis.client()) {
            c.call("CLIENT", "PAUSE", "1500", "ALL");
        }
        onLoop(() -> {
            state.add(item(1));
            state.assign(item(1), "agent-1");
            state.flush();
        });
        await("reconnected and re-synchronised", () -> store.stats().resyncs() >= 1);
        assertTrue(store.stats().connections() >= 2);
        assertTrue(store.stats().failedWrites() >= 1);
        assertHashesEqualState();
    }

    private static Set<String> keys(List<WireItem> items) {
        Set<String> keys = new HashSet<>();
        for (WireItem item : items) {
            assertTrue(keys.add(RequestKeys.format(item)), "duplicate " + item);
        }
        return keys;
    }
}
