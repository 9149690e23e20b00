package org.coordinatool.hsm;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HsmActionTest {

    @Test
    void codesAndNamesMatchLustre() {
        assertEquals(10, HsmAction.NONE.code());
        assertEquals(20, HsmAction.ARCHIVE.code());
        assertEquals(21, HsmAction.RESTORE.code());
        assertEquals(22, HsmAction.REMOVE.code());
        assertEquals(23, HsmAction.CANCEL.code());
        assertEquals("NOOP", HsmAction.NONE.lustreName());
        assertEquals("CANCEL", HsmAction.CANCEL.lustreName());
    }

    @Test
    void everyConstantRoundTripsThroughItsCode() {
        for (HsmAction a : HsmAction.values()) {
            assertEquals(Optional.of(a), HsmAction.fromCode(a.code()));
            assertEquals(a.lustreName(), HsmAction.nameOf(a.code()));
        }
    }

    @Test
    void unknownCodesAreEmptyAndNamedUnknown() {
        for (int code : new int[] {0, 1, 11, 19, 24, -20, Integer.MAX_VALUE}) {
            assertEquals(Optional.empty(), HsmAction.fromCode(code));
            assertEquals("UNKNOWN", HsmAction.nameOf(code));
        }
    }
}
