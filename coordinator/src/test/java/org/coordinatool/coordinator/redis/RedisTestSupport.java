package org.coordinatool.coordinator.redis;

import static org.junit.jupiter.api.Assertions.fail;

import io.netty.channel.DefaultEventLoop;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.Fid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A real redis-server and a state loop per test, plus the helpers the Redis tests share. */
abstract class RedisTestSupport {

    static final Duration DEADLINE = Duration.ofSeconds(30);

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
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** An archive request with distinct identity per n. */
    static WireItem item(int n) {
        Fid fid = new Fid(0x200000400L + n, n, 0);
        return new WireItem(20, fid, fid, 0, -1, 0x5000L + n, 0, 1, 0,
                ("tag=" + n).getBytes(StandardCharsets.UTF_8), 1_700_000_000_000_000_000L + n, null);
    }
}
