package org.coordinatool.mover;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.coordinatool.coordinator.metrics.PrometheusText;
import org.coordinatool.coordinator.queue.ActionType;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AgentMetrics metrics = new AgentMetrics(registry);

    private PrometheusText scrape() {
        return PrometheusText.parse(registry.scrape());
    }

    @Test
    void countsItemsPerActionAndTimesThem() {
        metrics.received(ActionType.ARCHIVE);
        metrics.received(ActionType.ARCHIVE);
        metrics.received(ActionType.RESTORE);
        metrics.ended(ActionType.ARCHIVE, 0, 2_000_000_000L);
        metrics.ended(ActionType.RESTORE, 5, 500_000_000L);
        PrometheusText s = scrape();
        assertEquals(2, s.value("coordinatool_mover_items_received_total", "action", "archive"));
        assertEquals(1, s.value("coordinatool_mover_items_done_total", "action", "archive"));
        assertEquals(0, s.value("coordinatool_mover_items_failed_total", "action", "archive"));
        assertEquals(1, s.value("coordinatool_mover_items_failed_total", "action", "restore"));
        assertEquals(0, s.value("coordinatool_mover_items_received_total", "action", "remove"));
        assertEquals(2.0, s.value("coordinatool_mover_item_seconds_sum", "action", "archive"), 1e-9);
        assertEquals(1, s.value("coordinatool_mover_item_seconds_bucket", "action", "restore", "le", "1.0"));
        assertEquals(0, s.value("coordinatool_mover_item_seconds_bucket", "action", "archive", "le", "1.0"));
    }

    @Test
    void gaugesShowWhatWasPublished() {
        PrometheusText before = scrape();
        assertEquals(0, before.value("coordinatool_mover_coordinator_connected"));
        assertEquals(0, before.value("coordinatool_mover_items_running", "action", "archive"));
        long[] running = new long[ActionType.COUNTED];
        running[ActionType.ARCHIVE.ordinal()] = 3;
        metrics.publish(running, true);
        running[ActionType.ARCHIVE.ordinal()] = 7;
        PrometheusText after = scrape();
        assertEquals(1, after.value("coordinatool_mover_coordinator_connected"));
        assertEquals(3, after.value("coordinatool_mover_items_running", "action", "archive"), "a copy was published");
    }

    @Test
    void restartsAndReconnectsAreCounted() {
        metrics.copytoolRestarted();
        metrics.reconnected();
        metrics.reconnected();
        PrometheusText s = scrape();
        assertEquals(1, s.value("coordinatool_mover_copytool_restarts_total"));
        assertEquals(2, s.value("coordinatool_mover_coordinator_reconnects_total"));
    }
}
