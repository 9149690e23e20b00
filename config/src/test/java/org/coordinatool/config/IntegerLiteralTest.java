package org.coordinatool.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IntegerLiteralTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0|0",
            "42|42",
            "0x2a|42",
            "0X2A|42",
            "052|42",
            "00|0",
            "+42|42",
            "-0|0",
            "2147483647|2147483647",
    })
    void parsesCStyleLiterals(String text, long expected) throws InvalidValueException {
        assertEquals(expected, IntegerLiteral.parse(text, 0, Integer.MAX_VALUE));
    }

    @Test
    void skipsLeadingCWhitespace() throws InvalidValueException {
        assertEquals(42, IntegerLiteral.parse(" \t\n\u000B\f\r42", 0, 100));
        assertThrows(InvalidValueException.class, () -> IntegerLiteral.parse("\u00A042", 0, 100));
    }

    @Test
    void acceptsNegativeValuesWhenTheRangeDoes() throws InvalidValueException {
        assertEquals(-16, IntegerLiteral.parse("-0x10", -100, 100));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "-1|value -1 out of range 0..65535",
            "65536|value 65536 out of range 0..65535",
            "0x10000|value 65536 out of range 0..65535",
            "99999999999999999999999|value 99999999999999999999999 out of range 0..65535",
            "-0x1|value -1 out of range 0..65535",
    })
    void rejectsValuesOutOfRange(String text, String message) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> IntegerLiteral.parse(text, 0, 65535));
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"12abc", "12 ", "08", "0x", "0x1g", "1.5", "12 34", "1e3"})
    void rejectsTrailingCharacters(String text) {
        InvalidValueException e = assertThrows(InvalidValueException.class,
                () -> IntegerLiteral.parse(text, 0, Integer.MAX_VALUE));
        assertEquals(true, e.getMessage().contains("unexpected"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "abc", "-", "+", "- 5", "x10", "\u0661\u0662"})
    void rejectsTextsWithoutDigits(String text) {
        InvalidValueException e = assertThrows(InvalidValueException.class,
                () -> IntegerLiteral.parse(text, 0, Integer.MAX_VALUE));
        assertEquals("'" + text + "' is not a number", e.getMessage());
    }

    @Test
    void prefixStopsAtTheFirstNonDigit() throws InvalidValueException {
        IntegerLiteral.Prefix prefix = IntegerLiteral.parsePrefix(" 0x1fk");
        assertEquals(31, prefix.value().longValueExact());
        assertEquals(5, prefix.end());
    }
}
