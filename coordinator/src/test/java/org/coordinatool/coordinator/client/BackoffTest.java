package org.coordinatool.coordinator.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void pausesDoubleUpToTheCap() {
        Backoff b = new Backoff(100, 1000);
        assertEquals(100, b.delayMillis(1));
        assertEquals(200, b.delayMillis(2));
        assertEquals(800, b.delayMillis(4));
        assertEquals(1000, b.delayMillis(5));
        assertEquals(1000, b.delayMillis(Integer.MAX_VALUE));
    }

    @Test
    void theOriginalClientsPauseFiveSecondsEveryTime() {
        assertEquals(5000, Backoff.FIXED_5S.delayMillis(1));
        assertEquals(5000, Backoff.FIXED_5S.delayMillis(7));
    }

    @Test
    void nonsenseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(100, 10));
    }
}
