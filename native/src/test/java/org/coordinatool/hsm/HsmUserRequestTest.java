package org.coordinatool.hsm;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HsmUserRequestTest {

    @Test
    void encodesWhatLfsArchiveSends() {
        Fid f1 = new Fid(0x200000401L, 1, 0);
        Fid f2 = new Fid(0x200000401L, 2, 0);
        HsmUserRequest hur = new HsmUserRequest(HsmUserAction.ARCHIVE, 2, 0,
                List.of(HsmUserItem.wholeFile(f1), HsmUserItem.wholeFile(f2)), new byte[] {'a', 'b', 'c'});
        byte[] b = hur.encode(ByteOrder.LITTLE_ENDIAN);
        assertEquals(91, b.length);
        assertEquals(91, hur.length());
        HexFormat hex = HexFormat.of();
        assertEquals("0a000000020000000000000000000000" + "0200000003000000",
                hex.formatHex(b, 0, 24));
        assertEquals("0104000002000000" + "01000000" + "00000000" + "0000000000000000" + "ffffffffffffffff",
                hex.formatHex(b, 24, 56));
        assertEquals("0104000002000000" + "02000000" + "00000000", hex.formatHex(b, 56, 72));
        assertArrayEquals(new byte[] {'a', 'b', 'c'}, Arrays.copyOfRange(b, 88, 91));
    }

    @Test
    void dataIsCopiedAndComparedByContent() {
        byte[] data = {0, 1};
        HsmUserRequest a = new HsmUserRequest(HsmUserAction.RESTORE, 0, 0, List.of(), data);
        data[0] = 5;
        assertEquals(new HsmUserRequest(HsmUserAction.RESTORE, 0, 0, List.of(), new byte[] {0, 1}), a);
        assertEquals(24 + 2, a.encode(ByteOrder.LITTLE_ENDIAN).length);
    }

    @Test
    void userStateDecodesStatesAndArchiveId() {
        byte[] hus = new byte[HsmUserState.SIZE];
        ByteBuffer.wrap(hus).order(ByteOrder.LITTLE_ENDIAN).putInt(0x9).putInt(3);
        HsmUserState state = HsmUserState.decode(hus, ByteOrder.LITTLE_ENDIAN);
        assertEquals(3, state.archiveId());
        assertEquals(Set.of(HsmStateFlag.EXISTS, HsmStateFlag.ARCHIVED), state.flags());
        assertTrue(state.has(HsmStateFlag.ARCHIVED));
        assertFalse(state.has(HsmStateFlag.RELEASED));
    }
}
