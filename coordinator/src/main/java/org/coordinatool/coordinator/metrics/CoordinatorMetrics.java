package org.coordinatool.coordinator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.coordinatool.coordinator.core.CoordinatorSample;
import org.coordinatool.coordinator.core.RequestTelemetry;
import org.coordinatool.coordinator.queue.ActionType;

/**
 * The coordinator's request metrics. Counters and timers are updated on every event, from meters
 * registered once per action type and found by ordinal: no lookup, tag or allocation per event.
 * Gauges read the last {@link CoordinatorSample} {@link #publish published} from the state loop,
 * never the loop's own fields; per-client gauges exist while the coordinator knows the client.
 */
public final class CoordinatorMetrics implements RequestTelemetry {

    public static final String ACTION = "action";
    public static final String CLIENT = "client";

    /** Requests may wait for days in a queue of tapes; bucket bounds from seconds to a week. */
    static final Duration[] WAIT_BUCKETS = durations(0.01, 0.1, 1, 10, 60, 300, 900, 3600, 4 * 3600, 12 * 3600,
            86400, 3 * 86400, 7 * 86400);
    /** Copies last from milliseconds (removes) to hours (large restores). */
    static final Duration[] RUN_BUCKETS = durations(0.01, 0.1, 1, 5, 30, 60, 300, 900, 3600, 4 * 3600,
            12 * 3600, 86400);

    private static final CoordinatorSample EMPTY = new CoordinatorSample(new long[ActionType.COUNTED],
            new long[ActionType.COUNTED], 0, 0, 0, List.of());

    private final MeterRegistry registry;
    private final Counter[] received = new Counter[ActionType.COUNTED];
    private final Counter[] dispatched = new Counter[ActionType.COUNTED];
    private final Counter[] done = new Counter[ActionType.COUNTED];
    private final Counter[] failed = new Counter[ActionType.COUNTED];
    private final Counter[] cancelled = new Counter[ActionType.COUNTED];
    private final Timer[] waited = new Timer[ActionType.COUNTED];
    private final Timer[] ran = new Timer[ActionType.COUNTED];
    /** Touched only by {@link #publish}, hence only on the state loop. */
    private final Map<String, ClientMeters> clients = new HashMap<>();
    private volatile CoordinatorSample sample = EMPTY;

    public CoordinatorMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (ActionType t : ActionType.PRIORITY) {
            int i = t.ordinal();
            String action = t.wireName();
            received[i] = counter("coordinatool.requests.received", "Requests received from Lustre or queued by"
                    + " coordinatool-client", action);
            dispatched[i] = counter("coordinatool.requests.dispatched", "Requests sent to an agent", action);
            done[i] = counter("coordinatool.requests.done", "Requests an agent completed successfully", action);
            failed[i] = counter("coordinatool.requests.failed", "Requests an agent completed with an error status",
                    action);
            cancelled[i] = counter("coordinatool.requests.cancelled", "Requests cancelled by Lustre, queued or"
                    + " running", action);
            waited[i] = Timer.builder("coordinatool.request.wait")
                    .description("Time requests waited in the queues before being dispatched")
                    .tag(ACTION, action).serviceLevelObjectives(WAIT_BUCKETS).register(registry);
            ran[i] = Timer.builder("coordinatool.request.run")
                    .description("Time from dispatch to the agent's done")
                    .tag(ACTION, action).serviceLevelObjectives(RUN_BUCKETS).register(registry);
            Gauge.builder("coordinatool.requests.waiting", this, m -> m.sample.waiting()[i])
                    .description("Requests waiting in any queue (unbound, bound to a client, in batch slots)")
                    .tag(ACTION, action).register(registry);
            Gauge.builder("coordinatool.requests.running", this, m -> m.sample.running()[i])
                    .description("Requests running on agents").tag(ACTION, action).register(registry);
        }
        Gauge.builder("coordinatool.cancels.pending", this, m -> m.sample.pendingCancels())
                .description("Cancel orders not yet delivered to the agent running their request").register(registry);
        Gauge.builder("coordinatool.agents.connected", this, m -> m.sample.connectedAgents())
                .description("Connected agents").register(registry);
        Gauge.builder("coordinatool.lock.mode", this, m -> m.sample.lockMode())
                .description("Lock mode: 0 unlocked, 1 locked (nothing dispatched), 2 lock-and-quit")
                .register(registry);
    }

    private Counter counter(String name, String description, String action) {
        return Counter.builder(name).description(description).tag(ACTION, action).register(registry);
    }

    private static Duration[] durations(double... seconds) {
        Duration[] out = new Duration[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            out[i] = Duration.ofNanos(Math.round(seconds[i] * 1e9));
        }
        return out;
    }

    // ---------------------------------------------------------------- events (state loop)

    @Override
    public void received(ActionType type) {
        received[type.ordinal()].increment();
    }

    @Override
    public void dispatched(ActionType type, long waitedNanos) {
        dispatched[type.ordinal()].increment();
        waited[type.ordinal()].record(waitedNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void completed(ActionType type, int status, long ranNanos) {
        (status == 0 ? done : failed)[type.ordinal()].increment();
        ran[type.ordinal()].record(ranNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void cancelled(ActionType type) {
        cancelled[type.ordinal()].increment();
    }

    // ---------------------------------------------------------------- gauges

    /**
     * Makes {@code s} what the gauges show: registers the meters of clients it shows for the
     * first time and removes those of clients the coordinator forgot. Call on the state loop.
     */
    public void publish(CoordinatorSample s) {
        Set<String> seen = new HashSet<>();
        for (CoordinatorSample.ClientSample c : s.clients()) {
            seen.add(c.id());
            ClientMeters m = clients.get(c.id());
            if (m == null) {
                clients.put(c.id(), new ClientMeters(registry, c));
            } else {
                m.update(c);
            }
        }
        clients.values().removeIf(m -> {
            if (seen.contains(m.id())) {
                return false;
            }
            m.remove(registry);
            return true;
        });
        sample = s;
    }
}
