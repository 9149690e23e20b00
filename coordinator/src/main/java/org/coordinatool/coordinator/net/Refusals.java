package org.coordinatool.coordinator.net;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts every {@link Refusal} and logs them, at most one line per kind every 10 seconds. */
final class Refusals {

    private static final Logger LOG = LoggerFactory.getLogger(Refusals.class);
    static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Map<Refusal, Counter> counters = new EnumMap<>(Refusal.class);
    private final Map<Refusal, LogRateLimiter> limiters = new EnumMap<>(Refusal.class);

    Refusals(MeterRegistry registry, LongSupplier nanoTime) {
        for (Refusal r : Refusal.values()) {
            counters.put(r, Counter.builder(r.metric).tag("reason", r.reason)
                    .description("Connections or commands turned away or held back, by reason")
                    .register(registry));
            limiters.put(r, new LogRateLimiter(LOG_INTERVAL_NANOS, nanoTime));
        }
    }

    /** @param what one line about the peer's fault; never a secret */
    void record(Refusal refusal, String peer, String what) {
        counters.get(refusal).increment();
        long held = limiters.get(refusal).acquire();
        if (held != LogRateLimiter.SUPPRESSED) {
            LOG.warn("{}: {}{}", peer, what, held == 0 ? ""
                    : " (and " + held + " more " + refusal.reason + " since the last such line)");
        }
    }
}
