package org.coordinatool.coordinator.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.coordinatool.coordinator.metrics.PrometheusText;
import org.coordinatool.coordinator.metrics.RedisMetrics;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.Fid;
import org.junit.jupiter.api.Test;

/** Redis persistence as its metrics show it, against a real redis-server. */
class RedisMetricsTest extends RedisTestSupport {

    private static final Fid FID = new Fid(0x200000401L, 1, 0);
    private static final WireItem ITEM = new WireItem(20, FID, FID, 0, -1, 0x10, 0, 1, 0, new byte[0], 1, null);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private PrometheusText scrape() {
        return PrometheusText.parse(registry.scrape());
    }

    @Test
    void writesFlushesAndTheConnectionAreShown() throws Exception {
        connect(settings());
        RedisRecovery.run(store);
        RedisMetrics.bind(registry, store);
        assertEquals(1, scrape().value("coordinatool_redis_connected"));
        assertEquals(1, scrape().value("coordinatool_redis_connections_total"));

        onLoop(() -> {
            state.add(ITEM);
            state.flush();
        });
        await("the flush timed", () -> scrape().value("coordinatool_redis_flush_seconds_count") == 1);
        PrometheusText s = scrape();
        assertEquals(1, s.value("coordinatool_redis_writes_total"));
        assertEquals(0, s.value("coordinatool_redis_write_failures_total"));
        assertEquals(1, s.value("coordinatool_redis_flush_seconds_bucket", "le", "+Inf"));

        redis.kill();
        await("the loss seen", () -> scrape().value("coordinatool_redis_connected") == 0);
    }
}
