package org.coordinatool.bench.core;

import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.coordinatool.coordinator.core.CoordinatorEvents;
import org.coordinatool.coordinator.core.RequestStore;
import org.coordinatool.coordinator.redis.RedisRecovery;
import org.coordinatool.coordinator.redis.RedisRecoveryException;
import org.coordinatool.coordinator.redis.RedisStore;

/**
 * The coordinator core on its own state loop, wired as the server wires it: with a
 * {@link RedisStore} connected before the core is built and the persisted queue recovered before
 * anything else reaches the core. Work is handed to the loop and waited for.
 */
public final class LoopCore implements AutoCloseable {

    private final DefaultEventLoop loop;
    private final RedisStore redis;
    private final CoreDriver driver;
    private final RedisRecovery.Result recovery;

    private LoopCore(DefaultEventLoop loop, RedisStore redis, CoreDriver driver, RedisRecovery.Result recovery) {
        this.loop = loop;
        this.redis = redis;
        this.driver = driver;
        this.recovery = recovery;
    }

    /** A core persisting to the Redis at host:port, after recovering what it holds. */
    public static LoopCore withRedis(String host, int port) throws RedisRecoveryException {
        DefaultEventLoop loop = newLoop();
        AtomicReference<CoordinatorEvents> self = new AtomicReference<>();
        RedisStore redis = RedisStore.connect(host, port, loop, self::get);
        if (!redis.isConnected()) {
            redis.close();
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("Redis at " + host + ":" + port + " is unreachable");
        }
        CoreDriver driver = new CoreDriver(redis);
        self.set(driver.coordinator());
        return new LoopCore(loop, redis, driver, RedisRecovery.run(redis));
    }

    /** A core without persistence. */
    public static LoopCore inMemory() {
        return new LoopCore(newLoop(), null, new CoreDriver(RequestStore.NONE), null);
    }

    private static DefaultEventLoop newLoop() {
        return new DefaultEventLoop(new DefaultThreadFactory("state-loop"));
    }

    /** What start-up recovery found; null without Redis. */
    public RedisRecovery.Result recovery() {
        return recovery;
    }

    public <T> T call(Function<CoreDriver, T> work) {
        try {
            return loop.submit(() -> work.apply(driver)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the state loop failed: " + e.getCause(), e.getCause());
        }
    }

    public void run(Consumer<CoreDriver> work) {
        call(d -> {
            work.accept(d);
            return null;
        });
    }

    @Override
    public void close() {
        try {
            run(d -> d.coordinator().shutdown());
            if (redis != null) {
                redis.close();
            }
        } finally {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }
}
