package org.coordinatool.coordinator.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Djb2Test {

    @ParameterizedTest
    @CsvSource({
        "'',    5381,         2, 1",
        "foo,   193491849,    0, 9",
        "test0, 210728875317, 0, 7",
        "test1, 210728875318, 1, 8",
        "test2, 210728875319, 2, 9",
    })
    void vectors(String value, long hash, long mod3, long mod10) {
        long h = Djb2.hash(value.getBytes(StandardCharsets.US_ASCII));
        assertEquals(hash, h);
        assertEquals(mod3, Djb2.mod(h, 3));
        assertEquals(mod10, Djb2.mod(h, 10));
    }

    @ParameterizedTest
    @CsvSource({"7, 177628, 1", "8, 177629, 2", "9, 177630, 0"})
    void rewrittenValues(String value, long hash, long mod3) {
        long h = Djb2.hash(value.getBytes(StandardCharsets.US_ASCII));
        assertEquals(hash, h);
        assertEquals(mod3, Djb2.mod(h, 3));
    }

    @Test
    void bytesAboveAsciiAreAddedAsNegativeNumbers() {
        assertEquals(177550, Djb2.hash(new byte[] {(byte) 0xE9}));
    }

    /** Long values wrap around 2^64; the modulo must treat the hash as unsigned. */
    @Test
    void matchesAnUnsignedReferenceOnLongValues() {
        BigInteger two64 = BigInteger.ONE.shiftLeft(64);
        for (String value : new String[] {"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", "grouping-\u00e9\u00e9-value", "0123456789abcdef"}) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            BigInteger ref = BigInteger.valueOf(5381);
            for (byte b : bytes) {
                ref = ref.multiply(BigInteger.valueOf(33)).add(BigInteger.valueOf(b)).mod(two64);
            }
            long h = Djb2.hash(bytes);
            assertEquals(ref, new BigInteger(Long.toUnsignedString(h)), value);
            assertEquals(ref.mod(BigInteger.TEN).longValueExact(), Djb2.mod(h, 10), value);
            assertEquals(ref.mod(BigInteger.valueOf(3)).longValueExact(), Djb2.mod(h, 3), value);
        }
    }
}
