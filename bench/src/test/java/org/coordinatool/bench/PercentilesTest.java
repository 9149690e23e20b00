package org.coordinatool.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankOfShuffledValues() {
        long[] values = new long[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i * 7919L) % 1000 + 1; // 1..1000, shuffled
        }
        assertEquals(new Percentiles(1000, 500, 900, 990, 1000), Percentiles.of(values));
    }

    @Test
    void smallAndEmptySets() {
        assertEquals(new Percentiles(1, 42, 42, 42, 42), Percentiles.of(new long[] {42}));
        assertEquals(new Percentiles(3, 2, 3, 3, 3), Percentiles.of(new long[] {3, 1, 2}));
        assertEquals(new Percentiles(0, 0, 0, 0, 0), Percentiles.of(new long[0]));
    }
}
