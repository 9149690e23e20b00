package org.coordinatool.mover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.coordinatool.coordinator.queue.ActionType;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AgentMetrics metrics = new AgentMetrics(registry);

    private RequiredSearch meter(String name, String action) {
        return registry.get(name).tag(AgentMetrics.ACTION, action);
    }

    @Test
    void countsItemsPerActionAndTimesThem() {
        metrics.received(ActionType.ARCHIVE);
        metrics.received(ActionType.ARCHIVE);
        metrics.received(ActionType.RESTORE);
        metrics.ended(ActionType.ARCHIVE, 0, 2_000_000_000L);
        metrics.ended(ActionType.RESTORE, 5, 500_000_000L);
        assertEquals(2, meter("coordinatool.mover.items.received", "archive").counter().count());
        assertEquals(1, meter("coordinatool.mover.items.done", "archive").counter().count());
        assertEquals(0, meter("coordinatool.mover.items.failed", "archive").counter().count());
        assertEquals(1, meter("coordinatool.mover.items.failed", "restore").counter().count());
        assertEquals(0, meter("coordinatool.mover.items.received", "remove").counter().count());
        assertEquals(2.0, meter("coordinatool.mover.item", "archive").timer().totalTime(TimeUnit.SECONDS), 1e-9);
        String text = registry.scrape();
        assertTrue(text.contains("coordinatool_mover_item_seconds_bucket{action=\"restore\",le=\"1.0\"} 1"), text);
        assertTrue(text.contains("coordinatool_mover_item_seconds_bucket{action=\"archive\",le=\"1.0\"} 0"), text);
        assertTrue(text.contains("coordinatool_mover_items_done_total{action=\"archive\"} 1"), text);
    }

    @Test
    void gaugesShowWhatWasPublished() {
        assertEquals(0, registry.get("coordinatool.mover.coordinator.connected").gauge().value());
        assertEquals(0, meter("coordinatool.mover.items.running", "archive").gauge().value());
        long[] running = new long[ActionType.COUNTED];
        running[ActionType.ARCHIVE.ordinal()] = 3;
        metrics.publish(running, true);
        running[ActionType.ARCHIVE.ordinal()] = 7;
        assertEquals(1, registry.get("coordinatool.mover.coordinator.connected").gauge().value());
        assertEquals(3, meter("coordinatool.mover.items.running", "archive").gauge().value(), "a copy was published");
    }

    @Test
    void restartsAndReconnectsAreCounted() {
        metrics.copytoolRestarted();
        metrics.reconnected();
        metrics.reconnected();
        assertEquals(1, registry.get("coordinatool.mover.copytool.restarts").counter().count());
        assertEquals(2, registry.get("coordinatool.mover.coordinator.reconnects").counter().count());
    }
}
