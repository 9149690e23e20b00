package org.coordinatool.hsm;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HsmActionItemTest {

    private static final Fid FID = new Fid(0x200000401L, 2, 0);

    private static HsmActionItem item(byte[] data) {
        return new HsmActionItem(HsmAction.RESTORE, FID, FID, HsmExtent.WHOLE_FILE, 0x5f3b2c12L, 0, data);
    }

    @Test
    void dataIsCopiedInAndOut() {
        byte[] data = {1, 0, 2};
        HsmActionItem item = item(data);
        data[0] = 9;
        assertArrayEquals(new byte[] {1, 0, 2}, item.data());
        item.data()[1] = 9;
        assertArrayEquals(new byte[] {1, 0, 2}, item.data());
        assertTrue(item.dataBuffer().isReadOnly());
    }

    @Test
    void equalityIsByContent() {
        assertEquals(item(new byte[] {0, (byte) 0xff}), item(new byte[] {0, (byte) 0xff}));
        assertEquals(item(new byte[] {0, (byte) 0xff}).hashCode(), item(new byte[] {0, (byte) 0xff}).hashCode());
        assertNotEquals(item(new byte[] {0}), item(new byte[] {0, 0}));
    }

    @Test
    void lengthsFollowTheLustreRules() {
        assertEquals(72, item(new byte[0]).haiLength());
        assertEquals(72, item(new byte[0]).slotSize());
        assertEquals(82, item(new byte[10]).haiLength());
        assertEquals(88, item(new byte[10]).slotSize());
        assertEquals(80, item(new byte[8]).slotSize());
    }

    @Test
    void unknownActionCodesAreKept() {
        HsmActionItem item = new HsmActionItem(99, FID, FID, HsmExtent.WHOLE_FILE, 1, 0, new byte[0]);
        assertEquals(99, item.actionCode());
        assertEquals(Optional.empty(), item.action());
        assertEquals("UNKNOWN", item.actionName());
        assertTrue(item.toString().contains("UNKNOWN(99)"), item.toString());
    }

    @Test
    void nullsAreRejected() {
        assertThrows(NullPointerException.class, () -> item(null));
        assertThrows(NullPointerException.class,
                () -> new HsmActionItem(HsmAction.ARCHIVE, null, FID, HsmExtent.WHOLE_FILE, 0, 0, new byte[0]));
    }

    @Test
    void wholeFileExtentPrintsLikeTheMdt() {
        assertEquals("0-0xffffffffffffffff", HsmExtent.WHOLE_FILE.toString());
        assertTrue(HsmExtent.WHOLE_FILE.isWholeFile());
        assertEquals("0x10-0x20", new HsmExtent(16, 32).toString());
    }

    @Test
    void listRejectsNulInFsname() {
        assertThrows(IllegalArgumentException.class,
                () -> new HsmActionList(0, 1, "lus\0tre", java.util.List.of()));
    }
}
