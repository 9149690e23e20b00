package org.coordinatool.hsm;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HalCodecTest {

    private static final HalCodec LE = HalCodec.of(ByteOrder.LITTLE_ENDIAN);

    /** The 208-byte pipe message of the ABI reference's worked example, as hexdumped there. */
    private static final byte[] WORKED_EXAMPLE_KUC = HexFormat.of().parseHex(String.join("",
            "1c1902006400d0000100000002000000",
            "00000000000000000000000000000000",
            "01000000000000006c75737472650000",
            "48000000140000000104000002000000",
            "01000000000000000104000002000000",
            "01000000000000000000000000000000",
            "ffffffffffffffff112c3b5f00000000",
            "00000000000000005200000015000000",
            "01040000020000000200000000000000",
            "01040000020000000200000000000000",
            "0000000000000000ffffffffffffffff",
            "122c3b5f000000000000000000000000",
            "30313233343536373839000000000000"));

    private static final byte[] WORKED_EXAMPLE_HAL = Arrays.copyOfRange(WORKED_EXAMPLE_KUC, 8, 208);

    private static HsmActionList workedExample() {
        Fid f1 = new Fid(0x200000401L, 1, 0);
        Fid f2 = new Fid(0x200000401L, 2, 0);
        return new HsmActionList(0, 1, "lustre", List.of(
                new HsmActionItem(HsmAction.ARCHIVE, f1, f1, HsmExtent.WHOLE_FILE, 0x5f3b2c11L, 0, new byte[0]),
                new HsmActionItem(HsmAction.RESTORE, f2, f2, HsmExtent.WHOLE_FILE, 0x5f3b2c12L, 0,
                        "0123456789".getBytes(StandardCharsets.US_ASCII))));
    }

    private static HsmActionItem item(int action, long cookie, byte[] data) {
        Fid fid = new Fid(0x200000400L + cookie, (int) cookie, 0);
        return new HsmActionItem(action, fid, new Fid(0x200000402L, 0x1f, 0), new HsmExtent(cookie, 4096),
                cookie, 7, data);
    }

    @Test
    void goldenExampleHasThe208ByteLength() {
        assertEquals(208, WORKED_EXAMPLE_KUC.length);
    }

    @Test
    void encodesTheWorkedExampleByteForByte() {
        assertEquals(200, HalCodec.halSize(workedExample()));
        assertArrayEquals(WORKED_EXAMPLE_HAL, LE.encode(workedExample()));
        assertArrayEquals(WORKED_EXAMPLE_KUC, LE.encodeKucMessage(workedExample()));
    }

    @Test
    void decodesTheWorkedExample() {
        HsmActionList hal = LE.decode(WORKED_EXAMPLE_HAL);
        assertEquals(workedExample(), hal);
        assertEquals(1, hal.version());
        assertTrue(hal.hasSupportedVersion());
        assertEquals(82, hal.items().get(1).haiLength());
        assertEquals("0123456789", new String(hal.items().get(1).data(), StandardCharsets.US_ASCII));
    }

    @Test
    void decodesTheWorkedExampleKucHeader() {
        ByteBuffer b = ByteBuffer.wrap(WORKED_EXAMPLE_KUC);
        KucHeader header = LE.getKucHeader(b);
        assertEquals(KucHeader.actionList(200), header);
        assertEquals(new KucHeader(0x191C, 2, 0, 100, 208), header);
        assertTrue(header.isActionList());
        assertEquals(8, b.position());
        assertEquals(workedExample(), LE.decode(b));
        assertEquals(8, b.position(), "decode must not move the buffer");
    }

    @Test
    void shutdownHeaderIsTheBareGenericMessage() {
        byte[] out = new byte[8];
        LE.putKucHeader(ByteBuffer.wrap(out), KucHeader.shutdown());
        assertArrayEquals(HexFormat.of().parseHex("1c19010001000800"), out);
        assertTrue(LE.getKucHeader(ByteBuffer.wrap(out)).isShutdown());
    }

    @Test
    void sizesFollowTheHeaderHelpers() {
        assertEquals(72, HalCodec.haiLength(0));
        assertEquals(82, HalCodec.haiLength(10));
        assertEquals(88, HalCodec.slotSize(10));
        assertEquals(80, HalCodec.slotSize(1));
        assertEquals(8, HalCodec.fsnameFieldSize(""));
        assertEquals(8, HalCodec.fsnameFieldSize("lustre"));
        assertEquals(16, HalCodec.fsnameFieldSize("lustre01"));
        assertEquals(40, HalCodec.firstItemOffset("lustre"));
        assertEquals(48, HalCodec.firstItemOffset("lustre01"));
        assertEquals(40, HalCodec.halSize("lustre", List.of()));
        assertEquals(200, HalCodec.halSize("lustre", workedExample().items()));
        assertThrows(IllegalArgumentException.class, () -> HalCodec.haiLength(-1));
    }

    @Test
    void roundTripsArbitraryDataBytes() {
        byte[] nasty = {0, (byte) 0xff, (byte) 0xc3, 0x28, 0, 0, (byte) 0x80, '\n', 0};
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        HsmActionList hal = new HsmActionList(HsmUserRequest.HSM_REQ_BLOCKING, 0x8000_0001, "fs",
                List.of(item(20, 1, nasty), item(22, 2, new byte[] {0}), item(99, 3, all), item(21, 4, new byte[0])));
        byte[] encoded = LE.encode(hal);
        assertEquals(HalCodec.halSize(hal), encoded.length);
        HsmActionList back = LE.decode(encoded);
        assertEquals(hal, back);
        assertArrayEquals(nasty, back.items().get(0).data());
        assertArrayEquals(all, back.items().get(2).data());
        assertEquals(0x8000_0001L, back.archiveIdUnsigned());
    }

    @Test
    void roundTripsInBigEndianToo() {
        HalCodec be = HalCodec.of(ByteOrder.BIG_ENDIAN);
        HsmActionList hal = workedExample();
        byte[] encoded = be.encode(hal);
        assertEquals(hal, be.decode(encoded));
        assertEquals(1, encoded[3], "hal_version is big-endian");
    }

    @Test
    void roundTripsAnEmptyList() {
        HsmActionList hal = new HsmActionList(0, 3, "lustre", List.of());
        byte[] encoded = LE.encode(hal);
        assertEquals(40, encoded.length);
        assertEquals(hal, LE.decode(encoded));
    }

    @Test
    void roundTripsLongAndEmptyFsnames() {
        String longName = "f".repeat(64);
        for (String fsname : new String[] {"", "lustre01", longName, "x".repeat(7)}) {
            HsmActionList hal = new HsmActionList(0, 1, fsname, List.of(item(20, 1, new byte[] {1, 2, 3})));
            byte[] encoded = LE.encode(hal);
            int first = HalCodec.firstItemOffset(fsname);
            assertEquals(0, first % 8);
            assertEquals(75, encoded[first], "hai_len of the first item at " + first);
            assertEquals(hal, LE.decode(encoded));
        }
    }

    @Test
    void paddingIsZeroEvenInADirtyBuffer() {
        byte[] dirty = new byte[300];
        Arrays.fill(dirty, (byte) 0xAA);
        ByteBuffer b = ByteBuffer.wrap(dirty);
        b.position(50);
        LE.encode(workedExample(), b);
        assertEquals(250, b.position());
        assertArrayEquals(WORKED_EXAMPLE_HAL, Arrays.copyOfRange(dirty, 50, 250));
        assertEquals((byte) 0xAA, dirty[250]);
        assertEquals((byte) 0xAA, dirty[49]);
    }

    @Test
    void encodingIntoASmallBufferFails() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LE.encode(workedExample(), ByteBuffer.allocate(199)));
        assertTrue(e.getMessage().contains("200"), e.getMessage());
    }

    @Test
    void encodeItemIsTheUnpaddedHai() {
        HsmActionItem second = workedExample().items().get(1);
        assertArrayEquals(Arrays.copyOfRange(WORKED_EXAMPLE_HAL, 112, 194), LE.encodeItem(second));
    }

    @Test
    void versionIsExposedNotChecked() {
        byte[] copy = WORKED_EXAMPLE_HAL.clone();
        copy[0] = 2;
        HsmActionList hal = LE.decode(copy);
        assertEquals(2, hal.version());
        assertFalse(hal.hasSupportedVersion());
    }

    @Test
    void lastItemWithoutTrailingPaddingIsAccepted() {
        HsmActionList hal = LE.decode(Arrays.copyOf(WORKED_EXAMPLE_HAL, 194));
        assertEquals(workedExample(), hal);
    }

    @Test
    void decodesFromTheBufferPositionOnward() {
        byte[] shifted = new byte[WORKED_EXAMPLE_HAL.length + 13];
        System.arraycopy(WORKED_EXAMPLE_HAL, 0, shifted, 13, WORKED_EXAMPLE_HAL.length);
        assertEquals(workedExample(), LE.decode(ByteBuffer.wrap(shifted, 13, WORKED_EXAMPLE_HAL.length)));
    }

    @Test
    void truncatedHeaderIsRejected() {
        HalFormatException e = assertThrows(HalFormatException.class,
                () -> LE.decode(Arrays.copyOf(WORKED_EXAMPLE_HAL, 31)));
        assertTrue(e.getMessage().contains("truncated hal header: 31 bytes"), e.getMessage());
    }

    @Test
    void unterminatedFsnameIsRejected() {
        byte[] b = Arrays.copyOf(WORKED_EXAMPLE_HAL, 38);
        HalFormatException e = assertThrows(HalFormatException.class, () -> LE.decode(b));
        assertTrue(e.getMessage().contains("not NUL-terminated"), e.getMessage());
        assertEquals(32, e.offset());
    }

    @Test
    void invalidUtf8FsnameIsRejected() {
        byte[] b = WORKED_EXAMPLE_HAL.clone();
        b[33] = (byte) 0xff;
        HalFormatException e = assertThrows(HalFormatException.class, () -> LE.decode(b));
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }

    @Test
    void haiLenBelowTheHeaderIsRejected() {
        byte[] b = WORKED_EXAMPLE_HAL.clone();
        b[112] = 71;
        HalFormatException e = assertThrows(HalFormatException.class, () -> LE.decode(b));
        assertTrue(e.getMessage().contains("item 1 hai_len 71 is below"), e.getMessage());
        assertEquals(112, e.offset());
    }

    @Test
    void itemCrossingTheEndIsRejected() {
        HalFormatException e = assertThrows(HalFormatException.class,
                () -> LE.decode(Arrays.copyOf(WORKED_EXAMPLE_HAL, 193)));
        assertTrue(e.getMessage().contains("item 1 hai_len 82 crosses the end of the 193-byte message"), e.getMessage());

        byte[] huge = WORKED_EXAMPLE_HAL.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putInt(112, -8);
        e = assertThrows(HalFormatException.class, () -> LE.decode(huge));
        assertTrue(e.getMessage().contains("hai_len 4294967288 crosses the end"), e.getMessage());
    }

    @Test
    void itemHeaderCrossingTheEndIsRejected() {
        byte[] b = WORKED_EXAMPLE_HAL.clone();
        // First item claims 80 bytes of data: the second header then starts at 192 of 200.
        b[40] = (byte) (72 + 80);
        HalFormatException e = assertThrows(HalFormatException.class, () -> LE.decode(b));
        assertTrue(e.getMessage().contains("item 1 header crosses the end"), e.getMessage());
        assertEquals(192, e.offset());
    }

    @Test
    void countLargerThanTheDataIsRejected() {
        byte[] three = WORKED_EXAMPLE_HAL.clone();
        three[4] = 3;
        HalFormatException e = assertThrows(HalFormatException.class, () -> LE.decode(three));
        assertTrue(e.getMessage().contains("hal_count 3 cannot fit"), e.getMessage());

        byte[] max = WORKED_EXAMPLE_HAL.clone();
        ByteBuffer.wrap(max).order(ByteOrder.LITTLE_ENDIAN).putInt(4, -1);
        e = assertThrows(HalFormatException.class, () -> LE.decode(max));
        assertTrue(e.getMessage().contains("hal_count 4294967295 cannot fit"), e.getMessage());

        byte[] noRoom = Arrays.copyOf(WORKED_EXAMPLE_HAL, 36);
        noRoom[34] = 0;
        e = assertThrows(HalFormatException.class, () -> LE.decode(noRoom));
        assertTrue(e.getMessage().contains("hal_count 2 cannot fit: 0 bytes"), e.getMessage());
    }

    @Test
    void countErrorOffsetStaysInsideAMessageEndingInTheFsnamePadding() {
        // 36 bytes: the fsname "lus" ends at 35, its padding would run to 40.
        byte[] b = Arrays.copyOf(WORKED_EXAMPLE_HAL, 36);
        b[35] = 0;
        HalFormatException e = assertThrows(HalFormatException.class, () -> LE.decode(b));
        assertTrue(e.getMessage().contains("hal_count 2 cannot fit"), e.getMessage());
        assertEquals(36, e.offset());
    }

    @Test
    void nextItemErrorOffsetStaysInsideAMessageEndingInAnItemsPadding() {
        // Room for two item headers, but a first item of 145 bytes ends at 185, the message's end,
        // and its padding would run to 192.
        byte[] b = Arrays.copyOf(WORKED_EXAMPLE_HAL, 185);
        b[40] = (byte) 145;
        HalFormatException e = assertThrows(HalFormatException.class, () -> LE.decode(b));
        assertTrue(e.getMessage().contains("item 1 header crosses the end of the 185-byte message"), e.getMessage());
        assertEquals(185, e.offset());
    }
}
