package org.coordinatool.coordinator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReportNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"report00", "a", "A-Z_09", "x"})
    void acceptsLettersDigitsDashAndUnderscore(String name) {
        assertEquals(name, ReportNames.validate(name.getBytes(StandardCharsets.US_ASCII)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "..", "a.b", "a b", "ab\u0000", "\u0000", "caf\u00e9"})
    void refusesEverythingElse(String name) {
        assertNull(ReportNames.validate(name.getBytes(StandardCharsets.UTF_8)));
    }

    @org.junit.jupiter.api.Test
    void limitsTheLengthTo64Bytes() {
        assertEquals("a".repeat(64), ReportNames.validate("a".repeat(64).getBytes(StandardCharsets.US_ASCII)));
        assertNull(ReportNames.validate("a".repeat(65).getBytes(StandardCharsets.US_ASCII)));
    }
}
