package org.coordinatool.coordinator.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.coordinatool.coordinator.core.CoordinatorSample;
import org.coordinatool.coordinator.queue.ActionType;

/** The gauges of one client, tagged with its id, showing its last published sample. */
final class ClientMeters {

    private final String id;
    private final List<Meter> meters = new ArrayList<>();
    private volatile CoordinatorSample.ClientSample sample;

    ClientMeters(MeterRegistry registry, CoordinatorSample.ClientSample first) {
        this.id = first.id();
        this.sample = first;
        for (ActionType t : ActionType.PRIORITY) {
            int i = t.ordinal();
            meters.add(Gauge.builder("coordinatool.client.requests.queued", this, m -> m.sample.queued()[i])
                    .description("Requests waiting in the queues bound to a client (its own and its batch slots)")
                    .tag(CoordinatorMetrics.CLIENT, id).tag(CoordinatorMetrics.ACTION, t.wireName())
                    .strongReference(true).register(registry));
            meters.add(Gauge.builder("coordinatool.client.requests.running", this, m -> m.sample.running()[i])
                    .description("Requests running on a client")
                    .tag(CoordinatorMetrics.CLIENT, id).tag(CoordinatorMetrics.ACTION, t.wireName())
                    .strongReference(true).register(registry));
        }
        meters.add(Gauge.builder("coordinatool.client.connected", this, m -> m.sample.connected() ? 1 : 0)
                .description("1 while a client is connected, 0 during its grace period after a disconnection")
                .tag(CoordinatorMetrics.CLIENT, id).strongReference(true).register(registry));
    }

    String id() {
        return id;
    }

    void update(CoordinatorSample.ClientSample s) {
        sample = s;
    }

    void remove(MeterRegistry registry) {
        meters.forEach(registry::remove);
    }
}
