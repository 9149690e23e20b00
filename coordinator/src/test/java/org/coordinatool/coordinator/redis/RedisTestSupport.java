package org.coordinatool.coordinator.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.channel.DefaultEventLoop;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.coordinatool.coordinator.Await;
import org.coordinatool.coordinator.protocol.ItemJson;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.Fid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A real redis-server and a state loop per test, plus the helpers the Redis tests share. */
abstract class RedisTestSupport {

    static final Duration DEADLINE = Duration.ofSeconds(30);

    static final String REQUESTS = "coordinatool_requests";
    static final String ASSIGNED = "coordinatool_assigned";

    /** Spec §8.2 example key and its request, as the original server stores it. */
    static final String KEY_1 = "00000000617d23ef000000020000522300001cce00000000";
    static final String JSON_1 = "{\"hai_action\":20,"
            + "\"hai_fid\":{\"f_seq\":8589955619,\"f_oid\":7374,\"f_ver\":0},"
            + "\"hai_dfid\":{\"f_seq\":8589955619,\"f_oid\":7374,\"f_ver\":0},"
            + "\"hai_extent_offset\":0,\"hai_extent_length\":-1,\"hai_cookie\":1635591151,"
            + "\"hai_gid\":0,\"hai_data\":\"tag=foo\\u0000\",\"hal_archive_id\":1,"
            + "\"hal_flags\":0,\"timestamp\":1718000000123456789}";

    RedisServerProcess redis;
    DefaultEventLoop loop;
    InMemoryState state;
    RedisStore store;

    @BeforeEach
    void startRedisAndLoop() {
        redis = RedisServerProcess.start();
        loop = new DefaultEventLoop();
        state = new InMemoryState();
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        if (store != null) {
            store.close();
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        redis.close();
    }

    /** Short back-off so reconnections happen quickly once Redis is back. */
    RedisSettings settings() {
        return RedisSettings.of(redis.host(), redis.port())
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200));
    }

    RedisStore connect(RedisSettings settings) {
        store = RedisStore.connect(settings, loop, () -> state);
        onLoop(() -> state.attach(store));
        return store;
    }

    void onLoop(Runnable task) {
        onLoop(() -> {
            task.run();
            return null;
        });
    }

    <T> T onLoop(Supplier<T> task) {
        CompletableFuture<T> result = CompletableFuture.supplyAsync(task, loop);
        try {
            return result.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("state loop task failed", e);
        }
    }

    /** Holds the state loop until the returned latch is released, so queued work waits. */
    CountDownLatch blockLoop() {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        loop.execute(() -> {
            blocked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            if (!blocked.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("state loop did not pick up the blocking task");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return release;
    }

    static void await(String what, BooleanSupplier condition) {
        Await.until(what, condition);
    }

    /**
     * Restarts Redis holding what an earlier server run left there, written before the store
     * can use its next connection: the state loop, where the store takes a connection up, is
     * held meanwhile.
     */
    void restartRedisHolding(Map<String, String> requests, Map<String, String> assigned) {
        CountDownLatch release = blockLoop();
        redis.restart();
        hset(REQUESTS, requests);
        if (!assigned.isEmpty()) {
            hset(ASSIGNED, assigned);
        }
        release.countDown();
    }

    /** Writes entries into a hash through a connection of the test's own, in one HSET. */
    void hset(String hash, Map<String, String> entries) {
        List<String> args = new ArrayList<>(List.of("HSET", hash));
        entries.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        try (RedisServerProcess.Client c = redis.client()) {
            c.call(args.toArray(new String[0]));
        }
    }

    /** The compact JSON of each item by key, as the store writes them. */
    static Map<String, String> stored(List<WireItem> items) {
        Map<String, String> m = new LinkedHashMap<>();
        for (WireItem item : items) {
            m.put(RequestKeys.format(item), ItemJson.toCompactJson(item));
        }
        return m;
    }

    /** An archive request with distinct identity per n. */
    static WireItem item(int n) {
        Fid fid = new Fid(0x200000400L + n, n, 0);
        return new WireItem(20, fid, fid, 0, -1, 0x5000L + n, 0, 1, 0,
                ("tag=" + n).getBytes(StandardCharsets.UTF_8), 1_700_000_000_000_000_000L + n, null);
    }

    void assertHashesEqualState() {
        assertSameMap(REQUESTS, onLoop(state::expectedRequests), redis.hgetall(REQUESTS));
        assertSameMap(ASSIGNED, onLoop(state::expectedAssigned), redis.hgetall(ASSIGNED));
    }

    /** Equality with a failure message naming only the differing entries (the maps are large). */
    static void assertSameMap(String hash, Map<String, String> expected,
                                      Map<String, String> actual) {
        if (expected.equals(actual)) {
            return;
        }
        StringBuilder diff = new StringBuilder(hash + " differs from memory:");
        int shown = 0;
        for (Map.Entry<String, String> e : expected.entrySet()) {
            if (!e.getValue().equals(actual.get(e.getKey())) && shown++ < 10) {
                diff.append("\n  ").append(e.getKey()).append(": expected ").append(e.getValue())
                        .append(", got ").append(actual.get(e.getKey()));
            }
        }
        for (String key : actual.keySet()) {
            if (!expected.containsKey(key) && shown++ < 10) {
                diff.append("\n  ").append(key).append(": unexpected ").append(actual.get(key));
            }
        }
        fail(diff.append("\n  (").append(shown).append(" differences)").toString());
    }

    void awaitHashes(Map<String, String> requests, Map<String, String> assigned) {
        Map<String, String> expectedRequests = new LinkedHashMap<>(requests);
        Map<String, String> expectedAssigned = new LinkedHashMap<>(assigned);
        try {
            await("hashes hold " + expectedRequests.keySet() + " / " + expectedAssigned,
                    () -> redis.hgetall(REQUESTS).equals(expectedRequests)
                            && redis.hgetall(ASSIGNED).equals(expectedAssigned));
        } catch (AssertionError e) {
            assertEquals(expectedRequests, redis.hgetall(REQUESTS));
            assertEquals(expectedAssigned, redis.hgetall(ASSIGNED));
            throw e;
        }
    }
}
