package org.coordinatool.coordinator.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.coordinatool.coordinator.metrics.CoordinatorMetrics;
import org.coordinatool.coordinator.metrics.PrometheusText;
import org.coordinatool.coordinator.protocol.WireItem;
import org.junit.jupiter.api.Test;

/** The coordinator's request metrics, driven by real events and read back from a real Prometheus registry. */
class CoordinatorMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final CoordinatorMetrics metrics = new CoordinatorMetrics(registry);
    private final Harness h = Harness.builder().telemetry(metrics).grace(1000).build();

    private PrometheusText scrape() {
        metrics.publish(h.coordinator.sample());
        return PrometheusText.parse(registry.scrape());
    }

    @Test
    void everyActionHasItsMetersBeforeAnything() {
        PrometheusText s = scrape();
        for (String action : List.of("archive", "restore", "remove")) {
            for (String counter : List.of("received", "dispatched", "done", "failed", "cancelled")) {
                assertEquals(0, s.value("coordinatool_requests_" + counter + "_total", "action", action));
            }
            assertEquals(0, s.value("coordinatool_requests_waiting", "action", action));
            assertEquals(0, s.value("coordinatool_request_wait_seconds_count", "action", action));
        }
        assertEquals("counter", s.type("coordinatool_requests_done_total"));
        assertEquals("histogram", s.type("coordinatool_request_run_seconds"));
        assertEquals(0, s.value("coordinatool_agents_connected"));
        assertFalse(s.names().stream().anyMatch(n -> n.startsWith("coordinatool_client_")));
    }

    @Test
    void requestsAreCountedAndTimedThroughTheirLife() {
        h.lustre(Items.archive(1), Items.archive(2));
        h.lustre(Items.restore(3));
        PrometheusText queued = scrape();
        assertEquals(2, queued.value("coordinatool_requests_received_total", "action", "archive"));
        assertEquals(1, queued.value("coordinatool_requests_received_total", "action", "restore"));
        assertEquals(2, queued.value("coordinatool_requests_waiting", "action", "archive"));
        assertEquals(1, queued.value("coordinatool_requests_waiting", "action", "restore"));

        h.advanceMillis(2000);
        RecordingConnection agent = h.agent("mover1");
        h.recv(agent);
        assertEquals(List.of(3, 1, 2), Harness.received(agent));
        h.advanceMillis(1500);
        h.done(agent, Items.archive(1), 0);
        h.done(agent, Items.restore(3), 5);

        PrometheusText s = scrape();
        assertEquals(2, s.value("coordinatool_requests_dispatched_total", "action", "archive"));
        assertEquals(1, s.value("coordinatool_requests_done_total", "action", "archive"));
        assertEquals(0, s.value("coordinatool_requests_failed_total", "action", "archive"));
        assertEquals(1, s.value("coordinatool_requests_failed_total", "action", "restore"));
        assertEquals(0, s.value("coordinatool_requests_waiting", "action", "archive"));
        assertEquals(1, s.value("coordinatool_requests_running", "action", "archive"));
        assertEquals(2, s.value("coordinatool_request_wait_seconds_count", "action", "archive"));
        assertEquals(4.0, s.value("coordinatool_request_wait_seconds_sum", "action", "archive"), 1e-6);
        assertEquals(2, s.value("coordinatool_request_wait_seconds_bucket", "action", "archive", "le", "10.0"));
        assertEquals(0, s.value("coordinatool_request_wait_seconds_bucket", "action", "archive", "le", "1.0"));
        assertEquals(1.5, s.value("coordinatool_request_run_seconds_sum", "action", "restore"), 1e-6);
        assertEquals(1, s.value("coordinatool_agents_connected"));
        assertEquals(1, s.value("coordinatool_client_requests_running", "client", "mover1", "action", "archive"));
        assertEquals(0, s.value("coordinatool_client_requests_running", "client", "mover1", "action", "restore"));
        assertEquals(1, s.value("coordinatool_client_connected", "client", "mover1"));
    }

    @Test
    void cancelsAreCountedForTheCancelledType() {
        WireItem queued = Items.archive(1);
        WireItem running = Items.restore(2);
        h.lustre(running);
        RecordingConnection agent = h.agent("mover1");
        h.recv(agent);
        assertEquals(List.of(2), Harness.received(agent));
        h.lustre(queued);
        h.lustreCancel(1, queued.archiveId());
        h.lustreCancel(2, running.archiveId());
        PrometheusText pending = scrape();
        assertEquals(1, pending.value("coordinatool_requests_cancelled_total", "action", "archive"));
        assertEquals(0, pending.value("coordinatool_requests_cancelled_total", "action", "restore"));
        assertEquals(1, pending.value("coordinatool_cancels_pending"));
        h.recv(agent);
        PrometheusText delivered = scrape();
        assertEquals(1, delivered.value("coordinatool_requests_cancelled_total", "action", "restore"));
        assertEquals(0, delivered.value("coordinatool_cancels_pending"));
    }

    @Test
    void queuedForAClientShowsInItsGauges() {
        RecordingConnection agent = h.agent("mover1");
        h.recv(agent, 0, -1, -1, 1 << 20);
        RecordingConnection admin = h.admin();
        WireItem item = Items.archive(1);
        h.queue(admin, item);
        PrometheusText s = scrape();
        assertEquals(1, s.value("coordinatool_requests_received_total", "action", "archive"));
        assertEquals(1, s.value("coordinatool_requests_waiting", "action", "archive"));
        assertTrue(s.has("coordinatool_client_requests_queued", "client", "mover1", "action", "archive"));
        assertFalse(s.has("coordinatool_client_connected", "client", admin.peerName()),
                "unnamed connections are not clients of their own");
    }

    @Test
    void aClientsMetersLastUntilItIsForgotten() {
        h.lustre(Items.archive(1));
        RecordingConnection agent = h.agent("mover1");
        h.recv(agent);
        assertEquals(List.of(1), Harness.received(agent));
        h.coordinator.disconnected(agent);
        PrometheusText inGrace = scrape();
        assertEquals(0, inGrace.value("coordinatool_client_connected", "client", "mover1"));
        assertEquals(1, inGrace.value("coordinatool_client_requests_running", "client", "mover1", "action", "archive"));
        assertEquals(0, inGrace.value("coordinatool_agents_connected"));

        h.advanceMillis(1500);
        PrometheusText forgotten = scrape();
        assertFalse(forgotten.has("coordinatool_client_connected", "client", "mover1"));
        assertFalse(forgotten.has("coordinatool_client_requests_running", "client", "mover1"));
        assertEquals(1, forgotten.value("coordinatool_requests_waiting", "action", "archive"), "re-queued");

        RecordingConnection back = h.agent("mover1");
        assertEquals(1, scrape().value("coordinatool_client_connected", "client", "mover1"));
        h.coordinator.disconnected(back);
    }

    @Test
    void lockModeIsShown() {
        RecordingConnection admin = h.admin();
        h.send(admin, new org.coordinatool.coordinator.protocol.Command.Lock(1));
        assertEquals(1, scrape().value("coordinatool_lock_mode"));
    }
}
