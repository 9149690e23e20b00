package org.coordinatool.coordinator.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.coordinatool.hsm.Fid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestKeysTest {

    private static final String SPEC_KEY = "00000000617d23ef000000020000522300001cce00000000";

    @Test
    void specExampleEncodes() {
        assertEquals(SPEC_KEY, RequestKeys.format(0x617d23efL, new Fid(0x200005223L, 0x1cce, 0)));
        assertArrayEquals(SPEC_KEY.getBytes(StandardCharsets.US_ASCII),
                RequestKeys.encode(0x617d23efL, new Fid(0x200005223L, 0x1cce, 0)));
    }

    @Test
    void specExampleParses() {
        RequestKeys.Id id = RequestKeys.parse(SPEC_KEY);
        assertEquals(0x617d23efL, id.cookie());
        assertEquals(new Fid(0x200005223L, 0x1cce, 0), id.dfid());
        assertEquals(SPEC_KEY, id.format());
    }

    @Test
    void fullWidthValuesRoundTripUnsigned() {
        Fid dfid = new Fid(-2L, 0xfffffffe, 0x80000000);
        String key = RequestKeys.format(-1L, dfid);
        assertEquals("ffffffffffffffff" + "fffffffffffffffe" + "fffffffe" + "80000000", key);
        assertEquals(new RequestKeys.Id(-1L, dfid), RequestKeys.parse(key));
    }

    @Test
    void zeroIsAllZeroDigits() {
        assertEquals("0".repeat(48), RequestKeys.format(0, Fid.ZERO));
        assertEquals(new RequestKeys.Id(0, Fid.ZERO), RequestKeys.parse("0".repeat(48)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "00000000617d23ef000000020000522300001cce0000000",
        "00000000617d23ef000000020000522300001cce000000000",
        " 00000000617d23ef000000020000522300001cce00000000",
    })
    void wrongLengthIsRejected(String key) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RequestKeys.parse(key));
        assertTrue(e.getMessage().contains("48 lowercase hex digits"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "00000000617D23EF000000020000522300001cce00000000",
        "00000000617d23ef000000020000522300001cce0000000g",
        "0x000000617d23ef000000020000522300001cce00000000",
        "-0000000617d23ef000000020000522300001cce00000000",
        "00000000617d23ef00000002000052230000 cce00000000",
        " 0000000617d23ef000000020000522300001cce00000000",
    })
    void nonLowercaseHexIsRejected(String key) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RequestKeys.parse(key));
        assertTrue(e.getMessage().contains("where a lowercase hex digit is expected"), e.getMessage());
    }

    @Test
    void nonAsciiByteIsNamedInTheError() {
        byte[] key = SPEC_KEY.getBytes(StandardCharsets.US_ASCII);
        key[20] = (byte) 0xc3;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RequestKeys.parse(key));
        assertEquals("request key has byte 0xc3 at position 20 where a lowercase hex digit is"
                + " expected", e.getMessage());
    }
}
