package org.coordinatool.coordinator.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.coordinatool.coordinator.redis.RedisStore;

/** Redis persistence: writes, failures, connection state and the round trip of pipelined writes. */
public final class RedisMetrics {

    private RedisMetrics() {
    }

    public static void bind(MeterRegistry registry, RedisStore store) {
        FunctionCounter.builder("coordinatool.redis.writes", store, s -> s.stats().writes())
                .description("Redis write commands sent").register(registry);
        FunctionCounter.builder("coordinatool.redis.write.failures", store, s -> s.stats().failedWrites())
                .description("Redis write commands that failed or timed out").register(registry);
        FunctionCounter.builder("coordinatool.redis.writes.skipped", store, s -> s.stats().skippedWhileDisconnected())
                .description("Writes not sent because Redis was unreachable (rewritten by the next"
                        + " re-synchronisation)").register(registry);
        FunctionCounter.builder("coordinatool.redis.connections", store, s -> s.stats().connections())
                .description("Connections established to Redis (1 + reconnections)").register(registry);
        FunctionCounter.builder("coordinatool.redis.resyncs", store, s -> s.stats().resyncs())
                .description("Complete rewrites of Redis from memory after a reconnection").register(registry);
        Gauge.builder("coordinatool.redis.connected", store, s -> s.isConnected() ? 1 : 0)
                .description("1 while Redis is connected, 0 in degraded mode").register(registry);
        Timer flushes = Timer.builder("coordinatool.redis.flush")
                .description("Time from sending a pipelined batch of writes to Redis's reply to its last write")
                .serviceLevelObjectives(Duration.ofNanos(100_000), Duration.ofMillis(1), Duration.ofMillis(5),
                        Duration.ofMillis(25), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(2),
                        Duration.ofSeconds(10))
                .register(registry);
        store.observeFlushes(nanos -> flushes.record(nanos, TimeUnit.NANOSECONDS));
    }
}
