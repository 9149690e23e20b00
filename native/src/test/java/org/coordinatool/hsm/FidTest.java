package org.coordinatool.hsm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FidTest {

    @Test
    void formatsLikeDfid() {
        assertEquals("[0x200000401:0x1:0x0]", new Fid(0x200000401L, 1, 0).format());
        assertEquals("[0x200005223:0x1cce:0x0]", new Fid(0x200005223L, 0x1cce, 0).toString());
        assertEquals("0x200000401:0x1:0x0", new Fid(0x200000401L, 1, 0).formatNoBrace());
    }

    @Test
    void zeroSequencePrintsWithoutPrefix() {
        assertEquals("[0:0x0:0x0]", Fid.ZERO.format());
        assertEquals("0:0x5:0x0", new Fid(0, 5, 0).formatNoBrace());
    }

    @Test
    void fieldsPrintUnsigned() {
        assertEquals("[0xffffffffffffffff:0xffffffff:0x80000000]", new Fid(-1L, -1, Integer.MIN_VALUE).format());
        assertEquals(0xffffffffL, new Fid(1, -1, 0).oidUnsigned());
        assertEquals(0x80000000L, new Fid(1, 0, Integer.MIN_VALUE).verUnsigned());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[0x200000401:0x1:0x0]   | 8589935617 | 1   | 0",
            "0x200000401:0x1:0x0     | 8589935617 | 1   | 0",
            "[8589935617:1:0]        | 8589935617 | 1   | 0",
            "[010:010:0]             | 8          | 8   | 0",
            "[0X1F:0xA:0x2]          | 31         | 10  | 2",
            "'  [0x1:0x2:0x3]'       | 1          | 2   | 3",
            "[[0x1:0x2:0x3]          | 1          | 2   | 3",
            "[0x1:0x2:0x3            | 1          | 2   | 3",
            "[::]                    | 0          | 0   | 0",
            "[0x1:0xffffffff:0x0]    | 1          | -1  | 0",
            "[0xfffffffffffffffe:0:0] | -2        | 0   | 0",
    })
    void parsesLikeLlapiFidParse(String text, long seq, int oid, int ver) {
        assertEquals(new Fid(seq, oid, ver), Fid.parse(text));
    }

    @Test
    void roundTripsFormattedFids() {
        Random r = new Random(42);
        for (int i = 0; i < 1000; i++) {
            long seq = r.nextLong();
            if (seq == -1L) {
                continue;
            }
            Fid fid = new Fid(seq, r.nextInt(), r.nextInt());
            assertEquals(fid, Fid.parse(fid.format()));
            assertEquals(fid, Fid.parse(fid.formatNoBrace()));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0x1              | 3",
            "0x1:0x2          | 7",
            "[0x1;0x2:0x3]    | 4",
            "[0x:1:2]         | 2",
            "''               | 0",
            "[08:1:2]         | 2",
    })
    void rejectsSyntaxErrorsWithPosition(String text, int index) {
        FidFormatException e = assertThrows(FidFormatException.class, () -> Fid.parse(text));
        assertFalse(e.outOfRange());
        assertEquals(index, e.errorIndex());
        assertEquals(text, e.input());
        assertTrue(e.getMessage().contains("expected ':'"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0x1:0x100000000:0                 | object id",
            "0x1:0:0x100000000                 | version",
            "0xffffffffffffffff:0:0            | sequence",
            "0x10000000000000000:0:0           | sequence",
            "-1:0:0                            | sequence",
            "1:-1:0                            | object id",
    })
    void rejectsOutOfRangeFields(String text, String field) {
        FidFormatException e = assertThrows(FidFormatException.class, () -> Fid.parse(text));
        assertTrue(e.outOfRange());
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }

    @Test
    void syntaxErrorWinsOverRangeErrorAsInLlapi() {
        FidFormatException e = assertThrows(FidFormatException.class, () -> Fid.parse("0x100000000000000000:0"));
        assertFalse(e.outOfRange());
    }

    @Test
    void strictParseRejectsTrailingText() {
        FidFormatException e = assertThrows(FidFormatException.class, () -> Fid.parse("[0x1:0x2:0x0] x"));
        assertEquals(13, e.errorIndex());
        assertTrue(e.getMessage().contains("unexpected text"), e.getMessage());
        assertThrows(FidFormatException.class, () -> Fid.parse("0x1:0x2:0x0]"));
    }

    @Test
    void prefixParseReportsEndAndBrackets() {
        Fid.Prefix p = Fid.parsePrefix("fid=[0x200000401:0x2a:0x0] dfid", 4);
        assertEquals(new Fid(0x200000401L, 0x2a, 0), p.fid());
        assertEquals(26, p.end());
        assertTrue(p.bracketed());
        assertTrue(p.closed());

        Fid.Prefix open = Fid.parsePrefix("[1:2:3 rest", 0);
        assertTrue(open.bracketed());
        assertFalse(open.closed());
        assertEquals(6, open.end());
    }

    @Test
    void zeroFidIgnoresVersion() {
        assertTrue(new Fid(0, 0, 7).isZero());
        assertFalse(new Fid(0, 1, 0).isZero());
    }
}
