package org.coordinatool.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizeLiteralTest {

    private static SizeLiteral.Size clientSize(String text) throws InvalidValueException {
        return SizeLiteral.parse(text, 0, SizeLiteral.MAX_SIZE, true);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0|0",
            "3|3",
            "1k|1024",
            "1K|1024",
            "2m|2097152",
            "1M|1048576",
            "1g|1073741824",
            "3G|3221225472",
            "0x10k|16384",
            "010k|8192",
            "4294967295|4294967295",
            "4194303k|4294966272",
            "-1|-1",
            "' -1'|-1",
            "-0x1|-1",
    })
    void parsesSizes(String text, long expected) throws InvalidValueException {
        SizeLiteral.Size size = clientSize(text);
        assertEquals(expected, size.bytes());
        assertEquals("", size.ignoredTrailer());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "16MiB|16777216|iB",
            "2kb|2048|b",
            "1G and more|1073741824|' and more'",
    })
    void reportsCharactersAfterTheSuffix(String text, long expected, String trailer) throws InvalidValueException {
        SizeLiteral.Size size = clientSize(text);
        assertEquals(expected, size.bytes());
        assertEquals(trailer, size.ignoredTrailer());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "-2|value -2 out of range 0..4294967295",
            "-1k|value -1024 out of range 0..4294967295",
            "4G|value 4294967296 out of range 0..4294967295",
            "4294967296|value 4294967296 out of range 0..4294967295",
            "12x|'12x' is not a size (unexpected 'x'; suffixes are k, m, g)",
            "12 k|'12 k' is not a size (unexpected ' k'; suffixes are k, m, g)",
            "1.5M|'1.5M' is not a size (unexpected '.5M'; suffixes are k, m, g)",
            "k|'k' is not a number",
            "\"\"|'' is not a number",
    })
    void rejectsInvalidSizes(String text, String message) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> clientSize(text));
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1000", "2G"})
    void honoursTheRangeWhenUnlimitedIsNotAllowed(String text) {
        assertThrows(InvalidValueException.class, () -> SizeLiteral.parse(text, 1024, Integer.MAX_VALUE, false));
    }
}
