package org.coordinatool.coordinator.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One line per interval; the next line tells how many were held back. */
class LogRateLimiterTest {

    @Test
    void letsOneLineThroughPerIntervalAndCountsTheOthers() {
        AtomicLong now = new AtomicLong(-5);
        LogRateLimiter limiter = new LogRateLimiter(100, now::get);
        assertEquals(0, limiter.acquire());
        now.addAndGet(99);
        assertEquals(LogRateLimiter.SUPPRESSED, limiter.acquire());
        assertEquals(LogRateLimiter.SUPPRESSED, limiter.acquire());
        now.addAndGet(1);
        assertEquals(2, limiter.acquire());
        now.addAndGet(1000);
        assertEquals(0, limiter.acquire());
    }
}
