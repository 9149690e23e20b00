package org.coordinatool.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ActionMixTest {

    @Test
    void everyBlockHoldsTheWeightsCounts() {
        ActionMix mix = ActionMix.parse("archive=90, restore=10");
        int[] counts = new int[3];
        for (long i = 0; i < 1000; i++) {
            counts[mix.actionOf(i) - 20]++;
        }
        assertEquals(900, counts[0]);
        assertEquals(100, counts[1]);
        assertEquals(0, counts[2]);
        assertEquals("archive=90,restore=10,remove=0", mix.toString());
    }

    @Test
    void badMixesAreRefusedWithTheirReason() {
        assertEquals("unknown action 'copy' (archive, restore or remove)",
                assertThrows(IllegalArgumentException.class, () -> ActionMix.parse("copy=1")).getMessage());
        assertEquals("'archive' is not TYPE=WEIGHT",
                assertThrows(IllegalArgumentException.class, () -> ActionMix.parse("archive")).getMessage());
        assertEquals("weight of 'restore=x' is not an integer",
                assertThrows(IllegalArgumentException.class, () -> ActionMix.parse("restore=x")).getMessage());
        assertEquals("action 'archive' given twice",
                assertThrows(IllegalArgumentException.class, () -> ActionMix.parse("archive=1,archive=2")).getMessage());
        assertEquals("mix weights must not all be 0",
                assertThrows(IllegalArgumentException.class, () -> ActionMix.parse("archive=0")).getMessage());
        assertEquals("mix weights must not be negative",
                assertThrows(IllegalArgumentException.class, () -> ActionMix.parse("remove=-1")).getMessage());
    }
}
