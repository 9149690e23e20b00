package org.coordinatool.coordinator.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HintsTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The parse_hint vectors; '~' stands for a NUL byte, 'NOT FOUND' for no match. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "test                          | test  | ''",
        "test=foo                      | test= | foo",
        "foo,test=foo,bar              | test= | foo",
        "foo,aatest=foo,bar            | test= | NOT FOUND",
        "foo,aatest=foo,test=foo,bar   | test= | foo",
        "foo,~,test=foo,bar            | test= | foo",
    })
    void parseHintVectors(String data, String needle, String expected) {
        Hints.Match m = Hints.parse(b(data.replace('~', '\0')), b(needle));
        if (expected.equals("NOT FOUND")) {
            assertNull(m);
        } else {
            assertNotNull(m);
            assertEquals(expected, new String(m.value(b(data.replace('~', '\0'))), StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void valueRunsToTheEndOfTheDataIncludingNuls() {
        byte[] data = b("x,cr=foo\0\0");
        Hints.Match m = Hints.parse(data, b("cr="));
        assertEquals(new Hints.Match(5, 5), m);
        assertArrayEquals(b("foo\0\0"), m.value(data));
    }

    @Test
    void spacesArePartOfKeysAndValues() {
        assertNull(Hints.parse(b("a, cr=x"), b("cr=")));
        assertArrayEquals(b(" x y"), Hints.parse(b("a,cr= x y,b"), b("cr=")).value(b("a,cr= x y,b")));
    }

    @Test
    void emptyDataHasNoHint() {
        assertNull(Hints.parse(new byte[0], b("cr=")));
    }

    /** The replace_string vectors (needle test=, new value blob). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "test=foo          | test=blob",
        "foo,test=foo,bar  | foo,test=blob,bar",
        "foo,test=foo      | foo,test=blob",
        "test=foo,bar      | test=blob,bar",
        ",test=foo,        | ,test=blob,",
    })
    void replaceStringVectors(String data, String expected) {
        Hints.Match m = Hints.parse(b(data), b("test="));
        assertArrayEquals(b(expected), Hints.replace(b(data), m, b("blob")));
    }

    @Test
    void replaceKeepsBytesAfterTheValueIncludingNuls() {
        byte[] data = b("g=abc,x\0\0");
        byte[] out = Hints.replace(data, Hints.parse(data, b("g=")), b("7"));
        assertArrayEquals(b("g=7,x\0\0"), out);
    }

    @Test
    void containsInCStringStopsAtTheFirstNul() {
        assertTrue(Hints.containsInCString(b("xtag=n12"), b("tag=n1")));
        assertFalse(Hints.containsInCString(b("ab\0tag=n1"), b("tag=n1")));
        assertTrue(Hints.containsInCString(b("tag=n1\0zz"), b("tag=n1")));
        assertFalse(Hints.containsInCString(b("tag=n"), b("tag=n1")));
    }
}
