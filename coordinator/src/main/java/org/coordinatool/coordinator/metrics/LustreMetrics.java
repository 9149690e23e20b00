package org.coordinatool.coordinator.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.coordinatool.coordinator.lustre.LustreReceiver;

/** What the Lustre receiving thread saw. */
public final class LustreMetrics {

    private LustreMetrics() {
    }

    public static void bind(MeterRegistry registry, LustreReceiver receiver) {
        FunctionCounter.builder("coordinatool.lustre.action.lists", receiver, LustreReceiver::actionLists)
                .description("Action lists received from Lustre").register(registry);
        FunctionCounter.builder("coordinatool.lustre.receive.errors", receiver, LustreReceiver::receiveErrors)
                .description("Failed receives from Lustre (retried after a pause)").register(registry);
    }
}
