package org.coordinatool.mover;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.coordinatool.coordinator.queue.ActionType;

/**
 * The mover agent's metrics. Counters and timers are updated on the agent loop as items come and
 * go, from meters found by action ordinal; gauges show what the loop last {@link #publish published}.
 */
final class AgentMetrics {

    static final String ACTION = "action";

    private final Counter[] received = new Counter[ActionType.COUNTED];
    private final Counter[] done = new Counter[ActionType.COUNTED];
    private final Counter[] failed = new Counter[ActionType.COUNTED];
    private final Timer[] duration = new Timer[ActionType.COUNTED];
    private final Counter restarts;
    private final Counter reconnects;
    private volatile long[] running = new long[ActionType.COUNTED];
    private volatile boolean connected;

    AgentMetrics(MeterRegistry registry) {
        Duration[] buckets = {Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
            Duration.ofHours(1), Duration.ofHours(4), Duration.ofHours(12), Duration.ofDays(1)};
        for (ActionType t : ActionType.PRIORITY) {
            int i = t.ordinal();
            String action = t.wireName();
            received[i] = Counter.builder("coordinatool.mover.items.received").tag(ACTION, action)
                    .description("Items received from the coordinator and handed to the copytool").register(registry);
            done[i] = Counter.builder("coordinatool.mover.items.done").tag(ACTION, action)
                    .description("Items the copytool ended successfully").register(registry);
            failed[i] = Counter.builder("coordinatool.mover.items.failed").tag(ACTION, action)
                    .description("Items the copytool ended with an error status").register(registry);
            duration[i] = Timer.builder("coordinatool.mover.item").tag(ACTION, action)
                    .description("Time from handing an item to the copytool to its end")
                    .serviceLevelObjectives(buckets).register(registry);
            Gauge.builder("coordinatool.mover.items.running", this, m -> m.running[i]).tag(ACTION, action)
                    .description("Items the copytool is working on").register(registry);
        }
        restarts = Counter.builder("coordinatool.mover.copytool.restarts")
                .description("Restarts of a copytool that exited").register(registry);
        reconnects = Counter.builder("coordinatool.mover.coordinator.reconnects")
                .description("Connections to the coordinator after the first one").register(registry);
        Gauge.builder("coordinatool.mover.coordinator.connected", this, m -> m.connected ? 1 : 0)
                .description("1 while the agent is connected to the coordinator").register(registry);
    }

    /** An item was handed to the copytool. */
    void received(ActionType type) {
        received[type.ordinal()].increment();
    }

    /** The copytool ended an item with {@code status} (0: success) after {@code nanos}. */
    void ended(ActionType type, int status, long nanos) {
        (status == 0 ? done : failed)[type.ordinal()].increment();
        duration[type.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
    }

    void copytoolRestarted() {
        restarts.increment();
    }

    void reconnected() {
        reconnects.increment();
    }

    /** What the gauges show from now on; called on the agent loop. */
    void publish(long[] runningByType, boolean isConnected) {
        running = runningByType.clone();
        connected = isConnected;
    }
}
